/*
 * Measures the trace view in headless Chromium, the way the large-trace goals were measured
 * for Jaeger UI: viewport 1600x1000, software raster, one generated trace (seed 1) per size.
 *
 * For each trace it reports
 *   - opening, from the navigation to the trace's URL (a full page load of the entity's
 *     Traces tab, the user already signed in) to the first frame with a waterfall row, and
 *     where that time goes: navigation to the trace request, the backend's answer (with its
 *     Server-Timing: store fetch, decode, window, encode), the transfer, the browser's decode
 *     (the client's `traces:decoded` mark) and the view's first rows;
 *   - three scrolls (measureScroll): frame times and painted-row coverage per frame;
 *   - collapse / expand: click on the toggle of the root span and of its largest visible
 *     child until the next frame has painted;
 *   - heap after the scrolls: the JS heap after a forced garbage collection.
 *
 * Used by run.ts; expects a running Backstage (backend serving the built app) whose Tempo
 * holds the generated traces (the fake Tempo, or a real one they were sent to).
 */
import type { Browser, Page } from 'playwright-core';
import {
  installScrollProbe,
  measureScroll,
  type ScrollMeasurement,
} from './measureScroll';

/** The waterfall's row height (plugins/traces WaterfallRoot ROW_HEIGHT). */
const ROW_HEIGHT = 28;

export interface OpeningMeasurement {
  /** Navigation start to the first frame with a row: what the user waits. */
  navigationToRowsMs: number;
  navigationToRequestMs: number;
  /** Request start to the first byte of the answer: the backend's whole part. */
  backendMs: number;
  /** The backend's own account (Server-Timing), name to milliseconds. */
  server: Record<string, number>;
  /**
   * The backend's part outside its route (request start to first byte, less the route's
   * Server-Timing `total`): the HTTP stack and middleware (the token check, compression's
   * first bytes) and waiting for the event loop (other requests, garbage collection). Without
   * a `total`, the part not in any stage.
   */
  backendOtherMs: number;
  transferMs: number;
  /** The answer's end to the decoded trace (JSON parse + compact decode). */
  browserDecodeMs: number;
  /** The decoded trace to the first frame with a row (model, render, paint). */
  firstRowsMs: number;
  /** Request start to the first row, and the answer's end to the first row. */
  requestToRowsMs: number;
  afterDataMs: number;
}

export interface WaterfallMeasurement {
  spans: number;
  opening: OpeningMeasurement;
  scrolls: ScrollMeasurement[];
  collapseMs: number;
  expandMs: number;
  heapMb: number;
  /** Bytes of the trace answer (decoded, before gzip) and on the wire. */
  payloadBytes: number;
  transferBytes: number;
  /** Windowed traces: spans in the first window, and one "+N not loaded" click. */
  window?: {
    loadedSpans: number;
    loadMoreMs: number;
    loadedAfter: number;
  };
}

export async function signIn(page: Page, baseUrl: string) {
  await page.goto(baseUrl);
  // Development sign-in: the guest provider's Enter button.
  await page.getByRole('button', { name: /enter/i }).click({ timeout: 60_000 });
  await page
    .getByRole('link', { name: 'Catalog' })
    .first()
    .waitFor({ timeout: 60_000 });
}

export async function measureWaterfall(
  browser: Browser,
  options: {
    baseUrl: string;
    entityPath: string;
    traceId: string;
    spans: number;
  },
): Promise<WaterfallMeasurement> {
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
  });
  await context.addInitScript(installRowWatch);
  await context.addInitScript(installScrollProbe);
  const page = await context.newPage();
  await signIn(page, options.baseUrl);
  const cdp = await context.newCDPSession(page);

  const url = `${options.baseUrl}${options.entityPath}/traces?traceId=${options.traceId}`;
  await page.goto(url);
  await page.waitForFunction(
    () => (window as any).__firstRowAt !== undefined,
    undefined,
    {
      timeout: 120_000,
      polling: 100,
    },
  );

  // All times in the page's own clock, from the navigation's start: the trace request's
  // timing entry (with the backend's Server-Timing), the client's decode mark and the first
  // frame in which a row was present (polled every frame from the start; installRowWatch).
  const timing = await page.evaluate(traceId => {
    const entry = performance
      .getEntriesByType('resource')
      .find(
        e =>
          e.name.includes(`/api/traces/traces/${traceId}`) &&
          !e.name.includes('/log'),
      ) as PerformanceResourceTiming | undefined;
    const firstRow = (window as any).__firstRowAt as number | undefined;
    if (!entry || firstRow === undefined) return undefined;
    const decoded = performance
      .getEntriesByName('traces:decoded', 'mark')
      .find(m => m.startTime >= entry.responseEnd);
    return {
      requestStart: entry.startTime,
      responseStart: entry.responseStart,
      responseEnd: entry.responseEnd,
      decoded: decoded?.startTime ?? NaN,
      firstRow,
      server: Object.fromEntries(
        entry.serverTiming.map(t => [t.name, t.duration]),
      ),
      payloadBytes: entry.decodedBodySize,
      transferBytes: entry.encodedBodySize,
    };
  }, options.traceId);
  if (!timing) throw new Error('no timing for the trace request');
  const opening: OpeningMeasurement = {
    navigationToRowsMs: timing.firstRow,
    navigationToRequestMs: timing.requestStart,
    backendMs: timing.responseStart - timing.requestStart,
    server: timing.server,
    backendOtherMs:
      timing.responseStart -
      timing.requestStart -
      (timing.server.total ??
        Object.values(timing.server).reduce((sum, d) => sum + d, 0)),
    transferMs: timing.responseEnd - timing.responseStart,
    browserDecodeMs: timing.decoded - timing.responseEnd,
    firstRowsMs: timing.firstRow - timing.decoded,
    requestToRowsMs: timing.firstRow - timing.requestStart,
    afterDataMs: Math.max(0, timing.firstRow - timing.responseEnd),
  };

  const scrolls: ScrollMeasurement[] = [];
  for (const kind of ['steps', '100px', 'wheel'] as const) {
    scrolls.push(await measureScroll(page, kind, ROW_HEIGHT));
  }

  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };

  const toggles = await page.evaluate(async () => {
    const el = document.querySelector(
      '[role="treegrid"][aria-label="Trace waterfall"]',
    ) as HTMLElement;
    const frame = () =>
      new Promise<number>(resolve => requestAnimationFrame(resolve));
    el.scrollTop = 0;
    await frame();
    await frame();
    const timeClick = async (button: HTMLElement) => {
      const start = performance.now();
      button.click();
      await frame(); // React commits on the click; this frame paints it
      await frame();
      return performance.now() - start;
    };
    const buttons = () => [
      ...el.querySelectorAll<HTMLElement>('button.tv-toggle'),
    ];
    // The second toggle belongs to the root's first child with children: a big subtree.
    const target = buttons()[1] ?? buttons()[0];
    const label = target.getAttribute('aria-label') ?? '';
    const collapse = await timeClick(target);
    const again = buttons().find(
      b =>
        b.getAttribute('aria-label') === label.replace(/^Collapse/, 'Expand'),
    );
    const expand = again ? await timeClick(again) : NaN;
    return { collapse, expand };
  });

  const window = await measureLoadMore(page);

  await context.close();
  return {
    payloadBytes: timing.payloadBytes,
    transferBytes: timing.transferBytes,
    ...(window && { window }),
    spans: options.spans,
    opening,
    scrolls,
    collapseMs: toggles.collapse,
    expandMs: toggles.expand,
    heapMb: heap.usedSize / 1024 / 1024,
  };
}

/**
 * In a windowed trace: the loaded span count, then one click on the first "+N not loaded"
 * button, timed until the notice counts the new spans and the next frame has painted.
 */
async function measureLoadMore(
  page: Page,
): Promise<WaterfallMeasurement['window']> {
  const notice = page.getByTestId('trace-window');
  if ((await notice.count()) === 0) return undefined;
  const loaded = async () =>
    Number(
      /Large trace: ([\d,]+) of/
        .exec((await notice.textContent()) ?? '')?.[1]
        ?.replace(/,/g, '') ?? NaN,
    );
  const before = await loaded();
  const ms = await page.evaluate(async () => {
    const frame = () =>
      new Promise<number>(resolve => requestAnimationFrame(resolve));
    const el = document.querySelector(
      '[role="treegrid"][aria-label="Trace waterfall"]',
    ) as HTMLElement;
    el.scrollTop = 0;
    await frame();
    const button = el.querySelector<HTMLElement>('button.tv-unloaded');
    const text = () =>
      document.querySelector('[data-testid="trace-window"]')?.textContent;
    if (!button) return NaN;
    const start = performance.now();
    const was = text();
    button.click();
    while (text() === was) await frame();
    await frame();
    return performance.now() - start;
  });
  return { loadedSpans: before, loadMoreMs: ms, loadedAfter: await loaded() };
}

/** Records the first animation frame in which a waterfall row exists, from page start. */
export const installRowWatch = `
  (() => {
    const tick = () => {
      if (document.querySelector('[role="treegrid"][aria-label="Trace waterfall"] [role="row"]')) {
        window.__firstRowAt = performance.now();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })();
`;
