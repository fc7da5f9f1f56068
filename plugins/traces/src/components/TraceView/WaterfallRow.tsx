import { memo } from 'react';
import type { CSSProperties } from 'react';
import type { SpanLogCount } from '@backstage-traces/plugin-traces-common';
import { formatDuration } from '../../lib/format';
import { serviceColor } from './colors';
import { Icon } from './Icon';
import { FLAG_ERROR, FLAG_ORPHAN, type WaterfallModel } from './waterfallModel';
import { INDENT_PX } from './WaterfallRoot';

export interface WaterfallRowProps {
  model: WaterfallModel;
  row: number;
  /** Position among the visible rows (0-based). */
  position: number;
  /** Pixel offset of the row in the scrolled content. */
  top: number;
  rowId: string;
  collapsed: boolean;
  selected: boolean;
  active: boolean;
  /** 0: no search match, 1: a match, 2: the current match. */
  match: 0 | 1 | 2;
  /** Shown only as the ancestor of a filtered-in span. */
  context: boolean;
  showCriticalPath: boolean;
  logCount?: SpanLogCount;
  /** Colour of the log badge (by highest severity). */
  logColor?: string;
  viewStartMs: number;
  viewDurationMs: number;
  onRowClick: (row: number) => void;
  onToggle: (row: number) => void;
  onOpenLogs: (row: number) => void;
  /** Windowed traces: loads what is not loaded below the row. */
  onLoadMore?: (row: number) => void;
  /** The row's subtree is being loaded. */
  loading: boolean;
}

const pct = (value: number) => `${Math.max(0, Math.min(100, value * 100))}%`;

/**
 * One span row. Props are primitives (plus the stable model and callbacks), so memo skips rows
 * that did not change while the list scrolls; no hooks, no MUI components.
 */
export const WaterfallRow = memo(function WaterfallRowInner(
  props: WaterfallRowProps,
) {
  const { model, row, viewStartMs, viewDurationMs } = props;
  const span = model.spans[row];
  const flags = model.flags[row];
  const isError = (flags & FLAG_ERROR) !== 0;
  const childCount = model.childCount[row];
  const parentRow = model.parent[row];
  // Windowed traces: a load button where direct children are missing; the count is of
  // everything missing below.
  const unloadedChildren = props.onLoadMore
    ? model.hiddenChildren?.[row] ?? 0
    : 0;
  const unloadedSpans = model.hiddenSpans?.[row] ?? 0;
  const unloadedErrors = model.hiddenErrors?.[row] ?? 0;
  const loadMore = (event: { stopPropagation(): void }) => {
    event.stopPropagation();
    if (!props.loading) props.onLoadMore?.(row);
  };
  const color = serviceColor(model.service[row]);
  const duration = formatDuration(model.endMs[row] - model.startMs[row]);

  const left = (model.startMs[row] - viewStartMs) / viewDurationMs;
  const width = (model.endMs[row] - model.startMs[row]) / viewDurationMs;
  const end = left + width;
  const barVisible = end >= 0 && left <= 1;

  // The duration goes after the bar, else before it, else (a bar across the view) inside it.
  let durationLabel: { className: string; style: CSSProperties };
  if (end < 0.85) {
    durationLabel = {
      className: 'tv-duration',
      style: { left: `calc(${pct(end)} + 4px)` },
    };
  } else if (left > 0.15) {
    durationLabel = {
      className: 'tv-duration',
      style: { right: `calc(${pct(1 - left)} + 4px)` },
    };
  } else {
    durationLabel = {
      className: 'tv-duration tv-duration-inside',
      style: { right: `calc(${pct(1 - Math.min(end, 1))} + 4px)` },
    };
  }

  const critical: JSX.Element[] = [];
  if (props.showCriticalPath) {
    const { offsets, startMs, endMs } = model.criticalPath;
    for (let k = offsets[row]; k < offsets[row + 1]; k++) {
      const s = (startMs[k] - viewStartMs) / viewDurationMs;
      const e = (endMs[k] - viewStartMs) / viewDurationMs;
      if (e < 0 || s > 1) continue;
      critical.push(
        <div
          key={k}
          className="tv-critical"
          style={{ left: pct(s), width: pct(Math.min(e, 1) - Math.max(s, 0)) }}
        />,
      );
    }
  }

  // Expands/collapses loaded children; where none are loaded but some exist, loads them.
  let toggle: JSX.Element;
  if (childCount > 0) {
    toggle = (
      <button
        type="button"
        className="tv-toggle"
        tabIndex={-1}
        aria-label={`${props.collapsed ? 'Expand' : 'Collapse'} ${
          span.name
        } (${childCount} ${childCount === 1 ? 'child' : 'children'})`}
        onClick={event => {
          event.stopPropagation();
          props.onToggle(row);
        }}
      >
        <Icon name={props.collapsed ? 'chevronRight' : 'chevronDown'} />
        {childCount}
      </button>
    );
  } else if (unloadedChildren > 0) {
    toggle = (
      <button
        type="button"
        className="tv-toggle"
        tabIndex={-1}
        aria-label={`Load the spans below ${span.name} (${unloadedSpans} not loaded)`}
        onClick={loadMore}
      >
        <Icon name="chevronRight" />
      </button>
    );
  } else {
    toggle = <span className="tv-toggle-spacer" />;
  }

  let className = 'tv-row';
  if (props.selected) className += ' tv-selected';
  if (props.active) className += ' tv-active';
  if (props.match === 1) className += ' tv-match';
  if (props.match === 2) className += ' tv-current';
  if (props.context) className += ' tv-context';

  const label = `${span.name}, ${span.serviceName}, ${duration}${
    isError ? ', error' : ''
  }`;

  return (
    // Rows are not focusable on purpose: the treegrid holds focus and handles the keys for the
    // active row (aria-activedescendant), which survives rows unmounting as the list scrolls.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/interactive-supports-focus
    <div
      role="row"
      id={props.rowId}
      className={className}
      style={{ transform: `translateY(${props.top}px)` }}
      aria-label={label}
      aria-level={model.depth[row] + 1}
      aria-rowindex={props.position + 1}
      aria-selected={props.selected}
      aria-expanded={childCount > 0 ? !props.collapsed : undefined}
      onClick={() => props.onRowClick(row)}
    >
      <div role="gridcell" className="tv-name">
        <span
          className="tv-indent"
          style={{ width: model.depth[row] * INDENT_PX }}
        />
        {toggle}
        <span className="tv-chip" style={{ background: color }} />
        {/* The service is named where it changes (the chip colour carries it below). */}
        {(parentRow < 0 || model.service[parentRow] !== model.service[row]) && (
          <span className="tv-service">{span.serviceName}</span>
        )}
        <span className="tv-label" title={span.name}>
          {span.name}
        </span>
        {isError && <Icon name="error" className="tv-error-icon" />}
        {props.collapsed && model.descendantErrors[row] > 0 && (
          <span
            className="tv-hidden-errors"
            title={`${model.descendantErrors[row]} error spans below this collapsed span`}
          >
            {model.descendantErrors[row]}
          </span>
        )}
        {unloadedChildren > 0 && (
          <button
            type="button"
            className="tv-unloaded"
            tabIndex={-1}
            disabled={props.loading}
            aria-label={
              props.loading
                ? `Loading spans below ${span.name}`
                : `Load ${unloadedSpans} spans not loaded below ${span.name}`
            }
            title={
              props.loading
                ? 'Loading…'
                : `${unloadedSpans.toLocaleString()} spans below are not loaded yet${
                    unloadedErrors
                      ? ` (${unloadedErrors.toLocaleString()} with errors)`
                      : ''
                  }. Click to load them, children first.`
            }
            onClick={loadMore}
          >
            {props.loading
              ? 'loading…'
              : `+${unloadedSpans.toLocaleString()} not loaded`}
            {!props.loading && unloadedErrors > 0 && (
              <span className="tv-unloaded-errors">
                {' '}
                · {unloadedErrors.toLocaleString()} errors
              </span>
            )}
          </button>
        )}
        {(flags & FLAG_ORPHAN) !== 0 && (
          <span
            className="tv-orphan"
            title={`Parent span ${span.parentSpanId} is not in this trace`}
          >
            no parent
          </span>
        )}
        {props.logCount && props.logCount.count > 0 && (
          <button
            type="button"
            className="tv-logs"
            tabIndex={-1}
            style={{ background: props.logColor }}
            aria-label={`${props.logCount.count} logs${
              props.logCount.highestSeverity
                ? `, highest severity ${props.logCount.highestSeverity}`
                : ''
            }`}
            title={`${props.logCount.count} logs${
              props.logCount.highestSeverity
                ? ` (${props.logCount.highestSeverity})`
                : ''
            }`}
            onClick={event => {
              event.stopPropagation();
              props.onOpenLogs(row);
            }}
          >
            <Icon name="logs" />
            {props.logCount.count}
          </button>
        )}
      </div>
      <div role="gridcell" className="tv-timeline">
        {barVisible && (
          <div
            className={isError ? 'tv-bar tv-bar-error' : 'tv-bar'}
            style={{
              left: pct(left),
              width: pct(Math.min(end, 1) - Math.max(left, 0)),
              background: color,
            }}
            title={`${span.name}\n${
              span.serviceName
            } · ${duration} at +${formatDuration(model.startMs[row])}${
              isError && span.status.message
                ? `\nError: ${span.status.message}`
                : ''
            }`}
          />
        )}
        {critical}
        {barVisible && (
          <span className={durationLabel.className} style={durationLabel.style}>
            {duration}
          </span>
        )}
      </div>
    </div>
  );
});
