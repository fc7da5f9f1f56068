/**
 * Tempo v2 trace-by-ID bodies shaped exactly like the real fixture
 * `__fixtures__/tempo/trace-v2.json`: base64 trace/span IDs, `SPAN_KIND_*` and
 * `STATUS_CODE_*` enum strings, int64 nanoseconds as strings, one `resourceSpans` entry per
 * service, and zero values left out.
 */
export interface WireSpanSpec {
  /** Hex span ID (padded to 16 digits). */
  id: string;
  parent?: string;
  service: string;
  kind: 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'INTERNAL';
  /** Offset from the trace start and duration, in milliseconds. */
  startMs?: number;
  durationMs: number;
  error?: boolean;
  attributes?: Record<string, string | number>;
}

const BASE_NANOS = 1_795_549_350_524_064_365n;

function base64Id(hex: string, bytes: number): string {
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length > bytes * 2) {
    throw new Error(`'${hex}' is not an ID of at most ${bytes * 2} hex digits`);
  }
  return Buffer.from(hex.padStart(bytes * 2, '0'), 'hex').toString('base64');
}

export function tempoTraceV2(
  traceIdHex: string,
  spans: WireSpanSpec[],
  options: { namespace?: string } = {},
) {
  const services = [...new Set(spans.map(span => span.service))];
  return {
    trace: {
      resourceSpans: services.map(service => ({
        resource: {
          attributes: [
            ...(options.namespace
              ? [
                  {
                    key: 'service.namespace',
                    value: { stringValue: options.namespace },
                  },
                ]
              : []),
            { key: 'service.name', value: { stringValue: service } },
          ],
        },
        scopeSpans: [
          {
            scope: {
              name: '@opentelemetry/instrumentation-http',
              version: '0.52.0',
            },
            spans: spans
              .filter(span => span.service === service)
              .map(span => {
                const start =
                  BASE_NANOS + BigInt(Math.round((span.startMs ?? 0) * 1e6));
                return {
                  traceId: base64Id(traceIdHex, 16),
                  spanId: base64Id(span.id, 8),
                  ...(span.parent && {
                    parentSpanId: base64Id(span.parent, 8),
                  }),
                  name: `${span.kind} ${span.service}`,
                  kind: `SPAN_KIND_${span.kind}`,
                  startTimeUnixNano: start.toString(),
                  endTimeUnixNano: (
                    start + BigInt(Math.round(span.durationMs * 1e6))
                  ).toString(),
                  attributes: Object.entries(span.attributes ?? {}).map(
                    ([key, value]) => ({
                      key,
                      value:
                        typeof value === 'number'
                          ? { intValue: String(value) }
                          : { stringValue: value },
                    }),
                  ),
                  status: span.error ? { code: 'STATUS_CODE_ERROR' } : {},
                };
              }),
          },
        ],
      })),
    },
  };
}

/** A Tempo search body listing `traceIds` (leading zeros stripped, as Tempo does). */
export function tempoSearchResponse(
  traceIds: string[],
  rootServiceName = 'frontend',
) {
  return {
    traces: traceIds.map((traceId, index) => ({
      traceID: traceId.replace(/^0+/, ''),
      rootServiceName,
      rootTraceName: 'GET /api/orders/{id}',
      startTimeUnixNano: (
        BASE_NANOS +
        BigInt(index) * 1_000_000_000n
      ).toString(),
      durationMs: 120,
    })),
    metrics: {
      inspectedTraces: traceIds.length,
      completedJobs: 1,
      totalJobs: 1,
    },
  };
}
