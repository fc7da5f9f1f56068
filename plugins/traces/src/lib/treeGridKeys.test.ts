import { treeGridKeyAction, type TreeGridActiveRow } from './treeGridKeys';

const row = (over: Partial<TreeGridActiveRow> = {}): TreeGridActiveRow => ({
  position: 5,
  count: 10,
  pageSize: 4,
  hasChildren: false,
  collapsed: false,
  firstChildNext: false,
  parentPosition: () => 2,
  ...over,
});

describe('treeGridKeyAction', () => {
  it('moves within the visible rows and clamps at both ends', () => {
    expect(treeGridKeyAction('ArrowDown', row())).toEqual({
      kind: 'move',
      position: 6,
    });
    expect(treeGridKeyAction('ArrowUp', row())).toEqual({
      kind: 'move',
      position: 4,
    });
    expect(treeGridKeyAction('Home', row())).toEqual({
      kind: 'move',
      position: 0,
    });
    expect(treeGridKeyAction('End', row())).toEqual({
      kind: 'move',
      position: 9,
    });
    expect(treeGridKeyAction('PageDown', row())).toEqual({
      kind: 'move',
      position: 9,
    });
    expect(treeGridKeyAction('PageUp', row())).toEqual({
      kind: 'move',
      position: 1,
    });
    expect(treeGridKeyAction('ArrowDown', row({ position: 9 }))).toEqual({
      kind: 'move',
      position: 9,
    });
    expect(treeGridKeyAction('PageUp', row({ position: 1 }))).toEqual({
      kind: 'move',
      position: 0,
    });
    expect(treeGridKeyAction('PageDown', row({ pageSize: 0 }))).toEqual({
      kind: 'move',
      position: 6,
    });
  });

  it('expands a collapsed parent, then steps into its first child', () => {
    expect(
      treeGridKeyAction(
        'ArrowRight',
        row({ hasChildren: true, collapsed: true }),
      ),
    ).toEqual({ kind: 'expand' });
    expect(
      treeGridKeyAction(
        'ArrowRight',
        row({ hasChildren: true, firstChildNext: true }),
      ),
    ).toEqual({ kind: 'move', position: 6 });
    // Children filtered out of view: stay.
    expect(treeGridKeyAction('ArrowRight', row({ hasChildren: true }))).toEqual(
      { kind: 'move', position: 5 },
    );
  });

  it('asks for children not loaded yet on a leaf that has them', () => {
    expect(treeGridKeyAction('ArrowRight', row({ canLoadMore: true }))).toEqual(
      { kind: 'loadMore' },
    );
    expect(treeGridKeyAction('ArrowRight', row())).toEqual({
      kind: 'move',
      position: 5,
    });
  });

  it('collapses an open parent, else goes to the parent row', () => {
    expect(treeGridKeyAction('ArrowLeft', row({ hasChildren: true }))).toEqual({
      kind: 'collapse',
    });
    expect(treeGridKeyAction('ArrowLeft', row())).toEqual({
      kind: 'move',
      position: 2,
    });
    expect(
      treeGridKeyAction('ArrowLeft', row({ parentPosition: () => -1 })),
    ).toEqual({ kind: 'move', position: 5 });
  });

  it('activates on Enter and Space and ignores other keys', () => {
    expect(treeGridKeyAction('Enter', row())).toEqual({ kind: 'activate' });
    expect(treeGridKeyAction(' ', row())).toEqual({ kind: 'activate' });
    expect(treeGridKeyAction('a', row())).toBeUndefined();
    expect(treeGridKeyAction('Tab', row())).toBeUndefined();
  });
});
