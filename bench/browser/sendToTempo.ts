/*
 * Puts the generated seed-1 traces into a real Tempo for the browser benchmark: each one is
 * sent to Tempo's OTLP/HTTP receiver unless Tempo already answers it by ID (sending it again
 * would only duplicate its spans), with timestamps of two minutes ago, as Tempo's ingester
 * drops old spans.
 */
import { generateTrace, toOtlpRequests } from '../gen-large-trace.js';

export async function sendToTempo(options: {
  tempoUrl: string;
  otlpUrl: string;
  spans: number[];
}): Promise<Array<{ traceId: string; spans: number }>> {
  const traces: Array<{ traceId: string; spans: number }> = [];
  for (const spans of options.spans) {
    const trace = generateTrace({
      spans,
      seed: 1,
      baseTimeMs: Date.now() - 2 * 60_000,
    });
    traces.push({ traceId: trace.traceId, spans });
    const found = await fetch(
      `${options.tempoUrl}/api/v2/traces/${trace.traceId}`,
      { method: 'GET', headers: { Accept: 'application/protobuf' } },
    );
    // Tempo 2.7 answers an unknown trace with 200 and an empty message: a few bytes.
    if (found.ok && (await found.arrayBuffer()).byteLength > 1024) continue;
    for (const body of toOtlpRequests(trace)) {
      const sent = await fetch(`${options.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      if (!sent.ok) {
        throw new Error(
          `Tempo's OTLP receiver refused a part of the ${spans}-span trace: ${
            sent.status
          } ${await sent.text()}`,
        );
      }
    }
  }
  return traces;
}
