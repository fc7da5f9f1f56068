import { observeElementOffset } from '@tanstack/react-virtual';

/** Frames without a scroll change after which the per-frame check stops. */
const IDLE_FRAMES = 30;

/**
 * react-virtual's scroll observer, plus one look at the scroll position per animation frame
 * while the list scrolls. A position set by script during an animation frame (smooth-scroll
 * code, a drag handler, a benchmark) raises its scroll event only in the next frame, after
 * the current frame was painted: with the scroll event alone, those frames show the rows of
 * the previous position, or none at all when the jump is larger than the overscan. The
 * per-frame look runs after such callbacks (it was registered after them), so the rows are
 * rendered (react-virtual flushes synchronously while scrolling) before the frame is painted.
 */
export const observeScrollEveryFrame: typeof observeElementOffset = (
  instance,
  cb,
) => {
  const element = instance.scrollElement;
  let frame = 0;
  let idle = 0;
  let offset = -1;
  const look = () => {
    frame = 0;
    if (!element) return;
    const now = element.scrollTop;
    if (now !== offset) {
      offset = now;
      idle = 0;
      cb(now, true);
    } else if (++idle > IDLE_FRAMES) {
      return;
    }
    frame = requestAnimationFrame(look);
  };
  const stop = observeElementOffset(instance, (next, isScrolling) => {
    offset = next;
    cb(next, isScrolling);
    if (isScrolling && !frame && typeof requestAnimationFrame === 'function') {
      idle = 0;
      frame = requestAnimationFrame(look);
    }
  });
  return () => {
    stop?.();
    if (frame) cancelAnimationFrame(frame);
  };
};
