import type { Knex } from 'knex';
import { otlp } from '../otlp/schema';
import type { OtlpKeyValue } from '../otlp/messages';
import { hexId, keyValues } from '../otlp/values';
import { parseJsonColumn } from '../storage/jsonColumn';
import type { TraceQLSpan } from '../traceql';
import type { SourceCache } from './SourceCache';
import type { Sql } from '../search/sqlDialect';

/** A stored span in the shape the TraceQL engine reads, with the trace it belongs to. */
export interface LoadedSpan extends TraceQLSpan {
  traceId: string;
}

interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  source_id: number | bigint;
  service_name: string;
  name: string;
  kind: number | bigint;
  status_code: number | bigint;
  status_message: string | null;
  start_text: string;
  duration_ns: number | bigint | string;
  attributes: unknown;
  payload?: Buffer;
}

/**
 * The spans of some traces, optionally only those matching `where` (over `spans s`, with
 * `traces t` joined when it says so). Events and links are decoded from the stored OTLP
 * message only when asked for.
 */
export async function loadSpans(
  db: Knex,
  sources: SourceCache,
  traceIds: readonly string[],
  options: { where?: Sql & { joinsTraces?: boolean }; events?: boolean } = {},
): Promise<LoadedSpan[]> {
  if (traceIds.length === 0) return [];
  const columns = [
    's.trace_id',
    's.span_id',
    's.parent_span_id',
    's.source_id',
    's.service_name',
    's.name',
    's.kind',
    's.status_code',
    's.status_message',
    'CAST(s.start_ns AS TEXT) AS start_text',
    's.duration_ns',
    's.attributes',
    ...(options.events ? ['s.payload'] : []),
  ];
  const { where } = options;
  const rows = rowsOf<SpanRow>(
    await db.raw(
      `select ${columns.join(', ')} from spans s${
        where?.joinsTraces ? ' join traces t on t.trace_id = s.trace_id' : ''
      } where s.trace_id in (${traceIds.map(() => '?').join(',')})${
        where ? ` and (${where.sql})` : ''
      }`,
      [...traceIds, ...(where?.bindings ?? [])],
    ),
  );
  await sources.load(rows.map(r => Number(r.source_id)));
  const spans: LoadedSpan[] = [];
  for (const row of rows) {
    const source = await sources.get(Number(row.source_id));
    const span: LoadedSpan = {
      traceId: row.trace_id,
      spanId: row.span_id,
      parentSpanId: row.parent_span_id,
      name: row.name,
      serviceName: row.service_name,
      kind: Number(row.kind),
      statusCode: Number(row.status_code),
      statusMessage: row.status_message,
      startNs: BigInt(row.start_text),
      durationNs: Number(row.duration_ns),
      attributes: parseJsonColumn(row.attributes) as TraceQLSpan['attributes'],
      resourceAttributes:
        source.resourceAttributes as TraceQLSpan['resourceAttributes'],
    };
    if (row.payload) Object.assign(span, eventsAndLinks(row.payload));
    spans.push(span);
  }
  return spans;
}

/** knex.raw answers rows directly on SQLite and as `{ rows }` on PostgreSQL. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

function eventsAndLinks(payload: Buffer) {
  const span = otlp.Span.decode(payload) as unknown as {
    events?: Array<{ name: string; attributes?: OtlpKeyValue[] }>;
    links?: Array<{
      traceId: Uint8Array;
      spanId: Uint8Array;
      attributes?: OtlpKeyValue[];
    }>;
  };
  return {
    events: (span.events ?? []).map(event => ({
      name: event.name ?? '',
      attributes: keyValues(event.attributes) as TraceQLSpan['attributes'],
    })),
    links: (span.links ?? []).map(link => ({
      traceId: hexId(link.traceId),
      spanId: hexId(link.spanId),
      attributes: keyValues(link.attributes) as TraceQLSpan['attributes'],
    })),
  };
}
