// Render benchmark of the Waterfall component in jsdom (Jest), for traces of 1k, 10k and 100k
// spans: initial render, scroll to the middle, scroll to the end, and the rows in the DOM.
// Virtualization should keep every number nearly flat in the span count. It prints a table and
// asserts only that rows were rendered; it is not part of the normal test run (the default
// test match is *.test.*, and this file lives outside src/).
//
// Run (from the repository root, after `source .ci/bootstrap.sh`):
//   yarn workspace @backstage-traces/plugin-traces bench:render
// which is:
//   CI=true backstage-cli package test --roots '<rootDir>/../bench' \
//     --testMatch '**/*.bench.tsx' --testTimeout 600000
// Sizes can be set with BENCH_SPANS=1000,50000. Jest runs React's development build and jsdom
// has no layout engine, so the numbers are React + DOM work in a slow mode: compare the sizes
// with each other, not with a browser.
import { act, fireEvent, render } from '@testing-library/react';
import { ThemeProvider, createTheme } from '@mui/material/styles';
// The repository's shared trace generator is a script, not a package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  generateTrace,
  toOtlpRequests,
} from '../../../bench/gen-large-trace.js';
import { otlpToTrace } from './otlpToTrace';
import { buildWaterfallModel } from '../src/components/TraceView/waterfallModel';
import { computeVisibleRows } from '../src/components/TraceView/visibleRows';
import { Waterfall } from '../src/components/TraceView/Waterfall';
import { ROW_HEIGHT } from '../src/components/TraceView/WaterfallRoot';

const SIZES = (process.env.BENCH_SPANS ?? '1000,10000,100000')
  .split(',')
  .map(Number);
const RUNS = 5;

beforeAll(() => {
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1400);
});
afterAll(() => jest.restoreAllMocks());

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (v: number) => v.toFixed(1);

describe('Waterfall render benchmark', () => {
  it('renders and scrolls in time independent of the span count', () => {
    const theme = createTheme();
    const results: Array<Record<string, string>> = [];
    // The first size also warms up the JIT and module caches: measure it twice, keep the second.
    const sizes = [SIZES[0], ...SIZES];
    for (let k = 0; k < sizes.length; k++) {
      const spans = sizes[k];
      const trace = otlpToTrace(
        toOtlpRequests(generateTrace({ spans, seed: 1 }), 4_000_000),
      );
      const model = buildWaterfallModel(trace);
      const rows = computeVisibleRows(model, new Set());
      const noop = () => {};
      const initial: number[] = [];
      const middle: number[] = [];
      const end: number[] = [];
      let domRows = 0;
      for (let run = 0; run < RUNS; run++) {
        const t0 = performance.now();
        const view = render(
          <ThemeProvider theme={theme}>
            <Waterfall
              model={model}
              rows={rows}
              collapsed={new Set()}
              selectedRow={undefined}
              showCriticalPath
              height={800}
              onSelectRow={noop}
              onToggleRow={noop}
            />
          </ThemeProvider>,
        );
        initial.push(performance.now() - t0);
        const grid = view.getByRole('treegrid');
        const scrollTo = (top: number) => {
          const t = performance.now();
          act(() => {
            grid.scrollTop = top;
            fireEvent.scroll(grid);
          });
          return performance.now() - t;
        };
        middle.push(scrollTo((rows.length / 2) * ROW_HEIGHT));
        end.push(scrollTo(rows.length * ROW_HEIGHT - 800));
        domRows = view.getAllByRole('row').length;
        expect(
          view.getAllByRole('row').at(-1)!.getAttribute('aria-rowindex'),
        ).toBe(String(rows.length));
        view.unmount();
      }
      if (k === 0) continue;
      results.push({
        spans: String(spans),
        'initial render ms': ms(median(initial)),
        'scroll to middle ms': ms(median(middle)),
        'scroll to end ms': ms(median(end)),
        'rows in DOM': String(domRows),
      });
    }
    const columns = Object.keys(results[0]);
    const width = columns.map(c =>
      Math.max(c.length, ...results.map(r => r[c].length)),
    );
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => c.padStart(width[i])).join(' | ')} |`;
    process.stdout.write(
      [
        `\nWaterfall in jsdom (median of ${RUNS} runs; model building excluded)`,
        line(columns),
        `|${width.map(w => '-'.repeat(w + 2)).join('|')}|`,
        ...results.map(r => line(columns.map(c => r[c]))),
        '',
      ].join('\n'),
    );
  });
});
