import { OVERSCAN, overscanRange } from './overscanRange';

describe('overscanRange', () => {
  const view = {
    startIndex: 100,
    endIndex: 135,
    overscan: OVERSCAN,
    count: 10_000,
  };
  const bounds = (rows: number[]) => [rows[0], rows.at(-1)];

  it('renders the usual overscan on both sides while the list is still', () => {
    expect(bounds(overscanRange(view, 0, 28))).toEqual([
      100 - OVERSCAN,
      135 + OVERSCAN,
    ]);
  });

  it('renders more rows ahead of a fast steady scroll, fewer behind', () => {
    // 20 rows per move downwards: 40 ahead, 6 behind.
    expect(bounds(overscanRange(view, 20 * 28, 28))).toEqual([94, 175]);
    // Upwards, the other way round, capped at 48.
    expect(bounds(overscanRange(view, -30 * 28, 28))).toEqual([52, 141]);
  });

  it('renders barely more than the view after a jump of more than a view', () => {
    expect(bounds(overscanRange(view, 5000, 28))).toEqual([98, 137]);
  });

  it('stays within the rows there are', () => {
    expect(
      bounds(
        overscanRange(
          { ...view, startIndex: 0, endIndex: 9, count: 10 },
          0,
          28,
        ),
      ),
    ).toEqual([0, 9]);
  });
});
