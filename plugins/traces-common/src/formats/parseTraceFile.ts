import type { CompactTrace } from '../compact/CompactTrace';
import { jaegerJsonToCompact, type JaegerTrace } from './jaegerJsonToCompact';
import { otlpId, type OtlpResourceSpans } from './otlpJson';
import { otlpJsonToCompact } from './otlpJsonToCompact';

/** The formats a trace file may be in; each has one producer. */
export type TraceFileFormat =
  | 'OTLP JSON'
  | 'OTLP JSON lines'
  | 'Tempo v1 JSON'
  | 'Tempo v2 JSON'
  | 'Jaeger JSON';

export interface ParsedTraceFile {
  format: TraceFileFormat;
  trace: CompactTrace;
  /** Every trace in the file with its span count, in file order (most files hold one). */
  traces: Array<{ traceId: string; spans: number }>;
}

/** A file that is not a trace we can read; the message says what is wrong. */
export class TraceFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceFileError';
  }
}

/**
 * Reads a trace file in the browser: OTLP JSON (an export request, or the collector's file
 * exporter with one JSON object per line), Tempo's `/api/traces/{id}` (v1 `batches`) and
 * `/api/v2/traces/{id}` (`{"trace":…}`) answers, and Jaeger UI's JSON download. Of a file with
 * several traces it reads `traceId`, else the first. Throws `TraceFileError` naming what is
 * wrong; never anything else for any input.
 */
export function parseTraceFile(
  text: string,
  options: { traceId?: string } = {},
): ParsedTraceFile {
  if (!text.trim()) throw new TraceFileError('The file is empty.');
  const { values, lines } = parseJson(text);

  const first = values[0];
  if (!isObject(first)) {
    throw new TraceFileError(
      `The file is JSON, but ${describe(first)}, not a trace.`,
    );
  }
  try {
    if ('data' in first && !lines) {
      return fromJaeger(first.data, options.traceId);
    }
    if (lines || 'resourceSpans' in first) {
      const batches = values.flatMap((value, i) => {
        const where = lines ? `Line ${i + 1}` : 'The file';
        if (!isObject(value) || !('resourceSpans' in value)) {
          throw new TraceFileError(`${where} has no resourceSpans.`);
        }
        return checkBatches(value.resourceSpans, 'resourceSpans', where);
      });
      return fromOtlp(
        batches,
        lines ? 'OTLP JSON lines' : 'OTLP JSON',
        options,
      );
    }
    if ('batches' in first) {
      return fromOtlp(
        checkBatches(first.batches, 'batches', 'The file'),
        'Tempo v1 JSON',
        options,
      );
    }
    if ('trace' in first && isObject(first.trace)) {
      const trace = first.trace;
      const batches = checkBatches(
        trace.resourceSpans ?? trace.batches ?? [],
        'trace.resourceSpans',
        'The file',
      );
      return fromOtlp(batches, 'Tempo v2 JSON', options);
    }
  } catch (error) {
    if (error instanceof TraceFileError) throw error;
    // A shape the checks above let through (a number where a list should be, deep down).
    throw new TraceFileError(
      `The file looks like a trace but cannot be read: ${
        (error as Error).message
      }`,
    );
  }
  throw new TraceFileError(
    'The file is JSON, but not a trace: expected OTLP JSON ("resourceSpans"), ' +
      `Tempo's trace JSON ("batches" or "trace") or Jaeger's JSON ("data"); it has ${keysOf(
        first,
      )}.`,
  );
}

function parseJson(text: string): { values: unknown[]; lines: boolean } {
  try {
    return { values: [JSON.parse(text)], lines: false };
  } catch (whole) {
    const rows = text.split('\n');
    const nonEmpty = rows.filter(row => row.trim());
    if (nonEmpty.length < 2) {
      throw new TraceFileError(
        `The file is not JSON: ${(whole as Error).message}`,
      );
    }
    const values: unknown[] = [];
    rows.forEach((row, i) => {
      if (!row.trim()) return;
      try {
        values.push(JSON.parse(row));
      } catch (error) {
        throw new TraceFileError(
          `The file is neither JSON nor JSON lines: line ${i + 1}: ${
            (error as Error).message
          }`,
        );
      }
    });
    return { values, lines: true };
  }
}

function fromOtlp(
  batches: OtlpResourceSpans[],
  format: TraceFileFormat,
  options: { traceId?: string },
): ParsedTraceFile {
  const counts = new Map<string, number>();
  for (const batch of batches) {
    for (const scope of batch.scopeSpans ??
      batch.instrumentationLibrarySpans ??
      []) {
      for (const span of scope.spans ?? []) {
        const id = otlpId(span.traceId, 16) ?? '';
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
  }
  const traces = [...counts].map(([traceId, spans]) => ({ traceId, spans }));
  const wanted = pick(traces, options.traceId);
  const trace = otlpJsonToCompact(batches, {
    ...(traces.length > 1 && { onlyTraceId: wanted }),
  });
  if (!trace)
    throw new TraceFileError(`The file is ${format}, but holds no spans.`);
  return { format, trace, traces };
}

function fromJaeger(data: unknown, traceId?: string): ParsedTraceFile {
  if (!Array.isArray(data)) {
    throw new TraceFileError(
      'The file has "data", but it is not a list of traces.',
    );
  }
  const traces: JaegerTrace[] = data.map((item, i) => {
    if (!isObject(item) || !Array.isArray(item.spans)) {
      throw new TraceFileError(`Jaeger JSON: data[${i}] has no list of spans.`);
    }
    item.spans.forEach((span, j) => {
      if (!isObject(span) || typeof span.spanID !== 'string') {
        throw new TraceFileError(
          `Jaeger JSON: data[${i}].spans[${j}] has no spanID.`,
        );
      }
    });
    return item as unknown as JaegerTrace;
  });
  const list = traces.map(t => ({
    traceId: String(t.traceID ?? t.spans[0]?.traceID ?? '')
      .toLowerCase()
      .padStart(32, '0'),
    spans: t.spans.length,
  }));
  const wanted = pick(list, traceId);
  const index = Math.max(
    0,
    list.findIndex(t => t.traceId === wanted),
  );
  const trace = traces[index] && jaegerJsonToCompact(traces[index]);
  if (!trace)
    throw new TraceFileError('The file is Jaeger JSON, but holds no spans.');
  return { format: 'Jaeger JSON', trace, traces: list };
}

function pick(
  traces: Array<{ traceId: string }>,
  wanted?: string,
): string | undefined {
  if (wanted && traces.some(t => t.traceId === wanted)) return wanted;
  return traces[0]?.traceId;
}

/** Checks the nesting the producer walks, so a wrong shape is named rather than crashing it. */
function checkBatches(
  value: unknown,
  path: string,
  where: string,
): OtlpResourceSpans[] {
  if (!Array.isArray(value))
    throw new TraceFileError(`${where}: ${path} is not a list.`);
  value.forEach((batch, i) => {
    if (!isObject(batch))
      throw new TraceFileError(`${where}: ${path}[${i}] is not an object.`);
    const scopesKey =
      'scopeSpans' in batch ? 'scopeSpans' : 'instrumentationLibrarySpans';
    const scopes = batch[scopesKey] ?? [];
    if (!Array.isArray(scopes)) {
      throw new TraceFileError(
        `${where}: ${path}[${i}].${scopesKey} is not a list.`,
      );
    }
    scopes.forEach((scope, j) => {
      const spans = isObject(scope) ? scope.spans ?? [] : undefined;
      if (!Array.isArray(spans)) {
        throw new TraceFileError(
          `${where}: ${path}[${i}].${scopesKey}[${j}].spans is not a list.`,
        );
      }
      spans.forEach((span, k) => {
        if (!isObject(span)) {
          throw new TraceFileError(
            `${where}: ${path}[${i}].${scopesKey}[${j}].spans[${k}] is not an object.`,
          );
        }
      });
    });
  });
  return value as OtlpResourceSpans[];
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

function keysOf(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return 'no fields';
  const shown = keys
    .slice(0, 5)
    .map(k => `"${k}"`)
    .join(', ');
  return `${shown}${keys.length > 5 ? ', …' : ''}`;
}
