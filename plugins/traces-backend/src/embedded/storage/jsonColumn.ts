import type { Attributes } from '@backstage-traces/plugin-traces-common';

/** An attributes column: JSON text in SQLite, already parsed `jsonb` in PostgreSQL. */
export function parseJsonColumn(value: unknown): Attributes {
  if (typeof value === 'string') return JSON.parse(value) as Attributes;
  if (value && typeof value === 'object') return value as Attributes;
  return {};
}
