/*
 * Measures the trace view in headless Chromium, the way the large-trace goals were measured
 * for Jaeger UI: viewport 1600x1000, software raster, one generated trace per size.
 *
 * For each trace it reports
 *   - rows visible: from the moment the trace's data has arrived (responseEnd of the trace
 *     request) until the first waterfall row is on screen, and end to end from the start of
 *     that request;
 *   - scroll frames: 200 scroll steps from the top to the bottom of the waterfall, one per
 *     animation frame, frame times from requestAnimationFrame (median and p95);
 *   - collapse / expand: click on the toggle of the root span and of its largest visible
 *     child until the next frame has painted;
 *   - heap after the full scroll: the JS heap after a forced garbage collection.
 *
 * Used by run.ts; expects a running Backstage (backend serving the built app) whose Tempo
 * is the fake Tempo with the generated traces.
 */
import type { Browser, Page } from 'playwright-core';

export interface WaterfallMeasurement {
  spans: number;
  dataMs: number;
  rowsVisibleMs: number;
  requestToRowsMs: number;
  scrollMedianMs: number;
  scrollP95Ms: number;
  collapseMs: number;
  expandMs: number;
  heapMb: number;
  rowsInDom: number;
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

const STEPS = 200;

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

  // Both times in the page's own clock: the trace request's timing entry and the first frame
  // in which a row was present (polled every frame from the start; see installRowWatch).
  const timing = await page.evaluate(traceId => {
    const entry = performance
      .getEntriesByType('resource')
      .find(
        e =>
          e.name.includes(`/api/traces/traces/${traceId}`) &&
          !e.name.includes('/log'),
      ) as PerformanceResourceTiming | undefined;
    const firstRow = (window as any).__firstRowAt as number | undefined;
    return (
      entry && {
        requestStart: entry.startTime,
        responseEnd: entry.responseEnd,
        firstRow,
        payloadBytes: entry.decodedBodySize,
        transferBytes: entry.encodedBodySize,
      }
    );
  }, options.traceId);
  if (!timing || timing.firstRow === undefined)
    throw new Error('no timing for the trace request');

  const scroll = await page.evaluate(async steps => {
    const el = document.querySelector(
      '[role="treegrid"][aria-label="Trace waterfall"]',
    ) as HTMLElement;
    const frame = () =>
      new Promise<number>(resolve => requestAnimationFrame(resolve));
    const max = el.scrollHeight - el.clientHeight;
    el.scrollTop = 0;
    await frame();
    await frame();
    let last = await frame();
    const deltas: number[] = [];
    for (let i = 1; i <= steps; i++) {
      el.scrollTop = Math.round((max * i) / steps);
      const now = await frame();
      deltas.push(now - last);
      last = now;
    }
    const rows = el.querySelectorAll('[role="row"]').length;
    deltas.sort((a, b) => a - b);
    return {
      median: deltas[Math.floor(deltas.length / 2)],
      p95: deltas[Math.floor(deltas.length * 0.95)],
      rows,
    };
  }, STEPS);

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
    dataMs: timing.responseEnd - timing.requestStart,
    rowsVisibleMs: Math.max(0, timing.firstRow - timing.responseEnd),
    requestToRowsMs: timing.firstRow - timing.requestStart,
    scrollMedianMs: scroll.median,
    scrollP95Ms: scroll.p95,
    collapseMs: toggles.collapse,
    expandMs: toggles.expand,
    heapMb: heap.usedSize / 1024 / 1024,
    rowsInDom: scroll.rows,
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
