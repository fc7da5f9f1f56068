import type { TraceSummary } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import { useVirtualizer } from '@tanstack/react-virtual';
import { KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { nextSort, SortKey, sortTraces, TraceSort } from './traceSort';
import {
  TraceListRow,
  TRACE_LIST_COLUMNS,
  TRACE_LIST_COLUMNS_WITH_OWNER,
  ROW_HEIGHT,
  COMPARE_COLUMN,
} from './TraceListRow';
import type { RootServiceOwners } from './useRootServiceOwners';

export interface TraceListProps {
  traces: TraceSummary[];
  sort: TraceSort;
  onSortChange: (sort: TraceSort) => void;
  /** Opens a trace (the tab puts its ID in the URL). */
  onOpenTrace: (traceId: string) => void;
  /** Highlighted row, e.g. the trace open in the trace view. */
  selectedTraceId?: string;
  /** Epoch ms for relative start times. */
  nowMs: number;
  /** Height of the scrolling area in px. */
  height?: number;
  /** Adds an Owner column: the entity claiming each row's root service. */
  rootOwners?: RootServiceOwners;
  /** Adds a checkbox per row to pick traces to compare (at most `max`, in pick order). */
  compare?: {
    picked: readonly string[];
    max: number;
    onToggle: (traceId: string) => void;
  };
}

const SORT_ARIA = { asc: 'ascending', desc: 'descending' } as const;
const SORT_ARROW = { asc: '▲', desc: '▼' } as const;

type Header = { label: string; sortKey?: SortKey; align?: 'right' };
const HEADERS: Header[] = [
  { label: 'Start', sortKey: 'start' },
  { label: 'Root service and span' },
  { label: 'Duration', sortKey: 'duration' },
  { label: 'Spans', sortKey: 'spans', align: 'right' },
  { label: 'Errors', align: 'right' },
  { label: 'Services' },
];
const HEADERS_WITH_OWNER: Header[] = [
  ...HEADERS.slice(0, 2),
  { label: 'Owner' },
  ...HEADERS.slice(2),
];

/**
 * Search results as a virtualized grid: only the rows in view are in the DOM, so 500 results
 * scroll as smoothly as 20. One tab stop; arrow keys, Home and End move between rows and Enter
 * opens the focused trace.
 */
export function TraceList(props: TraceListProps) {
  const {
    traces,
    sort,
    onSortChange,
    onOpenTrace,
    selectedTraceId,
    nowMs,
    height = 560,
    rootOwners,
    compare,
  } = props;
  const headers = rootOwners ? HEADERS_WITH_OWNER : HEADERS;
  const sorted = useMemo(() => sortTraces(traces, sort), [traces, sort]);
  const maxDuration = useMemo(
    () => Math.max(0, ...traces.map(t => t.durationMs)),
    [traces],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const focusPending = useRef(false);

  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: index => sorted[index].traceId,
  });

  useEffect(() => {
    if (focusIndex >= sorted.length)
      setFocusIndex(Math.max(0, sorted.length - 1));
  }, [focusIndex, sorted.length]);

  // moving focus to a row that may not be rendered yet: scroll it in, then focus it
  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
    requestAnimationFrame(() => {
      scrollRef.current
        ?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`)
        ?.focus();
    });
  }, [focusIndex, virtualizer]);

  const moveFocus = (index: number) => {
    focusPending.current = true;
    setFocusIndex(Math.max(0, Math.min(sorted.length - 1, index)));
  };

  const onRowKeyDown = (e: KeyboardEvent<HTMLDivElement>, index: number) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: sorted.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      moveFocus(moves[e.key]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpenTrace(sorted[index].traceId);
    }
  };

  return (
    <Box
      role="grid"
      aria-label="Traces"
      aria-rowcount={sorted.length + 1}
      aria-colcount={headers.length + (compare ? 1 : 0)}
      sx={{
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        overflow: 'hidden',
      }}
    >
      <Box
        role="row"
        aria-rowindex={1}
        sx={{
          display: 'grid',
          gridTemplateColumns: `${compare ? COMPARE_COLUMN : ''}${
            rootOwners ? TRACE_LIST_COLUMNS_WITH_OWNER : TRACE_LIST_COLUMNS
          }`,
          alignItems: 'center',
          px: 1.5,
          height: 40,
          bgcolor: 'background.default',
          borderBottom: 1,
          borderColor: 'divider',
          typography: 'caption',
          fontWeight: 600,
          color: 'text.secondary',
          textTransform: 'uppercase',
        }}
      >
        {compare && <Box role="columnheader" aria-label="Pick to compare" />}
        {headers.map(header => {
          const active = header.sortKey === sort.key;
          return (
            <Box
              key={header.label}
              role="columnheader"
              aria-sort={active ? SORT_ARIA[sort.direction] : undefined}
              sx={{ textAlign: header.align, pr: 1 }}
            >
              {header.sortKey ? (
                <ButtonBase
                  onClick={() => onSortChange(nextSort(sort, header.sortKey!))}
                  aria-label={`Sort by ${header.label.toLowerCase()}`}
                  sx={{
                    font: 'inherit',
                    textTransform: 'inherit',
                    color: active ? 'text.primary' : 'inherit',
                    gap: 0.5,
                    borderRadius: 0.5,
                    '&.Mui-focusVisible': {
                      outline: 2,
                      outlineColor: 'primary.main',
                    },
                  }}
                >
                  {header.label}
                  <Box component="span" aria-hidden sx={{ width: 10 }}>
                    {active ? SORT_ARROW[sort.direction] : ''}
                  </Box>
                </ButtonBase>
              ) : (
                header.label
              )}
            </Box>
          );
        })}
      </Box>
      <Box
        ref={scrollRef}
        role="rowgroup"
        sx={{
          height: Math.min(height, sorted.length * ROW_HEIGHT + 2),
          overflowY: 'auto',
        }}
      >
        <Box sx={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map(item => {
            const trace = sorted[item.index];
            return (
              <TraceListRow
                key={item.key}
                index={item.index}
                trace={trace}
                maxDurationMs={maxDuration}
                nowMs={nowMs}
                selected={trace.traceId === selectedTraceId}
                tabIndex={item.index === focusIndex ? 0 : -1}
                onOpen={() => onOpenTrace(trace.traceId)}
                onFocus={() => {
                  if (item.index !== focusIndex) setFocusIndex(item.index);
                }}
                onKeyDown={e => onRowKeyDown(e, item.index)}
                style={{ transform: `translateY(${item.start}px)` }}
                rootOwners={rootOwners}
                compare={
                  compare && {
                    checked: compare.picked.includes(trace.traceId),
                    disabled:
                      compare.picked.length >= compare.max &&
                      !compare.picked.includes(trace.traceId),
                    onToggle: () => compare.onToggle(trace.traceId),
                  }
                }
              />
            );
          })}
        </Box>
      </Box>
    </Box>
  );
}
