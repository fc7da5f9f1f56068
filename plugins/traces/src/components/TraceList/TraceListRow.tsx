import type { TraceSummary } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { CSSProperties, KeyboardEvent } from 'react';
import {
  formatCount,
  formatDuration,
  formatRelativeTime,
  formatTimestamp,
} from '../../lib/format';
import { RootOwnerCell } from './RootOwnerCell';
import { traceErrorCount } from './traceSort';
import type { RootServiceOwners } from './useRootServiceOwners';

export const ROW_HEIGHT = 56;
/**
 * Start · root · duration · spans · errors · services. The minimums add up to what a 1024 px
 * window leaves beside Backstage's open sidebar.
 */
export const TRACE_LIST_COLUMNS =
  '156px minmax(170px, 2fr) minmax(110px, 1fr) 56px 60px minmax(120px, 1.6fr)';
/** With the owner of the root service after it (the unscoped page); the others give way. */
export const TRACE_LIST_COLUMNS_WITH_OWNER =
  '156px minmax(150px, 2fr) minmax(120px, 1.2fr) minmax(90px, 1fr) 56px 60px minmax(90px, 1.2fr)';
const MAX_CHIPS = 3;
/** Width of the leading "pick to compare" column, when the list offers it. */
export const COMPARE_COLUMN = '36px ';

/** The row's "pick to compare" checkbox (see TraceList's `compare`). */
export interface CompareCheck {
  checked: boolean;
  disabled: boolean;
  onToggle: () => void;
}

export interface TraceListRowProps {
  index: number;
  trace: TraceSummary;
  maxDurationMs: number;
  nowMs: number;
  selected: boolean;
  tabIndex: number;
  onOpen: () => void;
  onFocus: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => void;
  style: CSSProperties;
  /** Shows the owner of the root service (resolved once for the whole list). */
  rootOwners?: RootServiceOwners;
  compare?: CompareCheck;
}

/** One search result. The whole row opens the trace; its label reads as one sentence. */
export function TraceListRow(props: TraceListRowProps) {
  const {
    index,
    trace,
    maxDurationMs,
    nowMs,
    selected,
    tabIndex,
    onOpen,
    onFocus,
    onKeyDown,
    rootOwners,
    compare,
  } = props;
  const errors = traceErrorCount(trace);
  const root = trace.rootServiceName ?? '<root span not yet received>';
  const spanName = trace.rootSpanName ?? '';
  const duration = formatDuration(trace.durationMs);
  const ratio = maxDurationMs > 0 ? trace.durationMs / maxDurationMs : 0;
  const services = [...trace.services].sort(
    (a, b) => b.errorCount - a.errorCount || b.spanCount - a.spanCount,
  );
  const label = [
    `${root}${spanName ? ` ${spanName}` : ''}`,
    formatTimestamp(trace.startTime),
    duration,
    trace.spanCount !== undefined ? `${trace.spanCount} spans` : undefined,
    errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <Box
      role="row"
      aria-rowindex={index + 2}
      aria-label={label}
      aria-selected={selected}
      data-index={index}
      tabIndex={tabIndex}
      onClick={onOpen}
      onFocus={onFocus}
      onKeyDown={onKeyDown}
      style={props.style}
      sx={{
        position: 'absolute',
        top: 0,
        left: 0,
        width: '100%',
        height: ROW_HEIGHT,
        display: 'grid',
        gridTemplateColumns: `${compare ? COMPARE_COLUMN : ''}${
          rootOwners ? TRACE_LIST_COLUMNS_WITH_OWNER : TRACE_LIST_COLUMNS
        }`,
        alignItems: 'center',
        px: 1.5,
        cursor: 'pointer',
        borderBottom: 1,
        borderColor: 'divider',
        borderLeft: 3,
        borderLeftColor: errors > 0 ? 'error.main' : 'transparent',
        bgcolor: selected ? 'action.selected' : undefined,
        '&:hover': { bgcolor: 'action.hover' },
        '&:focus-visible': {
          outline: 2,
          outlineColor: 'primary.main',
          outlineOffset: -2,
        },
      }}
    >
      {compare && (
        // The checkbox picks the trace without opening it.
        // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions
        <Box
          role="gridcell"
          onClick={event => event.stopPropagation()}
          onKeyDown={event => event.stopPropagation()}
        >
          <Checkbox
            size="small"
            checked={compare.checked}
            disabled={compare.disabled}
            onChange={compare.onToggle}
            tabIndex={tabIndex}
            inputProps={{ 'aria-label': `Pick ${trace.traceId} to compare` }}
            sx={{ p: 0.5 }}
          />
        </Box>
      )}
      <Box role="gridcell" sx={{ minWidth: 0 }}>
        <Typography
          variant="body2"
          noWrap
          sx={{ fontVariantNumeric: 'tabular-nums' }}
        >
          {formatTimestamp(trace.startTime)}
        </Typography>
        <Typography
          variant="caption"
          color="text.secondary"
          noWrap
          component="div"
        >
          {formatRelativeTime(trace.startTime, nowMs)}
        </Typography>
      </Box>
      <Box role="gridcell" sx={{ minWidth: 0, pr: 1 }}>
        <Typography variant="body2" noWrap title={`${root} ${spanName}`}>
          <Box component="span" sx={{ fontWeight: 600 }}>
            {root}
          </Box>{' '}
          {spanName}
        </Typography>
        <Typography
          variant="caption"
          color="text.secondary"
          noWrap
          component="div"
        >
          <Box component="span" sx={{ fontFamily: 'monospace' }}>
            {trace.traceId.slice(0, 12)}
          </Box>
          {trace.matched > 0 &&
            ` · ${formatCount(trace.matched)} matching span${
              trace.matched === 1 ? '' : 's'
            }`}
        </Typography>
      </Box>
      {rootOwners && (
        <RootOwnerCell
          rootServiceName={trace.rootServiceName}
          rootOwners={rootOwners}
        />
      )}
      <Box role="gridcell" sx={{ minWidth: 0, pr: 2 }}>
        <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          {duration}
        </Typography>
        <Box
          aria-hidden
          sx={{
            height: 4,
            borderRadius: 2,
            bgcolor: 'action.hover',
            overflow: 'hidden',
          }}
        >
          <Box
            sx={{
              height: '100%',
              width: `${Math.max(1, ratio * 100)}%`,
              bgcolor: errors > 0 ? 'error.main' : 'primary.main',
              opacity: 0.7,
            }}
          />
        </Box>
      </Box>
      <Box
        role="gridcell"
        sx={{ textAlign: 'right', pr: 1, fontVariantNumeric: 'tabular-nums' }}
      >
        <Typography variant="body2">
          {trace.spanCount !== undefined ? formatCount(trace.spanCount) : '–'}
        </Typography>
      </Box>
      <Box role="gridcell" sx={{ textAlign: 'right', pr: 1 }}>
        {errors > 0 ? (
          <Typography
            variant="body2"
            color="error"
            sx={{ fontWeight: 600 }}
            aria-label={`${errors} error span${errors === 1 ? '' : 's'}`}
          >
            ● {formatCount(errors)}
          </Typography>
        ) : (
          <Typography
            variant="body2"
            color="text.disabled"
            aria-label="no errors"
          >
            –
          </Typography>
        )}
      </Box>
      <Box
        role="gridcell"
        sx={{
          display: 'flex',
          gap: 0.5,
          overflow: 'hidden',
          flexWrap: 'nowrap',
          minWidth: 0,
        }}
      >
        {services.slice(0, MAX_CHIPS).map(service => (
          <Chip
            key={service.name}
            size="small"
            variant="outlined"
            color={service.errorCount > 0 ? 'error' : 'default'}
            label={
              service.errorCount > 0
                ? `${service.name} (${service.errorCount})`
                : service.name
            }
            title={`${service.name}: ${service.spanCount} spans, ${service.errorCount} errors`}
            sx={{ maxWidth: 160 }}
          />
        ))}
        {services.length > MAX_CHIPS && (
          <Tooltip
            title={services
              .slice(MAX_CHIPS)
              .map(s => s.name)
              .join(', ')}
          >
            <Chip size="small" label={`+${services.length - MAX_CHIPS}`} />
          </Tooltip>
        )}
      </Box>
    </Box>
  );
}
