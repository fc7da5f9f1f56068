import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  type CompactTrace,
  type MetricsInstantResponse,
  type MetricsResponse,
  type SearchResponse,
  type StoreHealth,
  type TagsResponse,
  type TagValuesResponse,
} from '@backstage-traces/plugin-traces-common';
import type {
  MetricsInstantRequest,
  MetricsRangeRequest,
  SubtreeRequest,
  TagsRequest,
  TagValuesRequest,
  TraceRequest,
  TraceSearchRequest,
  TraceStore,
  TraceWindowRequest,
} from '@backstage-traces/plugin-traces-node';
import { readTracesOptions, type TracesOptions } from '../config';
import { UpstreamError } from '../lib/UpstreamError';
import type { Redactor } from '../redaction/Redactor';
import { buildTempoQuery } from '../service/buildTempoQuery';
import { tagNameQueries, tagValueRequests } from '../service/tagFilters';
import { capExemplars } from '../exemplars/capExemplars';
import { LargeTraceStore } from '../traces/LargeTraceStore';
import { TraceCache } from '../traces/TraceCache';
import { TraceLoader, type LoadTraceRequest } from '../traces/TraceLoader';
import {
  normalizeMetricsInstantResponse,
  normalizeMetricsResponse,
} from './normalizeMetrics';
import { normalizeSearchResponse } from './normalizeSearch';
import { tempoJsonToCompact } from './tempoJsonToCompact';
import { protobufToCompactAsync } from './protobufToCompact';
import { scanProtobufTrace } from './scanProtobufTrace';
import type { KeptTrace } from '../traces/LargeTraceStore';
import { timed } from '../lib/serverTiming';
import {
  HEALTH_TIMEOUT_MS,
  TempoClient,
  type TempoTraceBody,
} from './TempoClient';

/**
 * Fewer protobuf bytes per span than any real span takes (IDs and times alone are 46): an
 * answer under threshold x this has too few spans to window, and is decoded without a scan.
 * A smaller, odd answer over the threshold is then windowed from its full decode.
 */
const MIN_SPAN_BYTES = 40;

const STORE = 'Tempo';
/**
 * Tempo's `exemplars` is a budget for the whole answer, not per series (measured on 2.7.2:
 * `exemplars=1` with two series left one without), and 0 means its default. So the store asks
 * for Tempo's default maximum (`max_exemplars`, 100) and caps each series itself.
 */
const TEMPO_EXEMPLAR_BUDGET = 100;

export const TEMPO_NOT_CONFIGURED =
  'Tempo is not configured: set traces.tempo.baseUrl (app-config.yaml reads it from TEMPO_URL)';

/**
 * The default trace store: Grafana Tempo over HTTP. The scope is written into every spanset
 * filter of the TraceQL sent (so Tempo applies it), traces are decoded from protobuf straight
 * into the compact encoding with redaction applied, cached, and answered in windows when large.
 */
export class TempoTraceStore implements TraceStore {
  readonly name = STORE;
  private readonly loader: TraceLoader;

  /** The store for `traces.tempo`, or undefined while `traces.tempo.baseUrl` is unset. */
  static fromConfig(
    config: Config,
    deps: { logger: LoggerService; cache: CacheService; redactor: Redactor },
  ): TempoTraceStore | undefined {
    const options = readTracesOptions(config);
    if (!options.tempo) return undefined;
    return new TempoTraceStore({
      client: new TempoClient(options.tempo, deps.logger),
      options,
      redactor: deps.redactor,
      cache: options.cache && new TraceCache(deps.cache, options.cache),
    });
  }

  constructor(
    private readonly deps: {
      client: TempoClient;
      options: TracesOptions;
      redactor: Redactor;
      cache?: TraceCache;
    },
  ) {
    const { largeTraces, cache } = deps.options;
    this.loader = new TraceLoader({
      fetchTrace: request => this.fetchTrace(request),
      storeName: STORE,
      cache: deps.cache,
      large: {
        thresholdSpans: largeTraces.windowThreshold,
        windowSpans: largeTraces.windowSpans,
        firstWindowSpans: largeTraces.firstWindowSpans,
        store: new LargeTraceStore({
          maxBytes: largeTraces.memoryBytes,
          ttlMs: cache?.ttlMs ?? 10 * 60_000,
        }),
      },
    });
  }

  async searchTraces(request: TraceSearchRequest): Promise<SearchResponse> {
    const query = await timed('query', 'TraceQL in scope', () =>
      buildTempoQuery(request.scope, {
        query: request.query,
        minDuration: request.minTraceDuration,
        maxDuration: request.maxTraceDuration,
      }),
    );
    const { start, end, limit, spansPerSpanSet: spss } = request;
    const body = await this.deps.client.search(
      { q: query, start, end, limit, spss },
      this.requestOptions(request.scope.tenant, request.signal),
    );
    return {
      query,
      traces: await timed('normalize', 'normalise', () =>
        normalizeSearchResponse(body),
      ),
      start,
      end,
      limit,
    };
  }

  getTrace(request: TraceRequest): Promise<CompactTrace> {
    return this.loader.load(request);
  }

  getTraceWindow(request: TraceWindowRequest): Promise<CompactTrace> {
    return this.loader.window(request);
  }

  getSubtree(request: SubtreeRequest): Promise<CompactTrace> {
    return this.loader.subtree(request);
  }

  /**
   * One request per service of the scope (Tempo ignores a `q` with `||`), each with a `q`
   * Tempo applies as written (see tagFilters.ts), merged.
   */
  async getTags(request: TagsRequest): Promise<TagsResponse> {
    const bodies = await Promise.all(
      tagNameQueries(request.scope).map(q =>
        this.deps.client.tags(
          {
            scope: request.tagScope,
            q,
            start: floor(request.start),
            end: ceil(request.end),
          },
          this.requestOptions(request.scope.tenant, request.signal),
        ),
      ),
    );
    const tagsByScope = new Map<string, Set<string>>();
    for (const body of bodies) {
      for (const scope of body.scopes ?? []) {
        const name = scope.name ?? '';
        const tags = tagsByScope.get(name) ?? new Set<string>();
        for (const tag of scope.tags ?? []) tags.add(tag);
        tagsByScope.set(name, tags);
      }
    }
    return {
      scopes: [...tagsByScope].map(([name, tags]) => ({
        name,
        tags: [...tags].sort(),
      })),
    };
  }

  /**
   * Tempo answers tag values unfiltered when it cannot use `q` (an unscoped tag or
   * condition, `||`, a value with spaces), so the scope is never left to it: scoped tag
   * names, one exact `q` per service, values the scope pins answered from the scope.
   */
  async getTagValues(request: TagValuesRequest): Promise<TagValuesResponse> {
    const requests = tagValueRequests(
      request.tag,
      request.scope,
      request.filter,
    );
    const answers = await Promise.all(
      requests.map(async one =>
        one.kind === 'known'
          ? [one.value]
          : (
              await this.deps.client.tagValues(
                one.tag,
                {
                  q: one.q,
                  start: floor(request.start),
                  end: ceil(request.end),
                },
                this.requestOptions(request.scope.tenant, request.signal),
              )
            ).tagValues ?? [],
      ),
    );
    const seen = new Set<string>();
    const values: TagValuesResponse['values'] = [];
    for (const v of answers.flat()) {
      const value = { type: v.type ?? 'string', value: v.value ?? '' };
      const key = `${value.type}\u0000${value.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      values.push(value);
    }
    return {
      tag: request.tag,
      values: values.sort((a, b) => a.value.localeCompare(b.value)),
    };
  }

  async queryMetricsRange(
    request: MetricsRangeRequest,
  ): Promise<MetricsResponse> {
    const query = buildTempoQuery(request.scope, { query: request.query });
    const step = `${request.stepSeconds}s`;
    const { start, end } = request;
    const body = await this.deps.client.metricsQueryRange(
      { q: query, start, end, step, exemplars: TEMPO_EXEMPLAR_BUDGET },
      this.requestOptions(request.scope.tenant, request.signal),
    );
    const normalized = normalizeMetricsResponse(body);
    return {
      query,
      start,
      end,
      step,
      ...normalized,
      series: capExemplars(normalized.series, request.exemplars),
    };
  }

  async queryMetricsInstant(
    request: MetricsInstantRequest,
  ): Promise<MetricsInstantResponse> {
    const query = buildTempoQuery(request.scope, { query: request.query });
    const { start, end } = request;
    const body = await this.deps.client.metricsQuery(
      { q: query, start, end },
      this.requestOptions(request.scope.tenant, request.signal),
    );
    return { query, start, end, ...normalizeMetricsInstantResponse(body) };
  }

  /** Tempo's readiness (`/ready`) and version (`/api/status/buildinfo`). */
  async getHealth(): Promise<StoreHealth> {
    const { client } = this.deps;
    const base = { store: STORE, url: client.baseUrl };
    const [ready, build] = await Promise.allSettled([
      client.ready(),
      // Only adds the version: never holds the answer longer than readiness does.
      client.buildInfo({ signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }),
    ]);
    const version =
      build.status === 'fulfilled' ? build.value.version : undefined;
    if (ready.status === 'rejected') {
      return {
        ...base,
        status: 'down',
        message: (ready.reason as Error).message,
      };
    }
    if (!ready.value.ready) {
      return {
        ...base,
        status: 'down',
        message: `Tempo is not ready: ${ready.value.message}`,
        ...(version && { version }),
      };
    }
    return { ...base, status: 'ok', ...(version && { version }) };
  }

  private requestOptions(tenant?: string, signal?: AbortSignal) {
    return { ...(tenant && { tenant }), ...(signal && { signal }) };
  }

  /**
   * One trace by ID from Tempo, compact-encoded with redaction applied; over the window
   * threshold only scanned, its windows decoded as they are asked for.
   */
  private async fetchTrace(
    request: LoadTraceRequest,
  ): Promise<KeptTrace | undefined> {
    const body = await timed('tempo', 'Tempo fetch', () =>
      this.deps.client.traceByIdBody(
        request.traceId,
        { start: request.start, end: request.end },
        this.requestOptions(request.tenant, request.signal),
      ),
    );
    return timed('decode', 'decode', () =>
      this.toCompact(request.traceId, body),
    );
  }

  private async toCompact(
    traceId: string,
    body: TempoTraceBody,
  ): Promise<KeptTrace | undefined> {
    const { protobuf } = body;
    const { redactor } = this.deps;
    let json: CompactTrace | undefined;
    try {
      if (protobuf) {
        // Redacted as it is decoded; over the window threshold only scanned. The scan
        // counts the spans; answers too small to be over the threshold skip it.
        const threshold = this.deps.options.largeTraces.windowThreshold;
        if (protobuf.byteLength > threshold * MIN_SPAN_BYTES) {
          const scanned = await scanProtobufTrace(protobuf, traceId, redactor);
          if (!scanned || scanned.source.size > threshold) return scanned;
        }
        return await protobufToCompactAsync(protobuf, traceId, redactor);
      }
      json = tempoJsonToCompact(traceId, body.json);
    } catch (error) {
      // Whatever Tempo (or a proxy) sent, a body we cannot read is its failure, not ours.
      throw new UpstreamError(
        STORE,
        502,
        `the ${
          protobuf ? 'protobuf' : 'JSON'
        } of trace ${traceId} cannot be decoded (${(error as Error).message})`,
      );
    }
    // The JSON producer leaves redaction to us.
    return json && redactor.redactCompactTrace(json);
  }
}

function floor(n?: number) {
  return n === undefined ? undefined : Math.floor(n);
}

function ceil(n?: number) {
  return n === undefined ? undefined : Math.ceil(n);
}
