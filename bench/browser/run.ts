/*
 * Browser benchmark of the trace view: starts the fake Tempo with generated traces, the
 * Backstage backend serving the production build of the app, and headless Chromium (Debian's
 * `chromium`; Playwright cannot download browsers here), then prints one table row per size.
 *
 * Run from the repository root: `yarn bench:browser [sizes...]` (default 10000 50000 100000).
 * Builds packages/app first when packages/app/dist is missing (`--build` forces a rebuild).
 * Whole traces are measured with the backend's window threshold raised past every size;
 * `--windowed` keeps the default threshold (50,000 spans), so larger traces open in windows
 * (e.g. `yarn bench:browser --windowed 100000 1000000`).
 * `--diff` compares two generated traces of each size instead (seeds 1 and 2), e.g.
 * `yarn bench:browser --diff 100000`.
 */
import { execFileSync } from 'node:child_process';
import { CHROMIUM, launchChromium, startStack } from '../../e2e/stack';
import {
  measureWaterfall,
  type WaterfallMeasurement,
} from './measureWaterfall';
import { measureDiff, type DiffMeasurement } from './measureDiff';

/** Whole traces: the backend's window threshold raised past every size. */
const WHOLE = { APP_CONFIG_traces_largeTraces_windowThreshold: '100000000' };

/** `--diff`: one stack per size serving two traces of it; prints one row per size. */
async function benchDiff(sizes: number[], build: boolean) {
  const results: DiffMeasurement[] = [];
  for (const size of sizes) {
    const stack = await startStack({
      spans: [size, size],
      build,
      backendEnv: WHOLE,
    });
    const browser = await launchChromium();
    try {
      const [a, b] = stack.traces;
      results.push(
        await measureDiff(browser, {
          baseUrl: stack.baseUrl,
          entityPath: '/catalog/default/component/web-gateway',
          a,
          b,
        }),
      );
    } finally {
      await browser.close();
      stack.stop();
    }
  }
  const header = [
    'spans',
    'both trace requests ms',
    'tree visible after data ms',
    'requests to tree ms',
    'merged nodes',
    'heap MB',
    'rows in DOM',
  ];
  console.log(
    `| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`,
  );
  for (const r of results) {
    console.log(
      `| ${[
        r.spans.map(n => n.toLocaleString('en-US')).join(' × '),
        r.dataMs.toFixed(0),
        r.rowsVisibleMs.toFixed(0),
        r.requestToRowsMs.toFixed(0),
        r.summary,
        r.heapMb.toFixed(0),
        r.rowsInDom,
      ].join(' | ')} |`,
    );
  }
}

async function main() {
  const args = process.argv.slice(2);
  const sizes = args.filter(a => /^\d+$/.test(a));
  const spans = sizes.length ? sizes : ['10000', '50000', '100000'];

  if (args.includes('--diff')) {
    await benchDiff(
      sizes.length ? sizes.map(Number) : [100000],
      args.includes('--build'),
    );
    return;
  }
  const windowed = args.includes('--windowed');
  const stack = await startStack({
    spans: spans.map(Number),
    build: args.includes('--build'),
    backendEnv: windowed ? {} : WHOLE,
  });
  const { traces } = stack;
  const browser = await launchChromium();
  const results: WaterfallMeasurement[] = [];
  try {
    for (const trace of traces) {
      results.push(
        await measureWaterfall(browser, {
          baseUrl: stack.baseUrl,
          entityPath: '/catalog/default/component/web-gateway',
          traceId: trace.traceId,
          spans: trace.spans,
        }),
      );
    }
  } finally {
    await browser.close();
    stack.stop();
  }

  const version = execFileSync(CHROMIUM, ['--version'], {
    encoding: 'utf8',
  }).trim();
  console.log(
    `${version}, headless, viewport 1600x1000; ${200} scroll steps\n`,
  );
  const header = [
    'spans',
    'trace request ms',
    'rows visible after data ms',
    'request to rows ms',
    'scroll frame median ms',
    'scroll frame p95 ms',
    'collapse ms',
    'expand ms',
    'heap after scroll MB',
    'rows in DOM',
    'answer MB (gzip)',
    ...(windowed
      ? ['spans in first window', '"+N not loaded" click ms', 'loaded after']
      : []),
  ];
  console.log(
    `| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`,
  );
  for (const r of results) {
    console.log(
      `| ${[
        r.spans.toLocaleString('en-US'),
        r.dataMs.toFixed(0),
        r.rowsVisibleMs.toFixed(0),
        r.requestToRowsMs.toFixed(0),
        r.scrollMedianMs.toFixed(1),
        r.scrollP95Ms.toFixed(1),
        r.collapseMs.toFixed(0),
        r.expandMs.toFixed(0),
        r.heapMb.toFixed(0),
        r.rowsInDom,
        `${(r.payloadBytes / 1024 / 1024).toFixed(1)} (${(
          r.transferBytes /
          1024 /
          1024
        ).toFixed(1)})`,
        ...(windowed
          ? [
              r.window?.loadedSpans.toLocaleString('en-US') ?? 'whole',
              r.window?.loadMoreMs.toFixed(0) ?? '',
              r.window?.loadedAfter.toLocaleString('en-US') ?? '',
            ]
          : []),
      ].join(' | ')} |`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
