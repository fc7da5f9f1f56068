import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import Box from '@mui/material/Box';
import type {
  SpanLogCount,
  Trace,
} from '@backstage-traces/plugin-traces-common';
import {
  traceExploreUrl,
  traceLogsExploreUrl,
  useGrafanaSettings,
} from '../../grafana';
import { buildWaterfallModel } from './waterfallModel';
import { positionOfRow } from './visibleRows';
import { useWaterfallState } from './useWaterfallState';
import { epochMsFromNanos, type TimeRange } from './timeAxis';
import { TraceHeader } from './TraceHeader';
import { Minimap } from './Minimap';
import { Waterfall, type WaterfallHandle } from './Waterfall';
import { SpanPanel, type SpanPanelTab } from './SpanPanel';
import type { LogScope } from './SpanLogs';
import type { TraceWindows } from './useTraceWindows';
import { WindowNotice } from './WindowNotice';
import { TraceViewSwitch, type TraceViewKind } from './TraceViewSwitch';
import { FlameGraph } from './flame/FlameGraph';
import { StatisticsTable } from './statistics/StatisticsTable';

export interface TraceViewContentProps {
  trace: Trace;
  entityRef?: string;
  logCounts?: Record<string, SpanLogCount>;
  logCountsNote?: string;
  selectedSpanId?: string;
  onSelectSpan?: (spanId: string | undefined) => void;
  onClose?: () => void;
  onOpenTrace?: (traceId: string, spanId?: string) => void;
  /** Windowed traces (`trace.window`): loading of the spans not loaded yet. */
  windows?: TraceWindows;
  /** Why there are no logs to show (a trace from a file): the span panel has no Logs tab. */
  logsOff?: string;
}

/** Rows area height: most of the window, never cramped. */
const MAIN_HEIGHT = 'max(420px, calc(100vh - 380px))';
/** Narrower than this, the span panel opens over the waterfall's timeline instead of beside it. */
const PANEL_BESIDE_MIN_WIDTH = 900;
/** Grafana links cover the trace with a minute either side (clock skew, late logs). */
const GRAFANA_MARGIN_MS = 60_000;

/** The trace view once the trace is loaded: one model, the view state and the layout. */
export function TraceViewContent(props: TraceViewContentProps) {
  const { trace, entityRef, logCounts, onSelectSpan } = props;
  const model = useMemo(() => buildWaterfallModel(trace), [trace]);
  const state = useWaterfallState(model);
  const waterfall = useRef<WaterfallHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const grafana = useGrafanaSettings();

  // Selection is semi-controlled: it follows the prop, and changes are reported to the host.
  const [selectedSpanId, setSelectedSpanId] = useState(props.selectedSpanId);
  useEffect(
    () => setSelectedSpanId(props.selectedSpanId),
    [props.selectedSpanId],
  );
  const selectedRow =
    selectedSpanId === undefined ? undefined : model.indexOf(selectedSpanId);
  const [tab, setTab] = useState<SpanPanelTab>('details');
  const [logScope, setLogScope] = useState<LogScope>('span');
  const [viewport, setViewport] = useState<[number, number]>([0, 0]);
  const [viewRange, setViewRange] = useState<TimeRange>();
  const [view, setView] = useState<TraceViewKind>('waterfall');

  // Rows to bring into view once they are visible (after ancestors were expanded).
  const [scrollTarget, setScrollTarget] = useState<{
    row: number;
    align: 'auto' | 'center';
  }>();
  const { rows, reveal } = state;
  useEffect(() => {
    if (!scrollTarget || positionOfRow(rows, scrollTarget.row) < 0) return;
    waterfall.current?.scrollToRow(scrollTarget.row, scrollTarget.align);
    setScrollTarget(undefined);
  }, [scrollTarget, rows]);

  const select = useCallback(
    (spanId: string | undefined) => {
      setSelectedSpanId(spanId);
      onSelectSpan?.(spanId);
    },
    [onSelectSpan],
  );
  const selectRow = useCallback(
    (row: number) => select(model.spans[row].spanId),
    [model, select],
  );
  /** Selection from the details panel or the logs: show that span's details. */
  const jumpToRow = useCallback(
    (row: number) => {
      select(model.spans[row].spanId);
      setTab('details');
    },
    [model, select],
  );
  const jumpToSpanId = useCallback(
    (spanId: string) => {
      const row = model.indexOf(spanId);
      if (row !== undefined) jumpToRow(row);
    },
    [model, jumpToRow],
  );
  const openLogs = useCallback(
    (row: number) => {
      select(model.spans[row].spanId);
      setTab('logs');
      setLogScope('span');
    },
    [model, select],
  );

  // Every new selection (deep link, details panel, logs, click) is revealed and scrolled to
  // once; collapsing its parent afterwards is then respected.
  const revealedSelection = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (
      selectedRow === undefined ||
      revealedSelection.current === selectedSpanId
    )
      return;
    revealedSelection.current = selectedSpanId;
    if (positionOfRow(rows, selectedRow) < 0) reveal(selectedRow);
    setScrollTarget({ row: selectedRow, align: 'auto' });
  }, [selectedRow, selectedSpanId, rows, reveal]);

  // The current search match is brought to the middle of the view.
  useEffect(() => {
    if (state.currentMatchRow !== undefined) {
      setScrollTarget({ row: state.currentMatchRow, align: 'center' });
    }
  }, [state.currentMatchRow, state.matches]);

  // Back in the waterfall, the span selected in another view is brought into view.
  const switchView = (next: TraceViewKind) => {
    setView(next);
    if (next === 'waterfall' && selectedRow !== undefined) {
      if (positionOfRow(rows, selectedRow) < 0) reveal(selectedRow);
      setScrollTarget({ row: selectedRow, align: 'center' });
    }
  };

  const closePanel = useCallback(() => select(undefined), [select]);
  const { windows } = props;
  const { expandRow } = state;
  const loadMore = useCallback(
    (row: number) => {
      // Expanded first, so the loaded children appear under it.
      expandRow(row);
      windows?.load(model.spans[row].spanId);
    },
    [windows, model, expandRow],
  );
  const onViewportChange = useCallback(
    (first: number, last: number) => setViewport([first, last]),
    [],
  );
  const scrollToPosition = useCallback(
    (position: number) => waterfall.current?.scrollToPosition(position),
    [],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const typing = target.tagName === 'INPUT' || target.tagName === 'TEXTAREA';
    if (event.key === '/' && !typing) {
      event.preventDefault();
      searchInput.current?.focus();
    } else if (event.key === 'Escape' && selectedSpanId !== undefined) {
      select(undefined);
      waterfall.current?.focus();
    }
  };

  const traceStartMs = epochMsFromNanos(trace.startTimeUnixNano);
  const range =
    traceStartMs === undefined
      ? undefined
      : {
          from: traceStartMs - GRAFANA_MARGIN_MS,
          to: traceStartMs + trace.durationMs + GRAFANA_MARGIN_MS,
        };
  const selectedSpan =
    selectedRow === undefined ? undefined : model.spans[selectedRow];

  return (
    <Box
      onKeyDown={onKeyDown}
      sx={{ display: 'flex', flexDirection: 'column', gap: 1.5, minWidth: 0 }}
    >
      <TraceHeader
        ref={searchInput}
        trace={trace}
        model={model}
        state={state}
        grafanaUrl={
          grafana
            ? traceExploreUrl(grafana, { traceId: trace.traceId, range })
            : undefined
        }
        logCountsNote={props.logCountsNote}
        onClose={props.onClose}
      />
      {trace.window && windows && (
        <WindowNotice window={trace.window} model={model} windows={windows} />
      )}
      <TraceViewSwitch value={view} onChange={switchView} />
      {view === 'waterfall' && (
        <Minimap
          model={model}
          rows={state.rows}
          firstVisible={viewport[0]}
          lastVisible={viewport[1]}
          viewRange={viewRange}
          onScrollTo={scrollToPosition}
        />
      )}
      <Box
        sx={{
          position: 'relative',
          display: 'flex',
          gap: 1.5,
          alignItems: 'flex-start',
          // The panel's placement follows the room the trace view has, not the window: a
          // Backstage sidebar takes 200+ px of a 1024 or 1280 px screen.
          containerType: 'inline-size',
        }}
      >
        <Box
          sx={{
            flex: '1 1 0',
            minWidth: 0,
            border: 1,
            borderColor: 'divider',
            borderRadius: 1,
          }}
        >
          {view === 'waterfall' && (
            <Waterfall
              ref={waterfall}
              model={model}
              rows={state.rows}
              collapsed={state.collapsed}
              filter={state.filter}
              matches={state.matchMask}
              currentMatchRow={state.currentMatchRow}
              selectedRow={selectedRow}
              showCriticalPath={state.showCriticalPath}
              logCounts={logCounts}
              viewRange={viewRange}
              onViewRangeChange={setViewRange}
              height={MAIN_HEIGHT}
              onSelectRow={selectRow}
              onToggleRow={state.toggleRow}
              onOpenLogs={openLogs}
              onLoadMore={windows ? loadMore : undefined}
              loadingSpans={windows?.loading}
              onViewportChange={onViewportChange}
            />
          )}
          {view === 'flame' && (
            <FlameGraph
              model={model}
              selectedRow={selectedRow}
              matches={state.matchMask}
              focusRow={state.currentMatchRow}
              viewRange={viewRange}
              onViewRangeChange={setViewRange}
              onSelectRow={selectRow}
              height={MAIN_HEIGHT}
            />
          )}
          {view === 'statistics' && (
            <StatisticsTable
              model={model}
              onSelectRow={selectRow}
              height={MAIN_HEIGHT}
            />
          )}
        </Box>
        {selectedRow !== undefined && selectedSpan && (
          <Box
            sx={{
              // Beside the waterfall, narrower as the view narrows ...
              flex: '0 0 clamp(320px, 38%, 560px)',
              minWidth: 0,
              // ... and over its timeline, as a drawer, where both would not fit: the span
              // names stay visible on the left, and the details are where the rows are.
              [`@container (max-width: ${PANEL_BESIDE_MIN_WIDTH - 1}px)`]: {
                position: 'absolute',
                top: 0,
                right: 0,
                width: 'min(440px, 88%)',
                zIndex: 2,
                boxShadow: 8,
                borderRadius: 1,
              },
            }}
          >
            <SpanPanel
              model={model}
              row={selectedRow}
              entityRef={entityRef}
              tab={tab}
              onTabChange={setTab}
              logScope={logScope}
              onLogScopeChange={setLogScope}
              logCount={logCounts?.[selectedSpan.spanId]}
              traceStartMs={traceStartMs}
              onSelectRow={jumpToRow}
              onSelectSpanId={jumpToSpanId}
              onOpenTrace={props.onOpenTrace}
              onClose={closePanel}
              logsOff={props.logsOff}
              grafanaSpanUrl={
                grafana
                  ? traceExploreUrl(grafana, {
                      traceId: trace.traceId,
                      spanId: selectedSpan.spanId,
                      range,
                    })
                  : undefined
              }
              grafanaLogsUrl={
                grafana
                  ? traceLogsExploreUrl(grafana, {
                      traceId: trace.traceId,
                      spanId:
                        logScope === 'span' ? selectedSpan.spanId : undefined,
                      range,
                      serviceName: selectedSpan.serviceName,
                    })
                  : undefined
              }
              height={`calc(${MAIN_HEIGHT} + 31px)`}
            />
          </Box>
        )}
      </Box>
    </Box>
  );
}
