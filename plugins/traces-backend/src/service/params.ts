import { InputError } from '@backstage/errors';
import { z } from 'zod';
import type { TracesOptions } from '../config';

/** Parses query parameters with a zod schema; failures become a 400 saying what to fix. */
export function parseParams<T extends z.ZodType>(
  schema: T,
  input: unknown,
): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    const path = issue.path.join('.');
    return path ? `'${path}': ${issue.message}` : issue.message;
  });
  throw new InputError(`Invalid request parameters: ${problems.join('; ')}`);
}

const GO_DURATION = /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)$/;

/** Epoch seconds; Tempo's search takes whole seconds and reads longer numbers as nanoseconds. */
export const epochSeconds = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be epoch seconds, e.g. 1700000000')
  .transform(Number)
  .refine(value => value < 1e11, {
    message: 'looks like milliseconds; send epoch seconds',
  });

export const duration = z
  .string()
  .regex(GO_DURATION, "must be a duration such as '250ms', '1.5s' or '2m'");

export const spanIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{16}$/, 'must be 16 hexadecimal characters')
  .transform(id => id.toLowerCase());

export const entityRefParam = z.string().min(1).max(500).optional();

/** An entity ref the route cannot do without (the graph's entity, the team's group). */
export const requiredEntityRefParam = z
  .string({
    error: issue =>
      issue.input === undefined ? 'is required' : 'must be a single string',
  })
  .min(1, 'is required')
  .max(500);

export function queryParam(options: TracesOptions) {
  return z
    .string()
    .max(options.limits.maxQueryLength, {
      message: `is longer than ${options.limits.maxQueryLength} characters (traces.limits.maxQueryLength)`,
    })
    .optional();
}

/** The longest range a route accepts and the setting that sets it, named in the 400. */
export interface RangeLimit {
  maxSeconds: number;
  limitKey: string;
}

/** The search range limit: searches, tags and the service graph. */
export function searchRangeLimit(options: TracesOptions): RangeLimit {
  return {
    maxSeconds: options.limits.maxRangeSeconds,
    limitKey: 'traces.limits.maxRangeHours',
  };
}

/** The TraceQL metrics range limit: metrics queries and the team view. */
export function metricsRangeLimit(options: TracesOptions): RangeLimit {
  return {
    maxSeconds: options.limits.maxMetricsRangeSeconds,
    limitKey: 'traces.limits.maxMetricsRangeHours',
  };
}

/**
 * A whole number from 1 to `max`, the setting named in the 400 (e.g. `limit`, `spss`).
 */
export function boundedCount(max: number, limitKey: string) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine(n => n >= 1 && n <= max, {
      message: `must be between 1 and ${max} (${limitKey})`,
    });
}

export interface ResolvedRange {
  start: number;
  end: number;
}

/**
 * Fills in a missing range (default: the last hour) and enforces the configured maximum,
 * so Tempo never sees a range it would reject with a less helpful message.
 */
export function resolveRange(
  range: { start?: number; end?: number },
  limit: RangeLimit,
  defaultSeconds = 3600,
): ResolvedRange {
  const { maxSeconds, limitKey } = limit;
  const end = Math.ceil(range.end ?? Date.now() / 1000);
  const start = Math.floor(range.start ?? end - defaultSeconds);
  if (start >= end) {
    throw new InputError(`'start' (${start}) must be before 'end' (${end})`);
  }
  if (end - start > maxSeconds) {
    throw new InputError(
      `The time range is ${formatHours(
        end - start,
      )}; the most allowed is ${formatHours(maxSeconds)} (${limitKey})`,
    );
  }
  return { start, end };
}

function formatHours(seconds: number): string {
  const hours = seconds / 3600;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}
