import {
  forwardRef,
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { CSSProperties } from 'react';
import { useTheme } from '@mui/material/styles';
import type { SpanLogCount } from '@backstage-traces/plugin-traces-common';
import type { WaterfallModel } from './waterfallModel';
import type { CollapsedSet } from './visibleRows';
import { fittingTimeTicks, paddedRange, type TimeRange } from './timeAxis';
import { TimeRuler } from './TimeRuler';
import { WaterfallRows, type WaterfallHandle } from './WaterfallRows';
import {
  DEFAULT_NAME_WIDTH,
  MIN_NAME_WIDTH,
  WaterfallRoot,
} from './WaterfallRoot';

export type { WaterfallHandle } from './WaterfallRows';

export interface WaterfallProps {
  model: WaterfallModel;
  /** Visible rows in display order (computeVisibleRows). */
  rows: Int32Array;
  collapsed: CollapsedSet;
  /** The active filter, when one is applied: FILTER_CONTEXT rows are dimmed. */
  filter?: Uint8Array;
  /** Search matches by row (non-zero = match). */
  matches?: Uint8Array;
  currentMatchRow?: number;
  selectedRow?: number;
  showCriticalPath: boolean;
  /** Log counts keyed by span ID. */
  logCounts?: Record<string, SpanLogCount>;
  /** Time window shown (zoom); the whole trace when undefined. */
  viewRange?: TimeRange;
  /** Zoom requests: a dragged range, "z" on a span, undefined to reset. */
  onViewRangeChange?: (range: TimeRange | undefined) => void;
  /** Height of the scrolling rows area (CSS). */
  height: number | string;
  onSelectRow: (row: number) => void;
  onToggleRow: (row: number) => void;
  onOpenLogs?: (row: number) => void;
  /** Windowed traces: loads the spans below a row that are not loaded yet. */
  onLoadMore?: (row: number) => void;
  /** Span IDs whose subtree is being loaded. */
  loadingSpans?: ReadonlySet<string>;
  /** First and last visible positions, whenever they change. */
  onViewportChange?: (first: number, last: number) => void;
}

/**
 * The span waterfall: the time ruler with the resizable name column, over the virtualized rows
 * (WaterfallRows). All styles sit on this outer element, which does not re-render while the
 * rows scroll, so a scroll frame never re-serialises them.
 */
export const Waterfall = memo(
  forwardRef<WaterfallHandle, WaterfallProps>(function WaterfallInner(
    props,
    ref,
  ) {
    const { model, onViewRangeChange } = props;
    const theme = useTheme();
    const rootRef = useRef<HTMLDivElement>(null);
    const [nameWidth, setNameWidth] = useState(DEFAULT_NAME_WIDTH);

    const viewStartMs = props.viewRange?.startMs ?? 0;
    const viewEndMs = props.viewRange?.endMs ?? model.durationMs;
    const viewDurationMs = Math.max(viewEndMs - viewStartMs, 1e-6);

    const zoom = useCallback(
      (from: number, to: number) =>
        onViewRangeChange?.({
          startMs: viewStartMs + from * viewDurationMs,
          endMs: viewStartMs + to * viewDurationMs,
        }),
      [onViewRangeChange, viewStartMs, viewDurationMs],
    );
    const resetZoom = useCallback(
      () => onViewRangeChange?.(undefined),
      [onViewRangeChange],
    );
    const zoomToRow = useCallback(
      (row: number) =>
        onViewRangeChange?.(paddedRange(model.startMs[row], model.endMs[row])),
      [onViewRangeChange, model],
    );

    // The root's width, kept up to date on resize (never per scroll), so that the ruler
    // fits its labels to the timeline's room.
    const [rootWidth, setRootWidth] = useState(0);
    useEffect(() => {
      const root = rootRef.current;
      if (!root || typeof ResizeObserver === 'undefined') return undefined;
      setRootWidth(root.clientWidth);
      const observer = new ResizeObserver(() => setRootWidth(root.clientWidth));
      observer.observe(root);
      return () => observer.disconnect();
    }, []);
    const maxNameWidth = Math.max(
      MIN_NAME_WIDTH,
      rootWidth > 0 ? rootWidth - 200 : 1200,
    );
    const shownNameWidth = Math.min(nameWidth, maxNameWidth);
    const timelineWidth =
      rootWidth > 0 ? Math.max(0, rootWidth - shownNameWidth) : 0;

    const ticks = useMemo(
      () => fittingTimeTicks(viewDurationMs, timelineWidth, viewStartMs),
      [viewDurationMs, timelineWidth, viewStartMs],
    );
    // Tick grid lines behind every timeline cell, as one gradient in a CSS variable.
    const grid = useMemo(() => {
      const line = theme.palette.divider;
      const stops = ticks.ticks
        .map(t => ((t - viewStartMs) / viewDurationMs) * 100)
        .filter(p => p > 0.1 && p < 99.9)
        .map(
          p =>
            `transparent calc(${p}% - 0.5px), ${line} calc(${p}% - 0.5px), ${line} calc(${p}% + 0.5px), transparent calc(${p}% + 0.5px)`,
        );
      return stops.length
        ? `linear-gradient(to right, ${stops.join(', ')})`
        : 'none';
    }, [ticks, viewStartMs, viewDurationMs, theme.palette.divider]);

    const rootStyle = {
      '--tv-name-width': `${shownNameWidth}px`,
      '--tv-grid': grid,
    } as CSSProperties;

    return (
      <WaterfallRoot ref={rootRef} style={rootStyle}>
        <TimeRuler
          ticks={ticks}
          viewStartMs={viewStartMs}
          viewDurationMs={viewDurationMs}
          timelineWidth={timelineWidth}
          zoomed={props.viewRange !== undefined}
          onZoom={zoom}
          onResetZoom={resetZoom}
          nameWidth={shownNameWidth}
          minNameWidth={MIN_NAME_WIDTH}
          maxNameWidth={maxNameWidth}
          onNameWidthChange={setNameWidth}
        />
        <WaterfallRows
          ref={ref}
          model={model}
          rows={props.rows}
          collapsed={props.collapsed}
          filter={props.filter}
          matches={props.matches}
          currentMatchRow={props.currentMatchRow}
          selectedRow={props.selectedRow}
          showCriticalPath={props.showCriticalPath}
          logCounts={props.logCounts}
          viewStartMs={viewStartMs}
          viewDurationMs={viewDurationMs}
          height={props.height}
          onSelectRow={props.onSelectRow}
          onToggleRow={props.onToggleRow}
          onOpenLogs={props.onOpenLogs}
          onLoadMore={props.onLoadMore}
          loadingSpans={props.loadingSpans}
          onViewportChange={props.onViewportChange}
          onZoomToRow={zoomToRow}
          onResetZoom={resetZoom}
        />
      </WaterfallRoot>
    );
  }),
);
