import type { Range } from '@tanstack/react-virtual';

/** Rows rendered beyond the view on each side while the list is still. */
export const OVERSCAN = 12;
/** Most rows rendered ahead while the list moves. */
const MAX_AHEAD = 48;

/**
 * The row indexes to render for a view, scaled to how far the last scroll moved (`movedPx`,
 * negative upwards): ahead of a steady scroll, twice the rows of one move, so that rows are
 * already there when the compositor scrolls before the next render; after a jump of more
 * than a view, almost none, as the rows around the view are not the ones the next jump
 * lands on and would only make the frame slower.
 */
export function overscanRange(
  range: Range,
  movedPx: number,
  rowHeight: number,
) {
  const visible = range.endIndex - range.startIndex + 1;
  const moved = Math.abs(movedPx) / rowHeight;
  let before = OVERSCAN;
  let after = OVERSCAN;
  if (moved > visible) {
    before = 2;
    after = 2;
  } else if (moved > 0) {
    const ahead = Math.min(MAX_AHEAD, Math.max(OVERSCAN, Math.ceil(2 * moved)));
    const behind = OVERSCAN / 2;
    before = movedPx < 0 ? ahead : behind;
    after = movedPx < 0 ? behind : ahead;
  }
  const start = Math.max(0, range.startIndex - before);
  const end = Math.min(range.count - 1, range.endIndex + after);
  const indexes: number[] = [];
  for (let i = start; i <= end; i++) indexes.push(i);
  return indexes;
}
