import type {
  MatchedSpan,
  TraceServiceStats,
  TraceSummary,
} from '@backstage-traces/plugin-traces-common';
import { normalizeTraceId } from '@backstage-traces/plugin-traces-common';
import { otlpAttributes as toAttributes } from '@backstage-traces/plugin-traces-common';
import type { TempoSearchResponse, TempoSearchTrace } from './wireTypes';

/** Tempo's placeholder when the root span has not arrived (yet). */
const NO_ROOT = '<root span not yet received>';

/** Search results, newest first: Tempo returns matches in no guaranteed order. */
export function normalizeSearchResponse(
  body: TempoSearchResponse,
): TraceSummary[] {
  const traces: TraceSummary[] = [];
  for (const raw of body.traces ?? []) {
    const summary = normalizeSearchTrace(raw);
    if (summary) traces.push(summary);
  }
  return traces.sort((a, b) =>
    compareNanos(b.startTimeUnixNano, a.startTimeUnixNano),
  );
}

function normalizeSearchTrace(raw: TempoSearchTrace): TraceSummary | undefined {
  // Search strips leading zeros from trace IDs; everything downstream wants all 32 digits.
  const traceId = normalizeTraceId(raw.traceID ?? '');
  if (!traceId) return undefined;

  const services: TraceServiceStats[] = Object.entries(raw.serviceStats ?? {})
    .map(([name, stats]) => ({
      name,
      spanCount: stats.spanCount ?? 0,
      errorCount: stats.errorCount ?? 0,
    }))
    .sort((a, b) => b.spanCount - a.spanCount || a.name.localeCompare(b.name));

  const sets = raw.spanSets ?? (raw.spanSet ? [raw.spanSet] : []);
  const matchedSpans: MatchedSpan[] = [];
  const seen = new Set<string>();
  let matched = 0;
  for (const set of sets) {
    matched += set.matched ?? 0;
    for (const span of set.spans ?? []) {
      const spanId = span.spanID?.toLowerCase().padStart(16, '0');
      if (!spanId || seen.has(spanId)) continue;
      seen.add(spanId);
      matchedSpans.push({
        spanId,
        ...(span.name && { name: span.name }),
        startTimeUnixNano: span.startTimeUnixNano ?? '0',
        durationMs: Number(span.durationNanos ?? 0) / 1e6,
        attributes: toAttributes(span.attributes),
      });
    }
  }

  const startTimeUnixNano = raw.startTimeUnixNano ?? '0';
  const rootService =
    raw.rootServiceName && raw.rootServiceName !== NO_ROOT
      ? raw.rootServiceName
      : undefined;
  return {
    traceId,
    ...(rootService && { rootServiceName: rootService }),
    ...(rootService &&
      raw.rootTraceName && { rootSpanName: raw.rootTraceName }),
    startTimeUnixNano,
    startTime: new Date(
      Number(BigInt(startTimeUnixNano) / 1_000_000n),
    ).toISOString(),
    durationMs: raw.durationMs ?? 0,
    ...(services.length > 0 && {
      spanCount: services.reduce((sum, s) => sum + s.spanCount, 0),
      errorCount: services.reduce((sum, s) => sum + s.errorCount, 0),
    }),
    services,
    matchedSpans,
    matched,
  };
}

function compareNanos(a: string, b: string): number {
  const x = BigInt(a || '0');
  const y = BigInt(b || '0');
  if (x === y) return 0;
  return x < y ? -1 : 1;
}
