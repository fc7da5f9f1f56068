/*
 * Benchmark of the waterfall model (plain TypeScript, no DOM) on generated traces of 1k, 10k and
 * 100k spans. Prints a table; it asserts nothing and is not part of the test run.
 *
 * Run (from the repository root, after `source .ci/bootstrap.sh`):
 *   yarn workspace @backstage-traces/plugin-traces bench:model
 * which is:
 *   node --expose-gc --import ../../bench/register.mjs bench/waterfall-model.bench.ts [sizes...]
 * Node >= 22.18 runs TypeScript by stripping types; register.mjs resolves the extensionless
 * imports the sources use. Optional arguments override the sizes, e.g. `... 2000 50000`.
 *
 * Traces come from gen-large-trace.js (a copy of the shared generator: realistic fan-out, depth
 * 12, ~8 attributes per span), go through OTLP/JSON and are converted to the API's Trace type.
 * Each timing is the median of several runs; "heap" is what the model retains (JS heap plus
 * typed-array buffers) after a forced GC, next to the size of the Trace it was built from.
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
  collapseAll,
  collapseBelowLevel,
  computeVisibleRows,
  expandAncestors,
  toggleRow,
} from '../src/components/TraceView/visibleRows';
import { searchSpans } from '../src/components/TraceView/spanSearch';
import { hasGc, mb, median, ms, printTable, retained } from './benchTable';

async function measure(spans: number): Promise<Record<string, string>> {
  const before = await retained();
  const trace = otlpToTrace(
    toOtlpRequests(generateTrace({ spans, seed: 1 }), 4_000_000),
  );
  const afterTrace = await retained();
  const runs = spans >= 100000 ? 5 : 9;

  let model = buildWaterfallModel(trace);
  const build = median(() => {
    model = buildWaterfallModel(trace);
  }, runs);
  const afterModel = await retained();

  const empty = new Set<number>();
  const allRows = median(() => computeVisibleRows(model, empty), runs);
  // The root's child with the largest subtree: collapsing it hides the most rows.
  let biggest = 1;
  for (let c = 1; c < model.subtreeEnd[0]; c = model.subtreeEnd[c]) {
    if (model.subtreeEnd[c] - c > model.subtreeEnd[biggest] - biggest)
      biggest = c;
  }
  let collapsed: ReadonlySet<number> = empty;
  const collapse = median(() => {
    collapsed = toggleRow(empty, biggest);
    computeVisibleRows(model, collapsed);
  }, runs);
  const expand = median(() => {
    computeVisibleRows(model, toggleRow(collapsed, biggest));
  }, runs);
  const all = collapseAll(model);
  const collapseEverything = median(
    () => computeVisibleRows(model, collapseAll(model)),
    runs,
  );
  const level3 = median(
    () => computeVisibleRows(model, collapseBelowLevel(model, 3)),
    runs,
  );

  let hits: Int32Array = new Int32Array(0);
  const search = median(() => {
    hits = searchSpans(model, 'order_items');
  }, runs);
  const searchKeyValue = median(
    () => searchSpans(model, 'status_code=500'),
    runs,
  );
  const searchReveal = median(() => {
    computeVisibleRows(
      model,
      expandAncestors(model, all, searchSpans(model, 'order_items')),
    );
  }, runs);
  const searchMiss = median(() => searchSpans(model, 'no-such-text'), runs);

  // Keep the trace alive until measured.
  if (!trace.spans.length) throw new Error('empty trace');
  return {
    spans: String(model.size),
    'build model': ms(build),
    'rows: all expanded': ms(allRows),
    'collapse top subtree': ms(collapse),
    'expand it again': ms(expand),
    'collapse all': ms(collapseEverything),
    'expand to level 3': ms(level3),
    search: ms(search),
    hits: String(hits.length),
    'search k=v': ms(searchKeyValue),
    'search + reveal': ms(searchReveal),
    'search, no hit': ms(searchMiss),
    'model heap MB': mb(afterModel - afterTrace),
    'trace heap MB': mb(afterTrace - before),
  };
}

async function main() {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter(n => n > 0);
  const rows: Array<Record<string, string>> = [];
  for (const spans of sizes.length ? sizes : [1000, 10000, 100000]) {
    rows.push(await measure(spans));
  }
  printTable(
    `waterfall model on Node ${process.version} (ms, median; heap after GC)`,
    rows,
  );
  if (!hasGc()) console.log('(run with --expose-gc for heap numbers)');
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
