import { ConfigReader } from '@backstage/config';
import {
  decodeCompactTrace,
  type CompactTrace,
  type Trace,
} from '@backstage-traces/plugin-traces-common';
import { Redactor } from '../redaction/Redactor';
import { protobufToCompact } from '../tempo/protobufToCompact';
import { tempoJsonToCompact } from '../tempo/tempoJsonToCompact';
import type { TempoTraceByIdV2 } from '../tempo/wireTypes';
import { encodeTraceByIdResponse } from './tempoProto';
import { tempoTraceV2, type WireSpanSpec } from './tempoTraceBuilder';

export const WINDOW_TRACE = '0af7651916cd43dd8448eb211c80319c';

/** A compact trace through the real path: Tempo JSON shape → protobuf → decoder. */
export function compactTraceOf(spans: WireSpanSpec[]): CompactTrace {
  return protobufToCompact(
    encodeTraceByIdResponse(tempoTraceV2(WINDOW_TRACE, spans)),
    WINDOW_TRACE,
    Redactor.fromConfig(new ConfigReader({})),
  )!;
}

/**
 * A tree of `fanOut`^1 + … + `fanOut`^`depth` spans below one root. Span IDs are hex of
 * their creation order (root = 1, depth first); `error` marks spans. Siblings run one after
 * the other (every span is on the critical path) or, `parallel`, all start with their parent
 * and the last one runs longest (the critical path is the chain of last children).
 */
export function wideTree(
  fanOut: number,
  depth: number,
  error: (id: number) => boolean = () => false,
  parallel = false,
): WireSpanSpec[] {
  const spans: WireSpanSpec[] = [];
  let next = 1;
  const add = (
    parent: string | undefined,
    level: number,
    startMs: number,
    durationMs: number,
  ) => {
    const id = (next++).toString(16);
    spans.push({
      id,
      ...(parent && { parent }),
      service: level % 2 === 0 ? 'frontend' : 'orders-api',
      kind: level === 0 ? 'SERVER' : 'INTERNAL',
      startMs,
      durationMs,
      error: error(next - 1),
    });
    if (level < depth) {
      const slice = durationMs / fanOut;
      for (let i = 0; i < fanOut; i++) {
        if (parallel) {
          add(id, level + 1, startMs, durationMs * (0.5 + (0.4 * i) / fanOut));
        } else add(id, level + 1, startMs + i * slice, slice * 0.9);
      }
    }
  };
  add(undefined, 0, 0, 1000);
  return spans;
}

/** Tempo's JSON answer of a trace as the API's `Trace`, through the JSON producer. */
export function traceOfTempoJson(
  requestedTraceId: string,
  body: TempoTraceByIdV2,
): Trace | undefined {
  const compact = tempoJsonToCompact(requestedTraceId, body);
  return compact && decodeCompactTrace(compact);
}
