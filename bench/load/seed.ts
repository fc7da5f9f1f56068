import { randomBytes } from 'node:crypto';

/** The services of examples/entities.yaml that a seeded request goes through. */
const HOPS = [
  { service: 'frontend', span: 'GET /api/cart', kind: 2 },
  { service: 'orders-api', span: 'GET /orders/{id}', kind: 2 },
  { service: 'orders-api', span: 'SELECT orders', kind: 3 },
  { service: 'payments-api', span: 'POST /payments/authorize', kind: 2 },
] as const;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (key: string, value: string) => ({
  key,
  value: { stringValue: value },
});

/** One trace as OTLP/JSON resourceSpans: a chain of the hops, every tenth one failing. */
function traceSpans(
  traceId: string,
  startMs: number,
  index: number,
  runId: string,
) {
  const failing = index % 10 === 0;
  let parent: string | undefined;
  const byService = new Map<string, object[]>();
  HOPS.forEach((hop, depth) => {
    const spanId = hex(8);
    const start = BigInt(startMs + depth * 5) * 1_000_000n;
    const end = start + BigInt(100 - depth * 20) * 1_000_000n;
    const spans = byService.get(hop.service) ?? [];
    spans.push({
      traceId,
      spanId,
      ...(parent && { parentSpanId: parent }),
      name: hop.span,
      kind: hop.kind,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(end),
      attributes: [str('http.route', hop.span)],
      status: failing && depth === HOPS.length - 1 ? { code: 2 } : {},
    });
    byService.set(hop.service, spans);
    parent = spanId;
  });
  return [...byService].map(([service, spans]) => ({
    resource: {
      attributes: [
        str('service.name', service),
        str('service.namespace', 'shop'),
        str('bench.run', runId),
      ],
    },
    scopeSpans: [{ scope: { name: 'bench-load' }, spans }],
  }));
}

/**
 * Sends `traces` traces over OTLP/HTTP (JSON) spread over the last ten minutes and waits
 * until Tempo finds them: the range to search and one trace ID it serves.
 */
export async function seedTraces(options: {
  otlpUrl: string;
  tempoUrl: string;
  traces: number;
  runId: string;
}): Promise<{ traceId: string; start: number; end: number }> {
  const now = Date.now();
  const ids: string[] = [];
  for (let batch = 0; batch < options.traces; batch += 50) {
    const resourceSpans = [];
    for (let i = batch; i < Math.min(options.traces, batch + 50); i++) {
      const traceId = hex(16);
      ids.push(traceId);
      const startMs = now - Math.floor(((i + 1) / options.traces) * 600_000);
      resourceSpans.push(...traceSpans(traceId, startMs, i, options.runId));
    }
    const res = await fetch(`${options.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ resourceSpans }),
    });
    if (!res.ok) {
      throw new Error(
        `OTLP export answered ${res.status}: ${await res.text()}`,
      );
    }
  }

  const start = Math.floor(now / 1000) - 900;
  const end = Math.ceil(now / 1000) + 300;
  const q = encodeURIComponent(`{ resource.bench.run = "${options.runId}" }`);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const search = await fetch(
      `${options.tempoUrl}/api/search?q=${q}&start=${start}&end=${end}&limit=${options.traces}`,
    ).then(r => (r.ok ? r.json() : { traces: [] }));
    const found = (search as { traces?: unknown[] }).traces?.length ?? 0;
    const trace = await fetch(`${options.tempoUrl}/api/v2/traces/${ids[0]}`);
    // Tempo's search over recent data answers what its ingesters have cut so far.
    if (found >= Math.min(20, options.traces) && trace.ok) {
      console.error(`Tempo finds ${found} of the seeded traces`);
      return { traceId: ids[0], start, end };
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  throw new Error('Tempo did not find the seeded traces within 2 minutes');
}
