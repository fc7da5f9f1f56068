import type { Knex } from 'knex';
import { Writer } from 'protobufjs';
import { formatSize } from '../../lib/readBody';
import { UpstreamError } from '../../lib/UpstreamError';
import { EMBEDDED_STORE_NAME } from '../logs/EmbeddedLogStore';

interface SpanPayloadRow {
  span_id: string;
  source_id: number | bigint;
  payload: Buffer;
}

interface SourcePayloadRow {
  id: number | bigint;
  resource_payload: Buffer;
  scope_payload: Buffer;
}

const LENGTH_DELIMITED = 2;
const tag = (field: number) => (field << 3) | LENGTH_DELIMITED;

/**
 * A stored trace as the protobuf Tempo answers for `/api/v2/traces/{id}`
 * (`TraceByIDResponse { trace: TracesData }`), put together from the stored OTLP messages
 * without decoding them: the trace then takes the same decode, redaction and compact-encoding
 * step as a Tempo answer (`protobufToCompact`). Undefined when no span of the trace is stored.
 */
export async function readTraceProtobuf(
  db: Knex,
  traceId: string,
  maxBytes = Infinity,
): Promise<Buffer | undefined> {
  // The size first, from the rows' lengths: a trace over the limit is never loaded.
  const [size] = await db('spans')
    .where('trace_id', traceId)
    .select(db.raw('sum(length(payload)) as bytes'));
  const bytes = Number((size as { bytes?: unknown } | undefined)?.bytes ?? 0);
  if (bytes > maxBytes) {
    throw new UpstreamError(
      EMBEDDED_STORE_NAME,
      502,
      `trace ${traceId} holds ${formatSize(bytes)} of spans, over ${formatSize(
        maxBytes,
      )}, the most traces.largeTraces.maxTraceSizeMb allows`,
    );
  }
  const spans: SpanPayloadRow[] = await db('spans')
    .where('trace_id', traceId)
    .select('span_id', 'source_id', 'payload');
  if (spans.length === 0) return undefined;

  const bySource = new Map<number, Buffer[]>();
  const seen = new Map<string, Buffer>();
  for (const span of spans) {
    // An exporter that retries a request it thinks failed sends the same spans again.
    const twin = seen.get(span.span_id);
    if (twin?.equals(span.payload)) continue;
    seen.set(span.span_id, span.payload);
    const source = Number(span.source_id);
    let list = bySource.get(source);
    if (!list) bySource.set(source, (list = []));
    list.push(span.payload);
  }
  const sources: SourcePayloadRow[] = await db('span_sources')
    .whereIn('id', [...bySource.keys()])
    .select('id', 'resource_payload', 'scope_payload');

  const writer = Writer.create();
  writer.uint32(tag(1)).fork(); // TraceByIDResponse.trace
  for (const source of sources) {
    writer.uint32(tag(1)).fork(); // TracesData.resource_spans
    writer.uint32(tag(1)).bytes(source.resource_payload); // resource
    writer.uint32(tag(2)).fork(); // scope_spans
    writer.uint32(tag(1)).bytes(source.scope_payload); // scope
    for (const payload of bySource.get(Number(source.id)) ?? []) {
      writer.uint32(tag(2)).bytes(payload); // spans
    }
    writer.ldelim().ldelim();
  }
  writer.ldelim();
  return Buffer.from(writer.finish());
}
