import type { TraceQLSpan } from '../types';

const BASE_NS = 1_795_548_000_000_000_000n;

/** A span with defaults, starting `startMs` after a fixed base time. */
export function makeSpan(
  spanId: string,
  fields: Partial<Omit<TraceQLSpan, 'startNs'>> & { startMs?: number } = {},
): TraceQLSpan {
  const { startMs = 0, ...rest } = fields;
  return {
    spanId,
    parentSpanId: undefined,
    name: `span ${spanId}`,
    serviceName: 'frontend',
    kind: 1,
    statusCode: 0,
    statusMessage: undefined,
    startNs: BASE_NS + BigInt(Math.round(startMs * 1e6)),
    durationNs: 1_000_000,
    attributes: {},
    resourceAttributes: { 'service.name': fields.serviceName ?? 'frontend' },
    ...rest,
  };
}

export { BASE_NS };
