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
 * `--hog` keeps one core busy beside the run (`node -e "for(;;){}"`), as the opening goal
 * for a busy machine asks; `--tempo http://127.0.0.1:3200` measures against a real Tempo
 * (the generated traces are sent to its OTLP/HTTP receiver first, see sendToTempo.ts).
 * `--production` runs the backend's production bundle as the Docker image does
 * (e2e/productionBackend.ts) instead of the development backend of `yarn start`.
 * Every figure is printed with the 1-minute load average read after its size.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { CHROMIUM, launchChromium, startStack } from '../../e2e/stack';
import { STEPS } from './measureScroll';
import { sendToTempo } from './sendToTempo';
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
    // The default window threshold: the comparison asks for whole traces (`whole=true`).
    const stack = await startStack({ spans: [size, size], build });
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

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

/** The 1-minute load average, as printed beside each figure. */
const load = () => loadavg()[0].toFixed(1);

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
  // --tempo URL: a real Tempo (its OTLP/HTTP receiver at --otlp, default port 4318 of the
  // same host) instead of the fake one; the traces are sent to it first.
  const tempoUrl = option(args, '--tempo');
  const tempo = tempoUrl && {
    url: tempoUrl,
    traces: await sendToTempo({
      tempoUrl,
      otlpUrl: option(args, '--otlp') ?? tempoUrl.replace(/:\d+\/?$/, ':4318'),
      spans: spans.map(Number),
    }),
  };
  const stack = await startStack({
    spans: spans.map(Number),
    tempo,
    build: args.includes('--build'),
    backendEnv: windowed ? {} : WHOLE,
    production: args.includes('--production'),
  });
  const { traces } = stack;
  // The goals ask for the opening on a busy machine too: one core kept busy beside it.
  const hog = args.includes('--hog')
    ? spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' })
    : undefined;
  const browser = await launchChromium();
  const results: Array<{ m: WaterfallMeasurement; load: string }> = [];
  try {
    for (const trace of traces) {
      const m = await measureWaterfall(browser, {
        baseUrl: stack.baseUrl,
        entityPath: '/catalog/default/component/web-gateway',
        traceId: trace.traceId,
        spans: trace.spans,
      });
      results.push({ m, load: load() });
    }
  } finally {
    hog?.kill();
    await browser.close();
    stack.stop();
  }

  const version = execFileSync(CHROMIUM, ['--version'], {
    encoding: 'utf8',
  }).trim();
  console.log(
    `${version}, headless, viewport 1600x1000; seed-1 traces from ${
      tempo ? `the real Tempo at ${tempo.url}` : 'the fake Tempo'
    }; ${
      windowed ? 'default window threshold' : 'whole traces (no windows)'
    }; ${
      args.includes('--production')
        ? 'production backend bundle'
        : 'development backend (yarn start)'
    }; ${hog ? 'a CPU hog (node -e "for(;;){}") beside' : 'no CPU hog'}; ${
      cpus().length
    } cores; load average = 1-minute, read after each size\n`,
  );
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
  table(
    [
      'spans',
      'load',
      'navigation → rows ms',
      'navigation → request',
      'backend (Server-Timing)',
      'transfer',
      'browser decode',
      'decoded → rows',
      'request → rows',
      'answer MB (gzip)',
      ...(windowed ? ['spans in first window', '"+N" click ms', 'then'] : []),
    ],
    results.map(({ m, load: l }) => [
      m.spans.toLocaleString('en-US'),
      l,
      ms(m.opening.navigationToRowsMs),
      ms(m.opening.navigationToRequestMs),
      `${ms(m.opening.backendMs)} (${
        Object.entries(m.opening.server)
          .map(([name, d]) => `${name} ${ms(d)}`)
          .join(', ') || 'no Server-Timing'
      }; other ${ms(m.opening.backendOtherMs)})`,
      ms(m.opening.transferMs),
      ms(m.opening.browserDecodeMs),
      ms(m.opening.firstRowsMs),
      ms(m.opening.requestToRowsMs),
      `${(m.payloadBytes / 1024 / 1024).toFixed(1)} (${(
        m.transferBytes /
        1024 /
        1024
      ).toFixed(1)})`,
      ...(windowed
        ? [
            m.window?.loadedSpans.toLocaleString('en-US') ?? 'whole',
            m.window ? ms(m.window.loadMoreMs) : '',
            m.window?.loadedAfter.toLocaleString('en-US') ?? '',
          ]
        : []),
    ]),
  );
  table(
    [
      'spans',
      'load',
      'scroll',
      'frames',
      'frame median ms',
      'frame p95 ms',
      'of it before paint, p95 ms',
      'rows painted (frames after a scroll change)',
      'stale rows',
      'no rows',
    ],
    results.flatMap(({ m, load: l }) =>
      m.scrolls.map(s => [
        m.spans.toLocaleString('en-US'),
        l,
        s.kind === 'steps' ? `${STEPS} steps` : s.kind,
        String(s.frames),
        s.medianMs.toFixed(1),
        s.p95Ms.toFixed(1),
        s.beforePaintP95Ms.toFixed(1),
        `${s.coveredFrames}/${s.scrolledFrames} (${(
          (100 * s.coveredFrames) /
          Math.max(1, s.scrolledFrames)
        ).toFixed(0)} %)`,
        String(s.staleFrames),
        String(s.scrolledFrames - s.coveredFrames - s.staleFrames),
      ]),
    ),
  );
  table(
    ['spans', 'load', 'collapse ms', 'expand ms', 'heap after forced GC MB'],
    results.map(({ m, load: l }) => [
      m.spans.toLocaleString('en-US'),
      l,
      ms(m.collapseMs),
      ms(m.expandMs),
      m.heapMb.toFixed(0),
    ]),
  );
}

function table(header: string[], rows: string[][]) {
  console.log(
    `| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`,
  );
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log();
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
