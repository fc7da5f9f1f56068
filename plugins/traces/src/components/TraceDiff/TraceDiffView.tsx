import { useCallback, useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type { Trace } from '@backstage-traces/plugin-traces-common';
import { errorStatus, tracesApiRef } from '../../api';
import { formatCount, formatDuration } from '../../lib/format';
import { Icon } from '../TraceView/Icon';
import { buildWaterfallModel } from '../TraceView/waterfallModel';
import { CompareForm } from './CompareForm';
import { DiffTree, DIFF_TREE_COLUMNS } from './DiffTree';
import {
  buildTraceDiff,
  DIFF_ADDED,
  DIFF_CHANGED,
  DIFF_REMOVED,
  DIFF_SAME,
  visibleDiffRows,
  type TraceDiffSide,
} from './model/traceDiff';

export interface TraceDiffViewProps {
  traceIdA?: string;
  traceIdB?: string;
  /** Entity whose Traces tab compares; the backend scopes access by it. */
  entityRef?: string;
  /** A new pair from the form. */
  onCompare: (traceIdA: string, traceIdB: string) => void;
  /** Opens a trace at a span (the buttons A and B of a row). */
  onOpenTrace?: (traceId: string, spanId?: string) => void;
  onClose?: () => void;
}

const TREE_HEIGHT = 'max(420px, calc(100vh - 420px))';

function useTrace(traceId: string | undefined, entityRef?: string) {
  const api = useApi(tracesApiRef);
  return useAsync(
    // Whole: a window of a large trace would compare only its top levels.
    async () =>
      traceId ? api.getTrace({ traceId, entityRef, whole: true }) : undefined,
    [api, traceId, entityRef],
  );
}

function LoadError(props: { side: string; traceId: string; error: Error }) {
  return errorStatus(props.error) === 404 ? (
    <WarningPanel
      severity="warning"
      title={`Trace ${props.side} (${props.traceId}) was not found`}
      message="It may be older than Tempo's retention or not be visible to you."
    />
  ) : (
    <ResponseErrorPanel
      error={props.error}
      title={`Could not load trace ${props.side}`}
    />
  );
}

const sideText = (name: string, side: TraceDiffSide) =>
  `${name}: ${side.traceId} · ${formatCount(
    side.spans,
  )} spans · ${formatDuration(side.durationMs)}`;

/**
 * Two traces compared, as Jaeger UI's TraceDiff: merged into one tree by service and operation
 * path, each node showing what is only in A, only in B, or in both with the change in count
 * and duration; siblings with the largest change come first.
 */
export function TraceDiffView(props: TraceDiffViewProps) {
  const { traceIdA, traceIdB, entityRef, onOpenTrace } = props;
  const a = useTrace(traceIdA, entityRef);
  const b = useTrace(traceIdB, entityRef);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [hideUnchanged, setHideUnchanged] = useState(false);

  const compared = useMemo(() => {
    if (!a.value || !b.value) return undefined;
    const modelA = buildWaterfallModel(a.value);
    const modelB = buildWaterfallModel(b.value);
    return { modelA, modelB, diff: buildTraceDiff(modelA, modelB) };
  }, [a.value, b.value]);
  const diff = compared?.diff;
  const rows = useMemo(
    () =>
      diff
        ? visibleDiffRows(diff, collapsed, hideUnchanged)
        : new Int32Array(0),
    [diff, collapsed, hideUnchanged],
  );

  const toggle = useCallback((node: number) => {
    setCollapsed(current => {
      const next = new Set(current);
      if (!next.delete(node)) next.add(node);
      return next;
    });
  }, []);
  const openSpan = useCallback(
    (side: 'a' | 'b', node: number) => {
      if (!compared || !onOpenTrace) return;
      const model = side === 'a' ? compared.modelA : compared.modelB;
      const row = (
        side === 'a' ? compared.diff.firstRowA : compared.diff.firstRowB
      )[node];
      if (row >= 0) onOpenTrace(model.trace.traceId, model.spans[row].spanId);
    },
    [compared, onOpenTrace],
  );

  const loading = a.loading || b.loading;
  const windowed = [a.value, b.value].filter((t): t is Trace =>
    Boolean(t?.window),
  );

  return (
    <Box
      sx={{ display: 'flex', flexDirection: 'column', gap: 1.5, minWidth: 0 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          Compare traces
        </Typography>
        {props.onClose && (
          <IconButton
            aria-label="Close comparison"
            onClick={props.onClose}
            size="small"
          >
            <Icon name="close" />
          </IconButton>
        )}
      </Box>
      <CompareForm
        traceIdA={traceIdA}
        traceIdB={traceIdB}
        onCompare={props.onCompare}
      />
      {(!traceIdA || !traceIdB) && (
        <Typography color="textSecondary">
          Paste two trace IDs above, or tick two traces in a trace list and
          choose Compare.
        </Typography>
      )}
      {loading && <LinearProgress aria-label="Loading the traces" />}
      {a.error && traceIdA && (
        <LoadError side="A" traceId={traceIdA} error={a.error} />
      )}
      {b.error && traceIdB && (
        <LoadError side="B" traceId={traceIdB} error={b.error} />
      )}
      {windowed.length > 0 && (
        <WarningPanel
          severity="info"
          title="Only part of a very large trace is compared"
          message={windowed
            .map(
              t =>
                `${t.traceId} has ${formatCount(
                  t.window!.totalSpans,
                )} spans; the first ${formatCount(
                  t.spans.length,
                )} (its top levels, errors and critical path) are compared.`,
            )
            .join(' ')}
        />
      )}
      {diff && (
        <>
          <Box sx={{ display: 'grid', gap: 0.25 }}>
            <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
              {sideText('A', diff.a)}
            </Typography>
            <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
              {sideText('B', diff.b)}
            </Typography>
          </Box>
          <Box
            sx={{
              display: 'flex',
              flexWrap: 'wrap',
              gap: 2,
              alignItems: 'center',
            }}
            role="group"
            aria-label="Summary of the comparison"
          >
            <Typography variant="body2" sx={{ color: 'error.main' }}>
              − {formatCount(diff.changeCounts[DIFF_REMOVED])} only in A
            </Typography>
            <Typography variant="body2" sx={{ color: 'success.main' }}>
              + {formatCount(diff.changeCounts[DIFF_ADDED])} only in B
            </Typography>
            <Typography variant="body2" sx={{ color: 'warning.dark' }}>
              ▲▼ {formatCount(diff.changeCounts[DIFF_CHANGED])} changed
            </Typography>
            <Typography variant="body2" color="textSecondary">
              = {formatCount(diff.changeCounts[DIFF_SAME])} unchanged
            </Typography>
            <Box sx={{ flex: 1 }} />
            <FormControlLabel
              control={
                <Switch
                  size="small"
                  checked={hideUnchanged}
                  onChange={event => setHideUnchanged(event.target.checked)}
                />
              }
              label="Hide unchanged"
            />
            <Button size="small" onClick={() => setCollapsed(new Set())}>
              Expand all
            </Button>
            <Button
              size="small"
              onClick={() => {
                const all = new Set<number>();
                for (let i = 0; i < diff.size; i++) {
                  if (diff.subtreeEnd[i] > i + 1) all.add(i);
                }
                setCollapsed(all);
              }}
            >
              Collapse all
            </Button>
          </Box>
          <Box
            sx={{
              border: 1,
              borderColor: 'divider',
              borderRadius: 1,
              minWidth: 0,
              overflowX: 'auto',
            }}
          >
            <Box sx={{ minWidth: 760 }}>
              <Box
                aria-hidden
                sx={{
                  display: 'grid',
                  gridTemplateColumns: DIFF_TREE_COLUMNS,
                  gap: 1,
                  px: 1,
                  py: 0.75,
                  borderBottom: 1,
                  borderColor: 'divider',
                  typography: 'caption',
                  fontWeight: 600,
                  textTransform: 'uppercase',
                  color: 'text.secondary',
                }}
              >
                <span>Service and operation</span>
                <span>Change</span>
                <span>Spans (A → B)</span>
                <span>Total duration (A → B)</span>
                <span>Open</span>
              </Box>
              {rows.length === 0 ? (
                <Typography sx={{ p: 2 }} color="textSecondary">
                  {diff.size === 0
                    ? 'Both traces are empty.'
                    : 'Nothing changed between the two traces.'}
                </Typography>
              ) : (
                <DiffTree
                  diff={diff}
                  rows={rows}
                  collapsed={collapsed}
                  onToggle={toggle}
                  onOpenSpan={onOpenTrace ? openSpan : undefined}
                  height={TREE_HEIGHT}
                />
              )}
            </Box>
          </Box>
        </>
      )}
    </Box>
  );
}
