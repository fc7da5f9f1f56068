import {
  forwardRef,
  memo,
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { KeyboardEvent } from 'react';
import { useTheme } from '@mui/material/styles';
import { useVirtualizer, type Range } from '@tanstack/react-virtual';
import { treeGridKeyAction } from '../../lib/treeGridKeys';
import { FILTER_CONTEXT, positionOfRow } from './visibleRows';
import { observeScrollEveryFrame } from './observeScrollEveryFrame';
import { OVERSCAN, overscanRange } from './overscanRange';
import { severityLevel } from './severity';
import { severityColors } from './severityColors';
import { WaterfallRow } from './WaterfallRow';
import { ROW_HEIGHT } from './WaterfallRoot';
import type { WaterfallProps } from './Waterfall';

export interface WaterfallRowsProps
  extends Omit<WaterfallProps, 'viewRange' | 'onViewRangeChange'> {
  viewStartMs: number;
  viewDurationMs: number;
  onZoomToRow: (row: number) => void;
  onResetZoom: () => void;
}

export interface WaterfallHandle {
  /** Scrolls so that the row (a model row index) is visible. */
  scrollToRow(row: number, align?: 'auto' | 'center' | 'start'): void;
  /** Scrolls so that the visible position is centred. */
  scrollToPosition(position: number): void;
  focus(): void;
}

/**
 * The rows of the waterfall: a virtualized tree grid. Only the rows in view (plus an overscan
 * scaled to the scroll, overscanRange) are in the DOM, so the cost of a scroll frame does not
 * depend on the span count; they are rendered before the frame that scrolls is painted
 * (observeScrollEveryFrame).
 * Keyboard: Up/Down/Home/End/PageUp/PageDown move, Enter/Space select, Right expands or goes to
 * the first child, Left collapses or goes to the parent, "z" zooms the time axis to the active
 * span and "0" resets the zoom. Focus stays on the grid; the active row
 * is announced through aria-activedescendant, which survives rows being unmounted on scroll.
 */
export const WaterfallRows = memo(
  forwardRef<WaterfallHandle, WaterfallRowsProps>(function WaterfallRowsInner(
    props,
    ref,
  ) {
    const { model, rows, collapsed, filter, matches, selectedRow, logCounts } =
      props;
    const theme = useTheme();
    const idPrefix = useId();
    const scrollRef = useRef<HTMLDivElement>(null);
    const [activeRowState, setActiveRow] = useState<number | undefined>(
      undefined,
    );

    const { viewStartMs, viewDurationMs } = props;

    // A selection made elsewhere (details panel, logs, deep link) moves the keyboard focus too.
    useEffect(() => {
      if (selectedRow !== undefined) setActiveRow(selectedRow);
    }, [selectedRow]);

    // The active row, or its nearest visible ancestor when it was collapsed or filtered away.
    const activeRow = useMemo(() => {
      let r = activeRowState ?? selectedRow;
      while (r !== undefined && r >= 0 && positionOfRow(rows, r) < 0)
        r = model.parent[r];
      return r !== undefined && r >= 0 ? r : rows[0];
    }, [activeRowState, selectedRow, rows, model]);
    const activePosition =
      activeRow === undefined ? -1 : positionOfRow(rows, activeRow);

    // How far the last scroll moved, for the overscan (overscanRange).
    const moved = useRef(0);
    const rangeExtractor = useCallback(
      (range: Range) => overscanRange(range, moved.current, ROW_HEIGHT),
      [],
    );
    const observeElementOffset = useCallback<typeof observeScrollEveryFrame>(
      (instance, cb) => {
        let last = instance.scrollElement?.scrollTop ?? 0;
        return observeScrollEveryFrame(instance, (offset, scrolling) => {
          moved.current = scrolling ? offset - last : 0;
          last = offset;
          cb(offset, scrolling);
        });
      },
      [],
    );
    const virtualizer = useVirtualizer({
      count: rows.length,
      getScrollElement: () => scrollRef.current,
      // Every row is ROW_HEIGHT high (the CSS says so): exact sizes, nothing to measure.
      estimateSize: () => ROW_HEIGHT,
      overscan: OVERSCAN,
      rangeExtractor,
      observeElementOffset,
      getItemKey: index => rows[index],
    });

    useImperativeHandle(
      ref,
      () => ({
        scrollToRow(row, align = 'auto') {
          const position = positionOfRow(rows, row);
          if (position >= 0) virtualizer.scrollToIndex(position, { align });
        },
        scrollToPosition(position) {
          const clamped = Math.max(
            0,
            Math.min(rows.length - 1, Math.round(position)),
          );
          virtualizer.scrollToIndex(clamped, { align: 'center' });
        },
        focus() {
          scrollRef.current?.focus();
        },
      }),
      [rows, virtualizer],
    );

    const first = virtualizer.range?.startIndex;
    const last = virtualizer.range?.endIndex;
    const { onViewportChange } = props;
    useEffect(() => {
      if (onViewportChange && first !== undefined && last !== undefined) {
        onViewportChange(first, last);
      }
    }, [onViewportChange, first, last]);

    const moveTo = useCallback(
      (position: number) => {
        if (rows.length === 0) return;
        const p = Math.max(0, Math.min(rows.length - 1, position));
        setActiveRow(rows[p]);
        virtualizer.scrollToIndex(p, { align: 'auto' });
      },
      [rows, virtualizer],
    );

    const { onSelectRow, onToggleRow, onOpenLogs } = props;
    const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.target !== event.currentTarget || activeRow === undefined)
        return;
      const page = Math.max(
        1,
        Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1,
      );
      if (event.key === 'z') props.onZoomToRow(activeRow);
      else if (event.key === '0') props.onResetZoom();
      else {
        const hasChildren = model.childCount[activeRow] > 0;
        const action = treeGridKeyAction(event.key, {
          position: activePosition,
          count: rows.length,
          pageSize: page,
          hasChildren,
          collapsed: collapsed.has(activeRow),
          firstChildNext:
            hasChildren && model.parent[rows[activePosition + 1]] === activeRow,
          canLoadMore:
            props.onLoadMore !== undefined &&
            (model.hiddenChildren?.[activeRow] ?? 0) > 0,
          parentPosition: () =>
            model.parent[activeRow] >= 0
              ? positionOfRow(rows, model.parent[activeRow])
              : -1,
        });
        if (!action) return;
        if (action.kind === 'move') moveTo(action.position);
        else if (action.kind === 'expand' || action.kind === 'collapse')
          onToggleRow(activeRow);
        else if (action.kind === 'loadMore') props.onLoadMore!(activeRow);
        else onSelectRow(activeRow);
      }
      event.preventDefault();
    };

    const onRowClick = useCallback(
      (row: number) => {
        setActiveRow(row);
        onSelectRow(row);
      },
      [onSelectRow],
    );
    const openLogs = useCallback(
      (row: number) => {
        setActiveRow(row);
        (onOpenLogs ?? onSelectRow)(row);
      },
      [onOpenLogs, onSelectRow],
    );

    const badgeColors = useMemo(() => severityColors(theme), [theme]);
    const matchState = (row: number): 0 | 1 | 2 => {
      if (row === props.currentMatchRow) return 2;
      return matches && matches[row] ? 1 : 0;
    };

    const activeId =
      activeRow === undefined ? undefined : `${idPrefix}-row-${activeRow}`;

    return (
      <div
        ref={scrollRef}
        className="tv-scroll"
        style={{ height: props.height }}
        role="treegrid"
        aria-label="Trace waterfall"
        aria-rowcount={rows.length}
        aria-activedescendant={activePosition >= 0 ? activeId : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onMouseDown={event => {
          // Buttons in rows (toggle, log badge) must not take focus from the grid, or the
          // arrow keys would stop working after a click.
          if ((event.target as HTMLElement).closest('button')) {
            event.preventDefault();
            scrollRef.current?.focus({ preventScroll: true });
          }
        }}
      >
        {rows.length === 0 ? (
          <div className="tv-empty">
            No spans to show with the current filter.
          </div>
        ) : (
          <div
            role="rowgroup"
            style={{
              height: virtualizer.getTotalSize(),
              position: 'relative',
            }}
          >
            {virtualizer.getVirtualItems().map(item => {
              const row = rows[item.index];
              const logCount = logCounts?.[model.spans[row].spanId];
              return (
                <WaterfallRow
                  key={row}
                  model={model}
                  row={row}
                  position={item.index}
                  top={item.start}
                  rowId={`${idPrefix}-row-${row}`}
                  collapsed={collapsed.has(row)}
                  selected={row === selectedRow}
                  active={row === activeRow}
                  match={matchState(row)}
                  context={
                    filter !== undefined && filter[row] === FILTER_CONTEXT
                  }
                  showCriticalPath={props.showCriticalPath}
                  logCount={logCount}
                  logColor={
                    logCount
                      ? badgeColors[severityLevel(logCount.highestSeverity)]
                      : undefined
                  }
                  viewStartMs={viewStartMs}
                  viewDurationMs={viewDurationMs}
                  onRowClick={onRowClick}
                  onToggle={onToggleRow}
                  onOpenLogs={openLogs}
                  onLoadMore={props.onLoadMore}
                  loading={
                    props.loadingSpans?.has(model.spans[row].spanId) ?? false
                  }
                />
              );
            })}
          </div>
        )}
      </div>
    );
  }),
);
