/**
 * The search filters of the Traces tab and their URL form. Filters live in the URL so that a
 * search (and an open trace) can be shared as a link and survives a reload.
 *
 * Only non-default values are written, and every parameter this module does not own (the open
 * trace, the tab, other plugins' state) is carried over untouched.
 */

export const TIME_RANGE_PRESETS = [
  '15m',
  '1h',
  '6h',
  '24h',
  '2d',
  '7d',
] as const;
export type TimeRangePreset = (typeof TIME_RANGE_PRESETS)[number];

const PRESET_SECONDS: Record<TimeRangePreset, number> = {
  '15m': 15 * 60,
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 24 * 3600,
  '2d': 2 * 24 * 3600,
  '7d': 7 * 24 * 3600,
};

export const PRESET_LABELS: Record<TimeRangePreset, string> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '2d': 'Last 2 days',
  '7d': 'Last 7 days',
};

/** A relative preset ending now, or a fixed window in epoch milliseconds. */
export type TimeRangeSelection =
  | { kind: 'preset'; preset: TimeRangePreset }
  | { kind: 'custom'; fromMs: number; toMs: number };

export interface TraceFilters {
  timeRange: TimeRangeSelection;
  /**
   * Undefined: the backend's configured default environment. Empty string: all environments.
   */
  environment?: string;
  errorsOnly: boolean;
  /** TraceQL durations, e.g. `250ms`, `1.5s`. */
  minDuration?: string;
  maxDuration?: string;
  httpRoute?: string;
  spanName?: string;
  /** Advanced mode: the user's own TraceQL replaces the filter fields above. */
  traceql?: string;
  limit: number;
}

export const LIMIT_OPTIONS = [20, 50, 100, 200, 500] as const;
export const DEFAULT_LIMIT = 100;
export const DEFAULT_PRESET: TimeRangePreset = '1h';

export const DEFAULT_FILTERS: TraceFilters = {
  timeRange: { kind: 'preset', preset: DEFAULT_PRESET },
  errorsOnly: false,
  limit: DEFAULT_LIMIT,
};

/** The URL parameters owned by the filters. */
export const FILTER_PARAMS = [
  'range',
  'from',
  'to',
  'env',
  'errors',
  'minDuration',
  'maxDuration',
  'route',
  'spanName',
  'q',
  'limit',
] as const;

/** URL value of "all environments" (an empty `env=` would be lost by some link shorteners). */
export const ALL_ENVIRONMENTS_PARAM = '*';

const DURATION = /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)$/;

/** True for a TraceQL duration literal such as `100ms`, `1.5s` or `2m`. */
export function isValidDuration(value: string): boolean {
  return DURATION.test(value.trim());
}

function isPreset(value: string | null): value is TimeRangePreset {
  return (
    value !== null && (TIME_RANGE_PRESETS as readonly string[]).includes(value)
  );
}

/** Epoch milliseconds from an ISO 8601 timestamp or a number of milliseconds. */
function parseInstant(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function nonEmpty(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseEnvironment(env: string | null): string | undefined {
  if (env === null) return undefined;
  return env === ALL_ENVIRONMENTS_PARAM ? '' : env.trim() || undefined;
}

export function parseFilters(params: URLSearchParams): TraceFilters {
  const fromMs = parseInstant(params.get('from'));
  const toMs = parseInstant(params.get('to'));
  const range = params.get('range');
  let timeRange: TimeRangeSelection = DEFAULT_FILTERS.timeRange;
  if (
    fromMs !== undefined &&
    toMs !== undefined &&
    fromMs < toMs &&
    !isPreset(range)
  ) {
    timeRange = { kind: 'custom', fromMs, toMs };
  } else if (isPreset(range)) {
    timeRange = { kind: 'preset', preset: range };
  }

  const env = params.get('env');
  const limit = Number(params.get('limit'));
  const minDuration = nonEmpty(params.get('minDuration'));
  const maxDuration = nonEmpty(params.get('maxDuration'));

  return {
    timeRange,
    environment: parseEnvironment(env),
    errorsOnly: params.get('errors') === '1' || params.get('errors') === 'true',
    minDuration:
      minDuration && isValidDuration(minDuration) ? minDuration : undefined,
    maxDuration:
      maxDuration && isValidDuration(maxDuration) ? maxDuration : undefined,
    httpRoute: nonEmpty(params.get('route')),
    spanName: nonEmpty(params.get('spanName')),
    traceql: nonEmpty(params.get('q')),
    limit:
      Number.isInteger(limit) && limit > 0 && limit <= 1000
        ? limit
        : DEFAULT_LIMIT,
  };
}

/**
 * Returns a copy of `params` with the filter parameters replaced by `filters`. Defaults are
 * left out to keep links short; unrelated parameters are kept.
 */
export function writeFilters(
  params: URLSearchParams,
  filters: TraceFilters,
): URLSearchParams {
  const next = new URLSearchParams(params);
  FILTER_PARAMS.forEach(key => next.delete(key));

  const { timeRange } = filters;
  if (timeRange.kind === 'custom') {
    next.set('range', 'custom');
    next.set('from', new Date(timeRange.fromMs).toISOString());
    next.set('to', new Date(timeRange.toMs).toISOString());
  } else if (timeRange.preset !== DEFAULT_PRESET) {
    next.set('range', timeRange.preset);
  }
  if (filters.environment !== undefined) {
    next.set(
      'env',
      filters.environment === '' ? ALL_ENVIRONMENTS_PARAM : filters.environment,
    );
  }
  if (filters.errorsOnly) next.set('errors', '1');
  if (filters.minDuration) next.set('minDuration', filters.minDuration);
  if (filters.maxDuration) next.set('maxDuration', filters.maxDuration);
  if (filters.httpRoute) next.set('route', filters.httpRoute);
  if (filters.spanName) next.set('spanName', filters.spanName);
  if (filters.traceql?.trim()) next.set('q', filters.traceql.trim());
  if (filters.limit !== DEFAULT_LIMIT) next.set('limit', String(filters.limit));
  return next;
}

/** The time range in epoch seconds, resolving a preset against `nowMs`. */
export function resolveTimeRange(
  selection: TimeRangeSelection,
  nowMs: number,
): { start: number; end: number } {
  if (selection.kind === 'custom') {
    return {
      start: Math.floor(selection.fromMs / 1000),
      end: Math.ceil(selection.toMs / 1000),
    };
  }
  const end = Math.floor(nowMs / 1000);
  return { start: end - PRESET_SECONDS[selection.preset], end };
}

/** Longest search window (Tempo's default search `max_duration`, 168h). */
const MAX_RANGE_SECONDS = PRESET_SECONDS['7d'];

/**
 * The next wider time range, for "no traces found": the next preset, or for a custom window the
 * same end with twice the span (at most 7 days). Undefined when already at the widest.
 */
export function widenTimeRange(
  selection: TimeRangeSelection,
): TimeRangeSelection | undefined {
  if (selection.kind === 'preset') {
    const index = TIME_RANGE_PRESETS.indexOf(selection.preset);
    const next = TIME_RANGE_PRESETS[index + 1];
    return next ? { kind: 'preset', preset: next } : undefined;
  }
  const spanMs = selection.toMs - selection.fromMs;
  const maxMs = MAX_RANGE_SECONDS * 1000;
  if (spanMs >= maxMs) return undefined;
  return {
    kind: 'custom',
    fromMs: selection.toMs - Math.min(spanMs * 2, maxMs),
    toMs: selection.toMs,
  };
}

/** A short label of a time range, e.g. "Last hour" or "2026-11-20 10:00 – 2026-11-20 12:00". */
export function describeTimeRange(selection: TimeRangeSelection): string {
  if (selection.kind === 'preset') return PRESET_LABELS[selection.preset];
  const fmt = (ms: number) =>
    new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return `${fmt(selection.fromMs)} – ${fmt(selection.toMs)} UTC`;
}

/** True when any filter that narrows the result set (beyond the time range) is set. */
export function hasNarrowingFilters(filters: TraceFilters): boolean {
  return Boolean(
    filters.errorsOnly ||
      filters.minDuration ||
      filters.maxDuration ||
      filters.httpRoute ||
      filters.spanName ||
      filters.traceql,
  );
}
