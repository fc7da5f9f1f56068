/**
 * The tree-grid keys (WAI-ARIA treegrid pattern) shared by the waterfall and the compare tree:
 * what a key does to the active row. Pure, so both components agree and it is tested once;
 * each component applies the action to its own rows and may handle keys of its own first.
 */
export type TreeGridAction =
  | { kind: 'move'; position: number }
  | { kind: 'expand' }
  | { kind: 'collapse' }
  | { kind: 'activate' }
  | { kind: 'loadMore' };

export interface TreeGridActiveRow {
  /** Position of the active row among the visible rows. */
  position: number;
  /** Number of visible rows. */
  count: number;
  /** Rows one PageUp/PageDown moves. */
  pageSize: number;
  hasChildren: boolean;
  collapsed: boolean;
  /** Whether the next visible row is the active row's first child. */
  firstChildNext: boolean;
  /** The row has children that are not loaded yet (large traces load windows). */
  canLoadMore?: boolean;
  /** Position of the parent among the visible rows, or -1; asked only for ArrowLeft. */
  parentPosition: () => number;
}

/** The action for `key`, or undefined when the tree grid does not use the key. */
export function treeGridKeyAction(
  key: string,
  row: TreeGridActiveRow,
): TreeGridAction | undefined {
  const move = (position: number): TreeGridAction => ({
    kind: 'move',
    position: Math.max(0, Math.min(row.count - 1, position)),
  });
  switch (key) {
    case 'ArrowDown':
      return move(row.position + 1);
    case 'ArrowUp':
      return move(row.position - 1);
    case 'Home':
      return move(0);
    case 'End':
      return move(row.count - 1);
    case 'PageDown':
      return move(row.position + Math.max(1, row.pageSize));
    case 'PageUp':
      return move(row.position - Math.max(1, row.pageSize));
    case 'Enter':
    case ' ':
      return { kind: 'activate' };
    case 'ArrowRight':
      if (row.hasChildren && row.collapsed) return { kind: 'expand' };
      if (!row.hasChildren && row.canLoadMore) return { kind: 'loadMore' };
      if (row.hasChildren && row.firstChildNext) return move(row.position + 1);
      return { kind: 'move', position: row.position };
    case 'ArrowLeft': {
      if (row.hasChildren && !row.collapsed) return { kind: 'collapse' };
      const parent = row.parentPosition();
      return { kind: 'move', position: parent >= 0 ? parent : row.position };
    }
    default:
      return undefined;
  }
}
