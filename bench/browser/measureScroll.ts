/*
 * Scrolling the waterfall, frame by frame: frame times from requestAnimationFrame and, for
 * every frame in which the scroll position changed, whether rows covered the view when that
 * frame was produced.
 *
 * "When the frame was produced" is after every animation-frame callback and after layout:
 * the probe is a ResizeObserver on a 1 px element whose width is flipped after each scroll
 * change, and ResizeObserver callbacks run after layout, right before paint. There the probe
 * asks `document.elementFromPoint` for the middle of the visible part of the waterfall: it
 * must hit a row, and the row at the scroll position (its aria-rowindex, give or take one for
 * sub-pixel rounding), not one left over from the previous position. Checking in the next animation frame instead would be too
 * kind: by then the scroll event has re-rendered the rows, but the frame before was already
 * painted without them.
 *
 * Three scrolls:
 *   - steps: 200 jumps from the top to the bottom, one per frame, set from an animation frame;
 *   - 100 px: 200 frames of 100 px each, set from an animation frame;
 *   - wheel: 100 mouse-wheel notches of 100 px through the browser's input pipeline.
 */
import type { Page } from 'playwright-core';

export type ScrollKind = 'steps' | '100px' | 'wheel';

export interface ScrollMeasurement {
  kind: ScrollKind;
  /** Frames measured (frame intervals). */
  frames: number;
  medianMs: number;
  p95Ms: number;
  /** Frames produced after a scroll change, and those whose middle showed the right row. */
  scrolledFrames: number;
  coveredFrames: number;
  /** Of the rest: a row of another position (stale) or no row at all (blank). */
  staleFrames: number;
  /**
   * p95 of the time from the frame's start to the probe (script, style and layout of the
   * frames after a scroll change): what is left of a long frame is paint and raster.
   */
  beforePaintP95Ms: number;
  rowsInDom: number;
}

export const STEPS = 200;
const WHEEL_NOTCHES = 100;
const WHEEL_DELTA = 100;

/** Installed before the app's scripts: `window.__scrollProbe(grid, rowHeight)`. */
export const installScrollProbe = `
  window.__scrollProbe = (grid, rowHeight) => {
    const results = { covered: 0, stale: 0, blank: 0, beforePaint: [] };
    let frameStart = 0;
    const sentinel = document.createElement('div');
    sentinel.style.cssText =
      'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0';
    document.body.appendChild(sentinel);
    let armed = false;
    const observer = new ResizeObserver(() => {
      if (!armed) return; // the first, initial observation
      armed = false;
      // Script, style and layout of this frame so far; the rest of it is paint.
      results.beforePaint.push(performance.now() - frameStart);
      const rowgroup = grid.querySelector('[role="rowgroup"]');
      const box = grid.getBoundingClientRect();
      const top = Math.max(box.top, 0);
      const bottom = Math.min(box.bottom, window.innerHeight);
      const x = box.left + box.width / 2;
      const y = (top + bottom) / 2;
      const hit = document.elementFromPoint(x, y);
      const row = hit && hit.closest('[role="row"]');
      if (!row || !rowgroup) {
        results.blank++;
        return;
      }
      // The row at that height by the scroll position; ±1 for sub-pixel rounding at a
      // row boundary.
      const expected =
        Math.floor((y - rowgroup.getBoundingClientRect().top) / rowHeight) + 1;
      const index = Number(row.getAttribute('aria-rowindex'));
      if (Math.abs(index - expected) <= 1) results.covered++;
      else results.stale++;
    });
    observer.observe(sentinel);
    let wide = false;
    return {
      results,
      /** After a scroll change: check the frame being produced. */
      poke() {
        armed = true;
        frameStart = document.timeline.currentTime;
        wide = !wide;
        sentinel.style.width = wide ? '2px' : '1px';
      },
      stop() {
        observer.disconnect();
        sentinel.remove();
      },
    };
  };
`;

const GRID = '[role="treegrid"][aria-label="Trace waterfall"]';

export async function measureScroll(
  page: Page,
  kind: ScrollKind,
  rowHeight: number,
): Promise<ScrollMeasurement> {
  await page.evaluate(
    async ({ grid }) => {
      const el = document.querySelector(grid) as HTMLElement;
      el.scrollTop = 0;
      const frame = () => new Promise(r => requestAnimationFrame(r));
      await frame();
      await frame();
    },
    { grid: GRID },
  );
  if (kind === 'wheel') return measureWheel(page, rowHeight);
  return page.evaluate(
    async ({ grid, kind: k, steps, rowHeight: h }) => {
      const el = document.querySelector(grid) as HTMLElement;
      const probe = (window as any).__scrollProbe(el, h);
      const p95 = (xs: number[]) =>
        [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;
      const frame = () =>
        new Promise<number>(resolve => requestAnimationFrame(resolve));
      const max = el.scrollHeight - el.clientHeight;
      let last = await frame();
      const deltas: number[] = [];
      let scrolled = 0;
      for (let i = 1; i <= steps; i++) {
        const before = el.scrollTop;
        el.scrollTop =
          k === 'steps' ? Math.round((max * i) / steps) : before + 100;
        if (el.scrollTop !== before) {
          scrolled++;
          probe.poke();
        }
        const now = await frame();
        deltas.push(now - last);
        last = now;
      }
      probe.stop();
      deltas.sort((a, b) => a - b);
      return {
        kind: k,
        frames: deltas.length,
        medianMs: deltas[Math.floor(deltas.length / 2)],
        p95Ms: deltas[Math.floor(deltas.length * 0.95)],
        scrolledFrames: scrolled,
        coveredFrames: probe.results.covered,
        staleFrames: probe.results.stale,
        beforePaintP95Ms: p95(probe.results.beforePaint),
        rowsInDom: el.querySelectorAll('[role="row"]').length,
      };
    },
    { grid: GRID, kind, steps: STEPS, rowHeight },
  );
}

/**
 * Wheel notches through Chromium's input pipeline (CDP), while the page records every frame
 * and probes each one in which the scroll position moved.
 */
async function measureWheel(
  page: Page,
  rowHeight: number,
): Promise<ScrollMeasurement> {
  const box = await page.locator(GRID).boundingBox();
  if (!box) throw new Error('the waterfall is not on screen');
  await page.mouse.move(
    box.x + box.width / 2,
    box.y + Math.min(box.height, 1000 - box.y) / 2,
  );
  await page.evaluate(
    ({ grid, rowHeight: h }) => {
      const el = document.querySelector(grid) as HTMLElement;
      const probe = (window as any).__scrollProbe(el, h);
      const times: number[] = [];
      let scrolled = 0;
      let last = el.scrollTop;
      let running = true;
      const tick = (now: number) => {
        if (!running) return;
        times.push(now);
        if (el.scrollTop !== last) {
          last = el.scrollTop;
          scrolled++;
          probe.poke();
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      (window as any).__wheel = {
        stop() {
          running = false;
          probe.stop();
          return { times, scrolled, results: probe.results };
        },
      };
    },
    { grid: GRID, rowHeight },
  );
  for (let i = 0; i < WHEEL_NOTCHES; i++) {
    await page.mouse.wheel(0, WHEEL_DELTA);
  }
  return page.evaluate(async grid => {
    const p95 = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;
    const frame = () => new Promise(r => requestAnimationFrame(r));
    await frame();
    await frame();
    const { times, scrolled, results } = (window as any).__wheel.stop();
    const deltas: number[] = [];
    for (let i = 1; i < times.length; i++) deltas.push(times[i] - times[i - 1]);
    deltas.sort((a, b) => a - b);
    const el = document.querySelector(grid) as HTMLElement;
    return {
      kind: 'wheel' as const,
      frames: deltas.length,
      medianMs: deltas[Math.floor(deltas.length / 2)],
      p95Ms: deltas[Math.floor(deltas.length * 0.95)],
      scrolledFrames: scrolled,
      coveredFrames: results.covered,
      staleFrames: results.stale,
      beforePaintP95Ms: p95(results.beforePaint),
      rowsInDom: el.querySelectorAll('[role="row"]').length,
    };
  }, GRID);
}
