import type { Knex } from 'knex';
import type { LogBatch } from '../ingest/logRows';
import type { SpanBatch } from '../ingest/spanRows';
import type { SourceRow } from '../ingest/rows';
import { insertRows } from './insertRows';

const SPAN_COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'source_id',
  'service_name',
  'name',
  'kind',
  'status_code',
  'status_message',
  'start_ns',
  'duration_ns',
  'attributes',
  'payload',
] as const;

const LOG_COLUMNS = [
  'trace_id',
  'span_id',
  'source_id',
  'service_name',
  'time_ns',
  'observed_time_ns',
  'severity_number',
  'severity_text',
  'body',
  'attributes',
] as const;

/**
 * A trace's summary row grows with every request that brings spans of it: earliest start,
 * latest end, the first root seen, counts added up. CASE rather than MIN/MAX or LEAST/GREATEST,
 * which SQLite and PostgreSQL spell differently.
 */
const TRACE_UPSERT = ` on conflict (trace_id) do update set
  start_ns = case when excluded.start_ns < traces.start_ns then excluded.start_ns else traces.start_ns end,
  end_ns = case when excluded.end_ns > traces.end_ns then excluded.end_ns else traces.end_ns end,
  root_service_name = case when traces.root_service_name is null then excluded.root_service_name else traces.root_service_name end,
  root_span_name = case when traces.root_service_name is null then excluded.root_span_name else traces.root_span_name end,
  span_count = traces.span_count + excluded.span_count,
  error_count = traces.error_count + excluded.error_count`;

/** Writes one request's spans in one transaction: all of them or, on failure, none. */
export async function writeSpanBatch(
  db: Knex,
  batch: SpanBatch,
): Promise<void> {
  if (batch.spans.length === 0) return;
  await db.transaction(async trx => {
    const sourceIds = await upsertSources(trx, batch.sources);
    await insertRows(
      trx,
      'spans',
      SPAN_COLUMNS,
      batch.spans.map(s => [
        s.traceId,
        s.spanId,
        s.parentSpanId,
        sourceIds.get(s.sourceKey),
        s.serviceName,
        s.name,
        s.kind,
        s.statusCode,
        s.statusMessage,
        s.startNs,
        s.durationNs,
        s.attributes,
        s.payload,
      ]),
    );
    await insertRows(
      trx,
      'traces',
      [
        'trace_id',
        'start_ns',
        'end_ns',
        'root_service_name',
        'root_span_name',
        'span_count',
        'error_count',
      ],
      batch.traces.map(t => [
        t.traceId,
        t.startNs,
        t.endNs,
        t.rootServiceName,
        t.rootSpanName,
        t.spanCount,
        t.errorCount,
      ]),
      TRACE_UPSERT,
    );
  });
}

export async function writeLogBatch(db: Knex, batch: LogBatch): Promise<void> {
  if (batch.logs.length === 0) return;
  await db.transaction(async trx => {
    const sourceIds = await upsertSources(trx, batch.sources);
    await insertRows(
      trx,
      'logs',
      LOG_COLUMNS,
      batch.logs.map(l => [
        l.traceId,
        l.spanId,
        sourceIds.get(l.sourceKey),
        l.serviceName,
        l.timeNs,
        l.observedTimeNs,
        l.severityNumber,
        l.severityText,
        l.body,
        l.attributes,
      ]),
    );
  });
}

/** Sources are few and repeat across requests: insert the new ones, then read all IDs. */
async function upsertSources(
  trx: Knex.Transaction,
  sources: SourceRow[],
): Promise<Map<string, number>> {
  await insertRows(
    trx,
    'span_sources',
    [
      'key',
      'service_name',
      'resource_attributes',
      'scope_name',
      'scope_version',
      'resource_payload',
      'scope_payload',
    ],
    sources.map(s => [
      s.key,
      s.serviceName,
      s.resourceAttributes,
      s.scopeName,
      s.scopeVersion,
      s.resourcePayload,
      s.scopePayload,
    ]),
    ' on conflict (key) do nothing',
  );
  const rows: Array<{ id: number | bigint; key: string }> = await trx(
    'span_sources',
  )
    .whereIn(
      'key',
      sources.map(s => s.key),
    )
    .select('id', 'key');
  return new Map(rows.map(r => [r.key, Number(r.id)]));
}
