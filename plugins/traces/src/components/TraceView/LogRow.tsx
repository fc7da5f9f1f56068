import { memo, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Typography from '@mui/material/Typography';
import type { LogRecord } from '@backstage-traces/plugin-traces-common';
import { formatDuration } from '../../lib/format';
import { attributeRows } from './attributeValues';
import { AttributeValueView } from './AttributeValueView';
import { Icon } from './Icon';
import { SeverityChip } from './SeverityChip';
import { formatOffset } from './timeAxis';

export interface LogRowProps {
  log: LogRecord;
  /** Trace start in epoch ms, to show each log's offset next to the waterfall's time axis. */
  traceStartMs?: number;
  showService: boolean;
  /** Set when the log's span is in the trace: selects it in the waterfall. */
  onSelectSpan?: (spanId: string) => void;
}

function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(
    d.getSeconds(),
  )}.${pad(d.getMilliseconds(), 3)}`;
}

/** One log line; expands to every field of the log document, masked fields marked. */
export const LogRow = memo(function LogRowInner(props: LogRowProps) {
  const { log, traceStartMs, onSelectSpan } = props;
  const [open, setOpen] = useState(false);
  const ms = Date.parse(log.timestamp);
  const time = Number.isNaN(ms) ? log.timestamp : clockTime(ms);
  const offset =
    traceStartMs !== undefined && !Number.isNaN(ms)
      ? formatOffset(ms - traceStartMs, formatDuration)
      : undefined;

  const fields: Record<string, unknown> = {
    ...log.fields,
    'log.id': log.id,
    timestamp: log.timestamp,
    ...(log.severity !== undefined ? { severity: log.severity } : {}),
    ...(log.severityNumber !== undefined
      ? { severity_number: log.severityNumber }
      : {}),
    ...(log.serviceName !== undefined
      ? { 'service.name': log.serviceName }
      : {}),
    ...(log.traceId !== undefined ? { trace_id: log.traceId } : {}),
    ...(log.spanId !== undefined ? { span_id: log.spanId } : {}),
  };

  return (
    <Box component="li" sx={{ borderBottom: 1, borderColor: 'divider' }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, py: 0.5 }}>
        <IconButton
          size="small"
          aria-expanded={open}
          aria-label={`${
            open ? 'Hide' : 'Show'
          } all fields of the log at ${time}`}
          onClick={() => setOpen(o => !o)}
          sx={{ p: 0.25 }}
        >
          <Icon name={open ? 'chevronDown' : 'chevronRight'} />
        </IconButton>
        <SeverityChip
          severity={log.severity}
          severityNumber={log.severityNumber}
        />
        <Typography
          variant="caption"
          color="textSecondary"
          title={
            offset
              ? `${log.timestamp} (${offset} from the trace start)`
              : log.timestamp
          }
          sx={{
            fontVariantNumeric: 'tabular-nums',
            whiteSpace: 'nowrap',
            lineHeight: '18px',
          }}
        >
          {time}
          {offset && (
            <Box component="span" sx={{ ml: 0.5, opacity: 0.75 }}>
              ({offset})
            </Box>
          )}
        </Typography>
        {props.showService && log.serviceName && (
          <Typography
            variant="caption"
            color="textSecondary"
            noWrap
            sx={{ maxWidth: 140, lineHeight: '18px' }}
          >
            {log.serviceName}
          </Typography>
        )}
        <Typography
          variant="body2"
          sx={{
            flex: 1,
            minWidth: 0,
            fontFamily: 'monospace',
            fontSize: 12,
            lineHeight: '18px',
            ...(open
              ? { whiteSpace: 'pre-wrap', wordBreak: 'break-word' }
              : {
                  whiteSpace: 'nowrap',
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                }),
          }}
        >
          {log.message}
        </Typography>
      </Box>
      {open && (
        <Box sx={{ pl: 4, pb: 1 }}>
          {log.spanId && onSelectSpan && (
            <Button
              size="small"
              onClick={() => onSelectSpan(log.spanId!)}
              sx={{ mb: 0.5 }}
            >
              Show its span in the waterfall
            </Button>
          )}
          <Box
            component="dl"
            aria-label="Log fields"
            sx={{
              display: 'grid',
              gridTemplateColumns: 'minmax(120px, max-content) 1fr',
              columnGap: 2,
              rowGap: 0.25,
              m: 0,
            }}
          >
            {attributeRows(fields, '', log.redactedKeys).map(row => (
              <Box key={row.key} sx={{ display: 'contents' }}>
                <Typography
                  component="dt"
                  variant="caption"
                  sx={{
                    fontFamily: 'monospace',
                    color: 'text.secondary',
                    wordBreak: 'break-all',
                  }}
                >
                  {row.key}
                </Typography>
                <Typography
                  component="dd"
                  variant="body2"
                  sx={{ m: 0, fontSize: 12, minWidth: 0 }}
                >
                  <AttributeValueView value={row.value} masked={row.masked} />
                </Typography>
              </Box>
            ))}
          </Box>
        </Box>
      )}
    </Box>
  );
});
