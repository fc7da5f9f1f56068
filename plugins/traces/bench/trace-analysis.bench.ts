/*
 * Benchmark of the trace-analysis models (plain TypeScript, no DOM) on generated traces: the
 * comparison of two traces (seed 1 against seed 2 of the same size, and a trace against
 * itself), the flame-graph layout and the span statistics. Prints a table; asserts nothing.
 *
 * Run (from the repository root, after `source .ci/bootstrap.sh`):
 *   yarn workspace @backstage-traces/plugin-traces bench:analysis [sizes...]
 * Default sizes: 10000 100000. "compare" includes building both waterfall models, as the
 * compare view does once both traces have arrived.
 */
/* eslint-disable no-console */ // a command-line script: printing is its output
// The repository's shared trace generator is a script, not a package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  generateTrace,
  toOtlpRequests,
} from '../../../bench/gen-large-trace.js';
import { otlpToTrace } from './otlpToTrace';
import { buildWaterfallModel } from '../src/components/TraceView/waterfallModel';
import {
  buildTraceDiff,
  visibleDiffRows,
} from '../src/components/TraceDiff/model/traceDiff';
import { buildFlameLayout } from '../src/components/TraceView/flame/flameLayout';
import { computeStatistics } from '../src/components/TraceView/statistics/traceStatistics';
import { hasGc, mb, median, ms, printTable, retained } from './benchTable';

const traceOf = (spans: number, seed: number) =>
  otlpToTrace(toOtlpRequests(generateTrace({ spans, seed }), 4_000_000));

async function measure(spans: number): Promise<Record<string, string>> {
  const a = traceOf(spans, 1);
  const b = traceOf(spans, 2);
  const runs = spans >= 100000 ? 5 : 9;
  const modelA = buildWaterfallModel(a);
  const modelB = buildWaterfallModel(b);

  const before = await retained();
  let diff = buildTraceDiff(modelA, modelB);
  const diffOnly = median(() => {
    diff = buildTraceDiff(modelA, modelB);
  }, runs);
  const afterDiff = await retained();
  const compare = median(
    () => buildTraceDiff(buildWaterfallModel(a), buildWaterfallModel(b)),
    runs,
  );
  const self = median(() => buildTraceDiff(modelA, modelA), runs);
  const rows = median(() => visibleDiffRows(diff, new Set()), runs);
  const rowsChanged = median(
    () => visibleDiffRows(diff, new Set(), true),
    runs,
  );

  let lanes = 0;
  const flame = median(() => {
    lanes = buildFlameLayout(modelA).laneCount;
  }, runs);
  const statistics = median(
    () =>
      computeStatistics(modelA, [{ kind: 'service' }, { kind: 'operation' }]),
    runs,
  );
  const byAttribute = median(
    () =>
      computeStatistics(modelA, [
        { kind: 'attribute', key: 'http.response.status_code' },
      ]),
    runs,
  );
  return {
    spans: `2 × ${spans}`,
    'compare (models + diff)': ms(compare),
    'diff only': ms(diffOnly),
    'diff with itself': ms(self),
    'merged nodes': String(diff.size),
    'rows: all': ms(rows),
    'rows: changed only': ms(rowsChanged),
    'diff heap MB': mb(afterDiff - before),
    'flame layout': ms(flame),
    'flame rows': String(lanes),
    'statistics (service, operation)': ms(statistics),
    'statistics (an attribute)': ms(byAttribute),
  };
}

async function main() {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter(n => n > 0);
  const rows: Array<Record<string, string>> = [];
  for (const spans of sizes.length ? sizes : [10000, 100000]) {
    rows.push(await measure(spans));
  }
  printTable(
    `trace analysis on Node ${process.version} (ms, median; heap after GC)`,
    rows,
  );
  if (!hasGc()) console.log('(run with --expose-gc for heap numbers)');
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
