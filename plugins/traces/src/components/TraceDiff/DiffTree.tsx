import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { alpha, useTheme, type Theme } from '@mui/material/styles';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatCount, formatDuration } from '../../lib/format';
import { treeGridKeyAction } from '../../lib/treeGridKeys';
import { Icon } from '../TraceView/Icon';
import { positionOfRow } from '../TraceView/visibleRows';
import {
  DIFF_ADDED,
  DIFF_CHANGED,
  DIFF_FLAG_CYCLE,
  DIFF_FLAG_ORPHAN,
  DIFF_REMOVED,
  type TraceDiff,
} from './model/traceDiff';

export interface DiffTreeProps {
  diff: TraceDiff;
  /** Visible nodes in display order (visibleDiffRows). */
  rows: Int32Array;
  collapsed: ReadonlySet<number>;
  onToggle: (node: number) => void;
  /** Opens the node's first span in trace A or B. */
  onOpenSpan?: (side: 'a' | 'b', node: number) => void;
  height: number | string;
}

const ROW_HEIGHT = 32;
const INDENT_PX = 16;
export const DIFF_TREE_COLUMNS =
  'minmax(240px, 3fr) 150px minmax(110px, 1fr) minmax(170px, 1.4fr) 80px';

/** The change a node shows: a symbol and a word, so it never rests on colour alone. */
export function changeBadge(
  diff: TraceDiff,
  node: number,
): {
  symbol: string;
  label: string;
  tone: 'removed' | 'added' | 'slower' | 'faster' | 'same';
} {
  const kind = diff.change[node];
  if (kind === DIFF_REMOVED)
    return { symbol: '−', label: 'only in A', tone: 'removed' };
  if (kind === DIFF_ADDED)
    return { symbol: '+', label: 'only in B', tone: 'added' };
  if (kind === DIFF_CHANGED) {
    const slower = diff.totalB[node] >= diff.totalA[node];
    const countDelta = diff.countB[node] - diff.countA[node];
    let counted = '';
    if (countDelta !== 0) counted = countDelta > 0 ? 'more, ' : 'fewer, ';
    return slower
      ? { symbol: '▲', label: `${counted}slower`, tone: 'slower' }
      : { symbol: '▼', label: `${counted}faster`, tone: 'faster' };
  }
  return { symbol: '=', label: 'unchanged', tone: 'same' };
}

function toneColor(theme: Theme, tone: ReturnType<typeof changeBadge>['tone']) {
  switch (tone) {
    case 'removed':
      return theme.palette.error.main;
    case 'added':
      return theme.palette.success.main;
    case 'slower':
      return theme.palette.warning.main;
    case 'faster':
      return theme.palette.info.main;
    default:
      return theme.palette.text.disabled;
  }
}

/** "+12.3ms (+41%)" of B against A. */
export function durationChange(a: number, b: number): string {
  const delta = b - a;
  let sign = '±';
  if (delta !== 0) sign = delta > 0 ? '+' : '−';
  const pct =
    a > 0 ? ` (${sign}${Math.round((Math.abs(delta) / a) * 100)}%)` : '';
  return `${sign}${formatDuration(Math.abs(delta))}${pct}`;
}

/**
 * The merged tree of two traces, virtualized like the waterfall: only the rows in view are in
 * the DOM. One tab stop and the waterfall's keys (`treeGridKeys`); Enter opens the span in B (or A).
 */
export function DiffTree(props: DiffTreeProps) {
  const { diff, rows, collapsed, onToggle, onOpenSpan } = props;
  const theme = useTheme();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: index => rows[index],
  });
  useEffect(() => {
    if (active >= rows.length) setActive(Math.max(0, rows.length - 1));
  }, [active, rows.length]);

  const moveTo = (position: number) => {
    const p = Math.max(0, Math.min(rows.length - 1, position));
    setActive(p);
    virtualizer.scrollToIndex(p, { align: 'auto' });
  };
  const hasChildren = (node: number) => diff.subtreeEnd[node] > node + 1;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const node = rows[active];
    if (node === undefined) return;
    const action = treeGridKeyAction(event.key, {
      position: active,
      count: rows.length,
      pageSize:
        Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1,
      hasChildren: hasChildren(node),
      collapsed: collapsed.has(node),
      firstChildNext:
        hasChildren(node) && diff.parent[rows[active + 1]] === node,
      parentPosition: () =>
        diff.parent[node] >= 0 ? positionOfRow(rows, diff.parent[node]) : -1,
    });
    if (!action) return;
    if (action.kind === 'move') moveTo(action.position);
    else if (action.kind === 'expand' || action.kind === 'collapse')
      onToggle(node);
    else if (action.kind === 'activate')
      onOpenSpan?.(diff.countB[node] > 0 ? 'b' : 'a', node);
    event.preventDefault();
  };

  return (
    <Box
      ref={scrollRef}
      role="treegrid"
      aria-label="Compared spans by service and operation"
      aria-rowcount={rows.length}
      aria-activedescendant={
        rows.length ? `diff-node-${rows[active]}` : undefined
      }
      tabIndex={0}
      onKeyDown={onKeyDown}
      sx={{
        height: props.height,
        overflow: 'auto',
        outline: 'none',
        '&:focus-visible': {
          boxShadow: `inset 0 0 0 2px ${theme.palette.primary.main}`,
        },
      }}
    >
      <Box sx={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map(item => {
          const node = rows[item.index];
          const badge = changeBadge(diff, node);
          const color = toneColor(theme, badge.tone);
          const children = hasChildren(node);
          const open = !collapsed.has(node);
          const both = diff.countA[node] > 0 && diff.countB[node] > 0;
          const marks = [
            diff.flags[node] & DIFF_FLAG_ORPHAN ? 'parent missing' : '',
            diff.flags[node] & DIFF_FLAG_CYCLE ? 'parent cycle cut' : '',
          ].filter(Boolean);
          return (
            <Box
              key={item.key}
              id={`diff-node-${node}`}
              role="row"
              aria-level={diff.depth[node] + 1}
              aria-expanded={children ? open : undefined}
              aria-rowindex={item.index + 1}
              aria-selected={item.index === active}
              data-index={item.index}
              onClick={() => setActive(item.index)}
              sx={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${item.start}px)`,
                display: 'grid',
                gridTemplateColumns: DIFF_TREE_COLUMNS,
                alignItems: 'center',
                gap: 1,
                pr: 1,
                borderBottom: 1,
                borderColor: 'divider',
                bgcolor: badge.tone === 'same' ? undefined : alpha(color, 0.1),
                boxShadow:
                  item.index === active
                    ? `inset 3px 0 0 ${theme.palette.primary.main}`
                    : `inset 3px 0 0 ${
                        badge.tone === 'same' ? 'transparent' : color
                      }`,
                typography: 'body2',
              }}
            >
              <Box
                role="gridcell"
                sx={{
                  display: 'flex',
                  alignItems: 'center',
                  minWidth: 0,
                  pl: `${diff.depth[node] * INDENT_PX + 4}px`,
                }}
              >
                {children ? (
                  <IconButton
                    size="small"
                    tabIndex={-1}
                    aria-label={open ? 'Collapse' : 'Expand'}
                    onClick={event => {
                      event.stopPropagation();
                      onToggle(node);
                    }}
                    sx={{ p: 0.25 }}
                  >
                    <Icon name={open ? 'chevronDown' : 'chevronRight'} />
                  </IconButton>
                ) : (
                  <Box sx={{ width: 26, flex: 'none' }} />
                )}
                <Box
                  component="span"
                  sx={{ fontWeight: 600, mr: 0.75, whiteSpace: 'nowrap' }}
                >
                  {diff.serviceName[node]}
                </Box>
                <Tooltip title={diff.operation[node]}>
                  <Box
                    component="span"
                    sx={{
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                      whiteSpace: 'nowrap',
                    }}
                  >
                    {diff.operation[node]}
                  </Box>
                </Tooltip>
                {marks.length > 0 && (
                  <Box
                    component="span"
                    sx={{
                      ml: 0.75,
                      color: 'warning.dark',
                      whiteSpace: 'nowrap',
                      typography: 'caption',
                    }}
                  >
                    ({marks.join(', ')})
                  </Box>
                )}
              </Box>
              <Box
                role="gridcell"
                sx={{
                  display: 'flex',
                  alignItems: 'center',
                  gap: 0.5,
                  color,
                  fontWeight: 600,
                  whiteSpace: 'nowrap',
                }}
              >
                <Box
                  component="span"
                  aria-hidden
                  sx={{ width: 14, textAlign: 'center' }}
                >
                  {badge.symbol}
                </Box>
                {badge.label}
              </Box>
              <Box
                role="gridcell"
                sx={{
                  whiteSpace: 'nowrap',
                  fontVariantNumeric: 'tabular-nums',
                }}
              >
                {both && diff.countA[node] !== diff.countB[node]
                  ? `${formatCount(diff.countA[node])} → ${formatCount(
                      diff.countB[node],
                    )} spans`
                  : `${formatCount(
                      diff.countA[node] || diff.countB[node],
                    )} span${
                      (diff.countA[node] || diff.countB[node]) === 1 ? '' : 's'
                    }`}
              </Box>
              <Box
                role="gridcell"
                sx={{
                  whiteSpace: 'nowrap',
                  fontVariantNumeric: 'tabular-nums',
                }}
              >
                {both
                  ? `${formatDuration(diff.totalA[node])} → ${formatDuration(
                      diff.totalB[node],
                    )} · ${durationChange(
                      diff.totalA[node],
                      diff.totalB[node],
                    )}`
                  : formatDuration(diff.totalA[node] + diff.totalB[node])}
              </Box>
              <Box
                role="gridcell"
                sx={{ display: 'flex', gap: 0.5, justifyContent: 'flex-end' }}
              >
                {onOpenSpan &&
                  (['a', 'b'] as const).map(side =>
                    (side === 'a' ? diff.countA : diff.countB)[node] > 0 ? (
                      <Tooltip
                        key={side}
                        title={`Open this span in trace ${side.toUpperCase()}`}
                      >
                        <IconButton
                          size="small"
                          tabIndex={-1}
                          aria-label={`Open ${
                            diff.operation[node]
                          } in trace ${side.toUpperCase()}`}
                          onClick={() => onOpenSpan(side, node)}
                          sx={{ typography: 'caption', fontWeight: 700 }}
                        >
                          {side.toUpperCase()}
                        </IconButton>
                      </Tooltip>
                    ) : null,
                  )}
              </Box>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
