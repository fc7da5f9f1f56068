/*
 * Measures the comparison of two traces in headless Chromium (same setup as the waterfall
 * measurement): the Traces tab opened with `?compare=A,B`, both traces fetched in parallel.
 *
 * Reports the two trace requests (from the first request's start to the last one's end), the
 * time from the moment both have arrived until the first row of the merged tree is on screen
 * (both waterfall models, the diff and the first render), end to end, the JS heap after a
 * forced GC and the rows in the DOM.
 */
import type { Browser } from 'playwright-core';
import { signIn } from './measureWaterfall';

export interface DiffMeasurement {
  spans: [number, number];
  dataMs: number;
  rowsVisibleMs: number;
  requestToRowsMs: number;
  /** Merged nodes by change: only in A, only in B, changed, unchanged (the summary line). */
  summary: string;
  heapMb: number;
  rowsInDom: number;
}

const TREE =
  '[role="treegrid"][aria-label="Compared spans by service and operation"]';

/** Records the first animation frame in which a row of the merged tree exists. */
const installDiffRowWatch = `
  (() => {
    const tick = () => {
      if (document.querySelector('${TREE} [role="row"]')) {
        window.__firstDiffRowAt = performance.now();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })();
`;

export async function measureDiff(
  browser: Browser,
  options: {
    baseUrl: string;
    entityPath: string;
    a: { traceId: string; spans: number };
    b: { traceId: string; spans: number };
  },
): Promise<DiffMeasurement> {
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
  });
  await context.addInitScript(installDiffRowWatch);
  const page = await context.newPage();
  await signIn(page, options.baseUrl);
  const cdp = await context.newCDPSession(page);

  await page.goto(
    `${options.baseUrl}${options.entityPath}/traces?compare=${options.a.traceId},${options.b.traceId}`,
  );
  await page.waitForFunction(
    () => (window as any).__firstDiffRowAt !== undefined,
    undefined,
    { timeout: 180_000, polling: 100 },
  );
  const timing = await page.evaluate(
    ids => {
      const entries = performance
        .getEntriesByType('resource')
        .filter(e =>
          ids.some(
            id =>
              e.name.includes(`/api/traces/traces/${id}`) &&
              !e.name.includes('/log'),
          ),
        ) as PerformanceResourceTiming[];
      return {
        requests: entries.length,
        requestStart: Math.min(...entries.map(e => e.startTime)),
        responseEnd: Math.max(...entries.map(e => e.responseEnd)),
        firstRow: (window as any).__firstDiffRowAt as number,
      };
    },
    [options.a.traceId, options.b.traceId],
  );
  if (timing.requests < 2) throw new Error('no timing for the trace requests');

  const summary = await page
    .getByRole('group', { name: 'Summary of the comparison' })
    .locator('p')
    .allTextContents();
  const rowsInDom = await page.locator(`${TREE} [role="row"]`).count();
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await context.close();
  return {
    spans: [options.a.spans, options.b.spans],
    dataMs: timing.responseEnd - timing.requestStart,
    rowsVisibleMs: Math.max(0, timing.firstRow - timing.responseEnd),
    requestToRowsMs: timing.firstRow - timing.requestStart,
    summary: summary.join(' · '),
    heapMb: heap.usedSize / 1024 / 1024,
    rowsInDom,
  };
}
