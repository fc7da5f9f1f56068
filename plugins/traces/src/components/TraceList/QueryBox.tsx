import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';
import type { TimeRange } from '../../api';
import { GrafanaSettings, traceqlSearchExploreUrl } from '../../grafana';

const COPY_LABELS = {
  idle: 'Copy query',
  copied: 'Copied',
  failed: 'Copy failed',
} as const;

export interface QueryBoxProps {
  /** The exact TraceQL the backend sent to Tempo. */
  query: string;
  range: TimeRange;
  limit: number;
  /** When set, an "Open in Grafana" link runs the same search there. */
  grafana?: GrafanaSettings;
}

/**
 * The query that produced the list, exactly as Tempo received it (with the entity scope the
 * backend added), so it can be copied into Grafana or a runbook.
 */
export function QueryBox(props: QueryBoxProps) {
  const { query, range, limit, grafana } = props;
  const [, legacyCopy] = useCopyToClipboard();
  const [status, setStatus] = useState<keyof typeof COPY_LABELS>('idle');
  useEffect(() => {
    if (status === 'idle') return undefined;
    const timer = setTimeout(() => setStatus('idle'), 2000);
    return () => clearTimeout(timer);
  }, [status]);

  const copy = async () => {
    try {
      // the async clipboard API needs a secure context; fall back to execCommand elsewhere
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(query);
      } else {
        legacyCopy(query);
      }
      setStatus('copied');
    } catch {
      setStatus('failed');
    }
  };

  return (
    <Box
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 1,
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        pl: 1.5,
        pr: 0.5,
        py: 0.5,
        bgcolor: 'background.default',
      }}
    >
      <Typography
        variant="caption"
        color="text.secondary"
        sx={{ whiteSpace: 'nowrap' }}
      >
        TraceQL sent
      </Typography>
      <Box
        component="code"
        aria-label="TraceQL sent to Tempo"
        sx={{
          flex: 1,
          fontFamily: 'monospace',
          fontSize: 13,
          overflowX: 'auto',
          whiteSpace: 'pre',
          py: 0.5,
        }}
      >
        {query}
      </Box>
      <Button size="small" onClick={copy} aria-live="polite">
        {COPY_LABELS[status]}
      </Button>
      {grafana && (
        <Button
          size="small"
          component="a"
          href={traceqlSearchExploreUrl(grafana, {
            query,
            range: { from: range.start * 1000, to: range.end * 1000 },
            limit,
          })}
          target="_blank"
          rel="noopener noreferrer"
        >
          Open in Grafana
        </Button>
      )}
    </Box>
  );
}
