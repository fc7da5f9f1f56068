import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import type { Span } from '@backstage-traces/plugin-traces-common';
import { formatDuration } from '../../lib/format';
import { formatOffset } from './timeAxis';
import { AttributesTable } from './AttributesTable';

const FIRST_EVENTS = 50;
const EXCEPTION_KEYS = [
  'exception.type',
  'exception.message',
  'exception.stacktrace',
];

/**
 * The span's events in time order, with their offset from the span start. Exception events
 * (OpenTelemetry's `exception` event) stand out, with type, message and stack trace.
 */
export function SpanEvents(props: { span: Span }) {
  const { span } = props;
  const [showAll, setShowAll] = useState(false);
  const events = [...span.events].sort((a, b) => a.offsetMs - b.offsetMs);
  const shown = showAll ? events : events.slice(0, FIRST_EVENTS);
  return (
    <Box component="section" aria-label="Events" sx={{ mb: 2 }}>
      <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
        Events ({events.length})
      </Typography>
      {events.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          None.
        </Typography>
      )}
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {shown.map((event, index) => {
          const isException = event.name === 'exception';
          const attrs = event.attributes;
          const rest = isException
            ? Object.fromEntries(
                Object.entries(attrs).filter(
                  ([k]) => !EXCEPTION_KEYS.includes(k),
                ),
              )
            : attrs;
          const type = attrs['exception.type'];
          const message = attrs['exception.message'];
          const stack = attrs['exception.stacktrace'];
          return (
            <Box
              component="li"
              key={`${event.timeUnixNano}-${index}`}
              aria-label={
                isException
                  ? `Exception event: ${String(type ?? message ?? '')}`
                  : `Event: ${event.name}`
              }
              sx={{
                mb: 1,
                pl: 1.5,
                borderLeft: 3,
                borderColor: isException ? 'error.main' : 'divider',
                bgcolor: isException ? 'rgba(244, 67, 54, 0.06)' : undefined,
              }}
            >
              <Typography variant="body2" sx={{ fontWeight: 500 }}>
                <Box
                  component="span"
                  sx={{
                    color: 'text.secondary',
                    fontVariantNumeric: 'tabular-nums',
                    mr: 1,
                  }}
                >
                  {formatOffset(event.offsetMs - span.startMs, formatDuration)}
                </Box>
                {event.name}
              </Typography>
              {isException && (type !== undefined || message !== undefined) && (
                <Typography
                  variant="body2"
                  color="error"
                  sx={{ fontFamily: 'monospace', wordBreak: 'break-word' }}
                >
                  {[type, message]
                    .filter(v => v !== undefined && v !== null)
                    .map(String)
                    .join(': ')}
                </Typography>
              )}
              {isException && stack !== undefined && stack !== null && (
                <Box
                  component="pre"
                  aria-label="Stack trace"
                  sx={{
                    m: 0,
                    my: 0.5,
                    p: 1,
                    fontSize: 12,
                    overflowX: 'auto',
                    maxHeight: 320,
                    bgcolor: 'background.default',
                    borderRadius: 1,
                  }}
                >
                  {String(stack)}
                </Box>
              )}
              {Object.keys(rest).length > 0 && (
                <AttributesTable
                  title="Event attributes"
                  attributes={rest}
                  redactedKeys={span.redactedKeys}
                />
              )}
            </Box>
          );
        })}
      </Box>
      {events.length > shown.length && (
        <Button size="small" onClick={() => setShowAll(true)}>
          Show all {events.length} events
        </Button>
      )}
    </Box>
  );
}
