import type { Attributes } from '@backstage-traces/plugin-traces-common';
import type { Knex } from 'knex';
import { parseJsonColumn } from '../storage/jsonColumn';

export interface StoredSource {
  id: number;
  serviceName: string;
  resourceAttributes: Attributes;
  scopeName?: string;
  scopeVersion?: string;
}

/**
 * Resources and scopes by row ID. Rows never change once written, and there are few of
 * them (one per service process and instrumentation library), so they are kept in memory.
 */
export class SourceCache {
  private readonly byId = new Map<number, StoredSource>();

  private readonly db: Knex;

  constructor(db: Knex) {
    this.db = db;
  }

  async get(id: number): Promise<StoredSource> {
    const known = this.byId.get(id);
    if (known) return known;
    await this.load([id]);
    return (
      this.byId.get(id) ?? {
        id,
        serviceName: 'unknown_service',
        resourceAttributes: {},
      }
    );
  }

  /** Loads the rows not yet known. */
  async load(ids: Iterable<number>): Promise<void> {
    const missing = [...new Set(ids)].filter(id => !this.byId.has(id));
    if (missing.length === 0) return;
    const rows: Array<{
      id: number | bigint;
      service_name: string;
      resource_attributes: unknown;
      scope_name: string | null;
      scope_version: string | null;
    }> = await this.db('span_sources')
      .whereIn('id', missing)
      .select(
        'id',
        'service_name',
        'resource_attributes',
        'scope_name',
        'scope_version',
      );
    for (const row of rows) {
      const id = Number(row.id);
      this.byId.set(id, {
        id,
        serviceName: row.service_name,
        resourceAttributes: parseJsonColumn(row.resource_attributes),
        ...(row.scope_name && { scopeName: row.scope_name }),
        ...(row.scope_version && { scopeVersion: row.scope_version }),
      });
    }
  }

  /** Every source, for conditions on resource attributes (evaluated here, not in SQL). */
  async all(): Promise<StoredSource[]> {
    const rows: Array<{ id: number | bigint }> = await this.db(
      'span_sources',
    ).select('id');
    await this.load(rows.map(r => Number(r.id)));
    return [...this.byId.values()];
  }
}
