import { createHash } from 'node:crypto';
import type { Attributes } from '@backstage-traces/plugin-traces-common';
import { otlp } from '../otlp/schema';
import type { OtlpResource, OtlpScope } from '../otlp/messages';
import { keyValues } from '../otlp/values';
import type { SourceRow } from './rows';

/** Interns the resource + scope pairs of one request. */
export class SourceTable {
  readonly rows = new Map<string, SourceRow>();

  add(
    resource: OtlpResource | null | undefined,
    scope: OtlpScope | null | undefined,
  ): SourceRow {
    const resourcePayload =
      resource?.payload ??
      otlp.Resource.encode(otlp.Resource.fromObject(resource ?? {})).finish();
    const scopePayload =
      scope?.payload ??
      otlp.InstrumentationScope.encode(
        otlp.InstrumentationScope.fromObject(scope ?? {}),
      ).finish();
    const key = createHash('sha256')
      .update(resourcePayload)
      .update('\0')
      .update(scopePayload)
      .digest('hex')
      .slice(0, 40);
    const known = this.rows.get(key);
    if (known) return known;
    const attributes: Attributes = keyValues(resource?.attributes);
    const serviceName = attributes['service.name'];
    const row: SourceRow = {
      key,
      serviceName:
        typeof serviceName === 'string' && serviceName
          ? serviceName
          : 'unknown_service',
      resourceAttributes: JSON.stringify(attributes),
      scopeName: scope?.name || null,
      scopeVersion: scope?.version || null,
      resourcePayload,
      scopePayload,
    };
    this.rows.set(key, row);
    return row;
  }
}
