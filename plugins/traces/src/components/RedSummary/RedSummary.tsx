import { useApi } from '@backstage/frontend-plugin-api';
import type {
  MetricExemplar,
  MetricSeries,
  MetricsResponse,
} from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { ReactNode, useId, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage, tracesApiRef, TimeRange } from '../../api';
import {
  formatCount,
  formatDuration,
  formatPercent,
  formatRateIn,
  formatTimestamp,
  rateUnitFor,
} from '../../lib/format';
import {
  completeSteps,
  countOf,
  errorRatioSamples,
  exemplarPoints,
  ExemplarPoint,
  latencySummary,
  MAX_CHART_EXEMPLARS,
  metricsStep,
  metricsWindow,
  overallErrorRatio,
  rateSummary,
  RED_QUERIES,
  sampleAt,
  stepSeconds,
  sumSeries,
} from './redMetrics';
import { Sparkline, SparklineMarker } from './Sparkline';

export interface RedSummaryProps {
  /** Scopes to this entity's services; unscoped (traces.query) without. */
  entityRef?: string;
  /** The search's time range; metrics cover at most its last 24 hours. */
  range: TimeRange;
  /** Changing it reloads the metrics. */
  refreshKey?: number;
  /**
   * Opens a trace; with it, the charts show exemplars (spans behind the figures) as markers
   * that open their trace.
   */
  onOpenTrace?: (traceId: string, spanId?: string) => void;
}

type AsyncMetrics = {
  loading: boolean;
  error?: Error;
  value?: MetricsResponse;
};

function useMetrics(
  entityRef: string | undefined,
  query: string,
  window: TimeRange,
  refreshKey?: number,
): AsyncMetrics {
  const api = useApi(tracesApiRef);
  return useAsync(
    () =>
      api.queryMetrics({
        query,
        entityRef,
        start: window.start,
        end: window.end,
        step: metricsStep(window),
        exemplars: MAX_CHART_EXEMPLARS,
      }),
    [api, entityRef, query, window.start, window.end, refreshKey],
  );
}

/**
 * Rate, errors and latency of the entity's services over the time range, as sparklines.
 * Each figure loads and fails on its own, so one slow or failing query never hides the others
 * (or the trace list below).
 */
export function RedSummary(props: RedSummaryProps) {
  const { entityRef, range, refreshKey, onOpenTrace } = props;
  const window = metricsWindow(range);
  const rate = useMetrics(entityRef, RED_QUERIES.rate, window, refreshKey);
  const errors = useMetrics(entityRef, RED_QUERIES.errors, window, refreshKey);
  const latency = useMetrics(
    entityRef,
    RED_QUERIES.latency,
    window,
    refreshKey,
  );
  const startMs = window.start * 1000;
  const endMs = window.end * 1000;

  const step = metricsStep(window);
  const stepMs = stepSeconds(step) * 1000;
  /** The exemplars of one chart as its markers, each at `yOf` and described by `show`. */
  const markersOf = (
    series: MetricSeries[] | undefined,
    yOf: (exemplar: MetricExemplar) => number | undefined,
    show: (y: number) => string,
  ): SparklineMarker[] =>
    onOpenTrace
      ? exemplarPoints(series ?? [], yOf).map(point =>
          exemplarMarker(point, show, onOpenTrace),
        )
      : [];
  const rateSamples = useMemo(
    () => sumSeries(rate.value?.series ?? []),
    [rate.value],
  );
  const errorSamples = useMemo(
    () => sumSeries(errors.value?.series ?? []),
    [errors.value],
  );

  return (
    <Box component="section" aria-label="Service health summary">
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          // Cards wrap onto new rows when the content column is narrow (sidebar open).
          gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))',
        }}
      >
        <StatCard title="Span rate" state={rate}>
          {() => {
            const summary = rateSummary(rateSamples, window, step);
            if (!summary || summary.total <= 0) return <NoData />;
            const unit = rateUnitFor(summary.average);
            const show = (perSecond: number) => formatRateIn(perSecond, unit);
            // Right after a service starts, every span can still be in the running step,
            // which peak and "last full" leave out: a "peak 0" there would contradict the total.
            const onlyRunning = summary.samples.every(s => s.value <= 0);
            return (
              <>
                <Figure value={show(summary.average)} caption="average" />
                <Typography variant="caption" color="text.secondary">
                  {formatCount(Math.round(summary.total))} spans ·{' '}
                  {onlyRunning
                    ? `all in the running ${stepLabel(step)}`
                    : `peak ${show(summary.peak)}`}
                  {!onlyRunning &&
                    summary.lastStep !== undefined &&
                    ` · last full ${stepLabel(step)} ${show(summary.lastStep)}`}
                </Typography>
                <Sparkline
                  area
                  series={[
                    { label: 'spans per second', samples: summary.samples },
                  ]}
                  markers={markersOf(
                    rate.value?.series,
                    e => sampleAt(summary.samples, e.timestampMs, stepMs),
                    perSecond => `span rate ${show(perSecond)}`,
                  )}
                  startMs={startMs}
                  endMs={endMs}
                  label={`Span rate over time: average ${show(
                    summary.average,
                  )}${onlyRunning ? '' : `, peak ${show(summary.peak)}`}`}
                />
              </>
            );
          }}
        </StatCard>

        <StatCard title="Errors" state={combine(rate, errors)}>
          {() => {
            const ratio = overallErrorRatio(rateSamples, errorSamples);
            if (ratio === undefined) return <NoData />;
            const seconds = stepSeconds(step);
            const ratioSamples = errorRatioSamples(
              completeSteps(rateSamples, seconds * 1000, endMs),
              errorSamples,
            );
            const spans = Math.round(countOf(rateSamples, seconds));
            const failed = Math.round(countOf(errorSamples, seconds));
            return (
              <>
                <Figure
                  value={formatPercent(ratio)}
                  caption="of spans"
                  tone={ratio > 0.05 ? 'error' : undefined}
                />
                <Typography variant="caption" color="text.secondary">
                  {formatCount(failed)} of {formatCount(spans)} spans failed
                  {ratioSamples.length > 0 &&
                    ` · peak ${formatPercent(
                      Math.max(...ratioSamples.map(s => s.value)),
                    )}`}
                </Typography>
                <Sparkline
                  area
                  series={[
                    {
                      label: 'error ratio',
                      samples: ratioSamples,
                      tone: 'error',
                    },
                  ]}
                  markers={markersOf(
                    errors.value?.series,
                    e => sampleAt(ratioSamples, e.timestampMs, stepMs),
                    share => `${formatPercent(share)} of spans failed`,
                  )}
                  startMs={startMs}
                  endMs={endMs}
                  label={`Error ratio over time: ${formatPercent(
                    ratio,
                  )} overall`}
                />
              </>
            );
          }}
        </StatCard>

        <StatCard title="Latency (server spans)" state={latency}>
          {() => {
            const summary = latencySummary(
              latency.value?.series ?? [],
              window,
              step,
            );
            if (!summary) return <NoData />;
            const p99Peak = Math.max(
              ...summary.series[2].samples.map(s => s.value),
            );
            return (
              <>
                <Box
                  sx={{
                    display: 'flex',
                    flexWrap: 'wrap',
                    columnGap: 2,
                    alignItems: 'baseline',
                  }}
                >
                  {summary.overall.map(q => (
                    <Figure
                      key={q.label}
                      value={formatDuration(q.ms)}
                      caption={q.label}
                      small={q.label !== 'p95'}
                    />
                  ))}
                </Box>
                <Typography variant="caption" color="text.secondary">
                  of {formatCount(summary.count)} requests
                  {Number.isFinite(p99Peak) &&
                    ` · p99 of the worst ${stepLabel(step)} ${formatDuration(
                      p99Peak,
                    )}`}
                </Typography>
                <Sparkline
                  series={summary.series}
                  markers={markersOf(
                    latency.value?.series,
                    e => e.durationMs,
                    ms => `took ${formatDuration(ms)}`,
                  )}
                  startMs={startMs}
                  endMs={endMs}
                  label={`Latency over time: ${summary.overall
                    .map(q => `${q.label} ${formatDuration(q.ms)}`)
                    .join(', ')}`}
                />
              </>
            );
          }}
        </StatCard>
      </Box>
      {window.clamped && (
        <Typography
          variant="caption"
          color="text.secondary"
          sx={{ mt: 0.5, display: 'block' }}
        >
          Metrics cover the last 24 hours of the time range (Tempo&apos;s limit
          for TraceQL metrics).
        </Typography>
      )}
    </Box>
  );
}

/** An exemplar as a chart marker: a button that opens its trace, with time, value and ID. */
function exemplarMarker(
  point: ExemplarPoint,
  show: (y: number) => string,
  onOpenTrace: (traceId: string, spanId?: string) => void,
): SparklineMarker {
  const time = formatTimestamp(point.timestampMs);
  const when = point.y === undefined ? time : `${time}, ${show(point.y)}`;
  return {
    key: `${point.traceId}@${point.timestampMs}`,
    timestampMs: point.timestampMs,
    // on the baseline where the chart has no value (the running step)
    value: point.y ?? 0,
    label: `Open trace ${point.traceId.slice(0, 8)} (${when})`,
    title: (
      <>
        <Box component="span" sx={{ display: 'block' }}>
          {when}
        </Box>
        <Box
          component="span"
          sx={{ display: 'block', fontFamily: 'monospace' }}
        >
          Trace {point.traceId}
        </Box>
        <Box component="span" sx={{ display: 'block' }}>
          Click to open the trace
        </Box>
      </>
    ),
    onSelect: () => onOpenTrace(point.traceId, point.spanId),
  };
}

function combine(a: AsyncMetrics, b: AsyncMetrics): AsyncMetrics {
  return {
    loading: a.loading || b.loading,
    error: a.error ?? b.error,
    value: a.value && b.value ? a.value : undefined,
  };
}

function StatCard(props: {
  title: string;
  state: AsyncMetrics;
  children: () => ReactNode;
}) {
  const { title, state, children } = props;
  const headingId = useId();
  let body: ReactNode;
  if (state.loading) {
    body = (
      <>
        <Skeleton variant="text" width="40%" height={36} />
        <Skeleton variant="rectangular" width={160} height={36} />
      </>
    );
  } else if (state.error) {
    body = (
      <Typography variant="body2" color="error" role="alert">
        Could not load: {errorMessage(state.error)}
      </Typography>
    );
  } else {
    body = (
      <>
        {children()}
        {state.value?.partial && (
          <Typography variant="caption" color="warning.main" display="block">
            Partial result
            {state.value.partialMessage
              ? `: ${state.value.partialMessage}`
              : ''}
          </Typography>
        )}
      </>
    );
  }
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby={headingId}
      sx={{
        p: 1.5,
        display: 'flex',
        flexDirection: 'column',
        gap: 0.5,
        minHeight: 118,
      }}
    >
      <Typography
        id={headingId}
        variant="overline"
        component="h3"
        sx={{ lineHeight: 1.5 }}
      >
        {title}
      </Typography>
      {body}
    </Paper>
  );
}

function Figure(props: {
  value: string;
  caption: string;
  small?: boolean;
  tone?: 'error';
}) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 0.5 }}>
      <Typography
        component="span"
        variant={props.small ? 'h6' : 'h5'}
        color={props.tone === 'error' ? 'error' : undefined}
        sx={{ fontVariantNumeric: 'tabular-nums' }}
      >
        {props.value}
      </Typography>
      <Typography component="span" variant="caption" color="text.secondary">
        {props.caption}
      </Typography>
    </Box>
  );
}

/** `60s` → `minute`, `300s` → `5 min`: the length of one sparkline step in words. */
function stepLabel(step: string): string {
  const seconds = stepSeconds(step);
  if (seconds % 3600 === 0)
    return seconds === 3600 ? 'hour' : `${seconds / 3600} h`;
  if (seconds % 60 === 0)
    return seconds === 60 ? 'minute' : `${seconds / 60} min`;
  return `${seconds} s`;
}

function NoData() {
  return (
    <Typography variant="body2" color="text.secondary">
      No spans in this time range
    </Typography>
  );
}
