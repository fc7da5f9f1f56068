import type { Span, Trace } from '@backstage-traces/plugin-traces-common';

/**
 * Adds a window of a large trace (a subtree answer) to what is loaded: spans joined by ID,
 * kept in start order, known spans left as they are. Windows carry the same resources in the
 * same order, so resource indexes carry over. O(loaded + window).
 */
export function mergeTraceWindow(loaded: Trace, window: Trace): Trace {
  const known = new Set<string>();
  for (const span of loaded.spans) known.add(span.spanId);
  const added = window.spans.filter(span => !known.has(span.spanId));
  if (added.length === 0) return loaded;

  const spans: Span[] = new Array(loaded.spans.length + added.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < loaded.spans.length && j < added.length) {
    spans[k++] =
      added[j].startMs < loaded.spans[i].startMs
        ? added[j++]
        : loaded.spans[i++];
  }
  while (i < loaded.spans.length) spans[k++] = loaded.spans[i++];
  while (j < added.length) spans[k++] = added[j++];

  const base = loaded.window;
  const extra = window.window;
  if (!base) return { ...loaded, spans };
  const sections = new Set(
    base.criticalPath.map(s => `${s.spanId}:${s.startMs}`),
  );
  const criticalPath = base.criticalPath.concat(
    (extra?.criticalPath ?? []).filter(
      s => !sections.has(`${s.spanId}:${s.startMs}`),
    ),
  );
  return { ...loaded, spans, window: { ...base, criticalPath } };
}
