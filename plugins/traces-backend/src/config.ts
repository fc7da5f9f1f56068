import type { Config } from '@backstage/config';
import {
  readTimeoutMs,
  readUpstreamConnection,
  type UpstreamConnection,
} from './lib/upstreamConnection';
import {
  traceqlAttribute,
  traceqlString,
} from '@backstage-traces/plugin-traces-common';
import { tenantIdProblem } from './tempo/tenantId';

export interface TempoOptions extends UpstreamConnection {
  tenant?: string;
  /** Timeout of trace-by-ID requests (large traces take longer than searches). */
  traceTimeoutMs: number;
  /** Trace-by-ID answers over this size are refused before decoding. */
  maxTraceBytes: number;
}

export interface LargeTraceOptions {
  windowThreshold: number;
  windowSpans: number;
  /** Most spans in the first window (at most `windowSpans`); `windowSpans` when not given. */
  firstWindowSpans?: number;
  memoryBytes: number;
  /** Traces larger than this are refused (502) before they are read or decoded. */
  maxTraceBytes: number;
}

export interface TracesOptions {
  /** Undefined while `traces.tempo.baseUrl` is unset. */
  tempo?: TempoOptions;
  defaults: {
    environment?: { attribute: string; value: string };
    cluster?: { attribute: string; value: string };
  };
  /** Undefined when `traces.cache.enabled` is false. */
  cache?: { ttlMs: number; maxBytes: number; maxTraceBytes: number };
  largeTraces: LargeTraceOptions & {
    /** Largest trace the route sends whole when asked (`?whole=true`); stores never read it. */
    wholeMaxSpans: number;
  };
  limits: TracesLimits;
}

/** What one request may ask of the upstreams (`traces.limits.*`); see config.d.ts. */
export interface TracesLimits {
  maxRangeSeconds: number;
  maxMetricsRangeSeconds: number;
  /** Most points per series of a TraceQL metrics range query (Prometheus: 11,000). */
  maxMetricsPoints: number;
  maxResults: number;
  /** Most spans per spanset (`spss`) a search may ask for. */
  maxSpansPerSpanSet: number;
  maxQueryLength: number;
  /** Most bytes read from any upstream answer other than a trace by ID. */
  maxResponseBytes: number;
  /** Upstream-reading requests in flight at once, over all users and per user. */
  maxConcurrentRequests: number;
  maxConcurrentRequestsPerUser: number;
  /** How long an entity's access decision (catalog, annotation, permission) is reused. */
  accessCacheTtlMs: number;
}

const MIB = 1024 * 1024;
const DEFAULT_MAX_RESPONSE_MB = 32;

/**
 * `traces.limits.maxResponseSizeMb` in bytes: also read where an upstream's options are read
 * apart from `readTracesOptions` (Prometheus, OpenSearch).
 */
export function readMaxResponseBytes(traces: Config | undefined): number {
  return (
    positive(
      traces?.getOptionalNumber('limits.maxResponseSizeMb'),
      DEFAULT_MAX_RESPONSE_MB,
    ) * MIB
  );
}

/** Reads `traces.*` once into a typed options object; `config.d.ts` is the contract. */
export function readTracesOptions(root: Config): TracesOptions {
  const config = root.getOptionalConfig('traces');
  const large = config?.getOptionalConfig('largeTraces');
  const windowSpans = Math.floor(
    positive(large?.getOptionalNumber('windowSpans'), 10_000),
  );
  const maxTraceBytes =
    positive(large?.getOptionalNumber('maxTraceSizeMb'), 1024) * MIB;
  const tempo = readTempoOptions(
    config?.getOptionalConfig('tempo'),
    maxTraceBytes,
    readMaxResponseBytes(config),
  );
  const environment = readDefaultFilter(
    config,
    'environment',
    'deployment.environment',
  );
  const cluster = readDefaultFilter(config, 'cluster', 'k8s.cluster.name');
  const cache = config?.getOptionalConfig('cache');
  const limits = config?.getOptionalConfig('limits');

  return {
    tempo,
    defaults: {
      ...(environment && { environment }),
      ...(cluster && { cluster }),
    },
    ...(cache?.getOptionalBoolean('enabled') !== false && {
      cache: {
        ttlMs: cache
          ? readTimeoutMs(cache, 'ttl', 'traces.cache', 10 * 60_000)
          : 10 * 60_000,
        maxBytes:
          positive(cache?.getOptionalNumber('maxSizeMb'), 256) * 1024 * 1024,
        maxTraceBytes:
          positive(cache?.getOptionalNumber('maxTraceSizeMb'), 64) *
          1024 *
          1024,
      },
    }),
    largeTraces: {
      windowThreshold: Math.floor(
        positive(large?.getOptionalNumber('windowThreshold'), 50_000),
      ),
      windowSpans,
      firstWindowSpans: Math.min(
        windowSpans,
        Math.floor(
          positive(large?.getOptionalNumber('firstWindowSpans'), 3_000),
        ),
      ),
      memoryBytes:
        positive(large?.getOptionalNumber('memoryMb'), 1536) * 1024 * 1024,
      wholeMaxSpans: Math.floor(
        positive(large?.getOptionalNumber('wholeMaxSpans'), 100_000),
      ),
      maxTraceBytes,
    },
    limits: {
      maxRangeSeconds:
        positive(limits?.getOptionalNumber('maxRangeHours'), 168) * 3600,
      maxMetricsRangeSeconds:
        positive(limits?.getOptionalNumber('maxMetricsRangeHours'), 24) * 3600,
      maxMetricsPoints: whole(
        positive(limits?.getOptionalNumber('maxMetricsPoints'), 11_000),
      ),
      maxResults: whole(positive(limits?.getOptionalNumber('maxResults'), 500)),
      maxSpansPerSpanSet: whole(
        positive(limits?.getOptionalNumber('maxSpansPerSpanSet'), 100),
      ),
      maxQueryLength: positive(
        limits?.getOptionalNumber('maxQueryLength'),
        4096,
      ),
      maxResponseBytes: readMaxResponseBytes(config),
      maxConcurrentRequests: whole(
        positive(limits?.getOptionalNumber('maxConcurrentRequests'), 64),
      ),
      maxConcurrentRequestsPerUser: whole(
        positive(limits?.getOptionalNumber('maxConcurrentRequestsPerUser'), 16),
      ),
      accessCacheTtlMs: limits
        ? readTimeoutMs(limits, 'accessCacheTtl', 'traces.limits', 5_000)
        : 5_000,
    },
  };
}

function readTempoOptions(
  config: Config | undefined,
  maxTraceBytes: number,
  maxResponseBytes: number,
): TempoOptions | undefined {
  const connection = readUpstreamConnection(
    config,
    'traces.tempo',
    maxResponseBytes,
  );
  if (!config || !connection) return undefined;
  const tenant = config.getOptionalString('tenant')?.trim() || undefined;
  const problem = tenant && tenantIdProblem(tenant);
  if (problem) throw new Error(`traces.tempo.tenant: ${problem}`);
  return {
    ...connection,
    tenant,
    traceTimeoutMs: readTimeoutMs(
      config,
      'traceTimeout',
      'traces.tempo',
      Math.max(120_000, connection.timeoutMs),
    ),
    maxTraceBytes,
  };
}

function whole(value: number): number {
  return Math.max(1, Math.floor(value));
}

function positive(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0))
    throw new Error(
      `traces.limits and traces.largeTraces values must be positive, got ${value}`,
    );
  return value;
}

/**
 * `traces.<key>` with its attribute (`traces.attributes.<key>`): a filter every query gets,
 * refused at startup when no TraceQL query can carry it (rather than failing every request).
 */
function readDefaultFilter(
  config: Config | undefined,
  key: 'environment' | 'cluster',
  defaultAttribute: string,
): { attribute: string; value: string } | undefined {
  const value = config?.getOptionalString(key)?.trim();
  if (!value) return undefined;
  const attribute =
    config?.getOptionalString(`attributes.${key}`) ?? defaultAttribute;
  try {
    traceqlString(value);
    traceqlAttribute('resource', attribute);
  } catch (error) {
    throw new Error(`traces.${key}: ${(error as Error).message}`);
  }
  return { attribute, value };
}
