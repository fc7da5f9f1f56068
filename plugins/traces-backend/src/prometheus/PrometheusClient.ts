import type { LoggerService } from '@backstage/backend-plugin-api';
import { UpstreamError } from '../lib/UpstreamError';
import {
  fetchUpstream,
  readErrorText,
  type UpstreamResponse,
} from '../lib/fetchUpstream';
import { readBodyJson } from '../lib/readBody';
import type { UpstreamConnection } from '../lib/upstreamConnection';

const UPSTREAM = 'Prometheus';
const QUERY_PATH = '/api/v1/query';
const EXEMPLARS_PATH = '/api/v1/query_exemplars';

/** One element of an instant vector. `value` is NaN or ±Infinity when Prometheus says so. */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: number;
}

/** The exemplars of one series, `/api/v1/query_exemplars`. */
export interface PrometheusExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: Array<{
    labels: Record<string, string>;
    value: number;
    /** Epoch seconds, fractional. */
    timestamp: number;
  }>;
}

interface PrometheusApiResponse {
  status?: 'success' | 'error';
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/**
 * The one place that talks HTTP to Prometheus (or Mimir, Thanos, VictoriaMetrics: anything
 * with Prometheus's `/api/v1/query`). Failures become UpstreamErrors naming Prometheus.
 */
export class PrometheusClient {
  constructor(
    private readonly connection: UpstreamConnection,
    private readonly logger: LoggerService,
  ) {}

  get baseUrl(): string {
    return this.connection.baseUrl;
  }

  /** An instant query evaluated at `time` (epoch seconds); the result must be a vector. */
  async queryVector(
    query: string,
    time: number,
    options?: { signal?: AbortSignal },
  ): Promise<PrometheusSample[]> {
    const data = await this.get(
      QUERY_PATH,
      { query, time: String(time) },
      options?.signal,
    );
    const { resultType, result } = (data ?? {}) as {
      resultType?: string;
      result?: unknown;
    };
    if (resultType !== 'vector' || !Array.isArray(result)) {
      throw new UpstreamError(
        UPSTREAM,
        502,
        `expected an instant vector from ${QUERY_PATH}, got resultType '${resultType}'`,
      );
    }
    return result.flatMap(toSample);
  }

  /**
   * Exemplars of the series `query` selects between `start` and `end` (epoch seconds),
   * `/api/v1/query_exemplars`. Empty when Prometheus keeps none (exemplar storage is a
   * feature flag, `--enable-feature=exemplar-storage`).
   */
  async queryExemplars(
    query: string,
    start: number,
    end: number,
    options?: { signal?: AbortSignal },
  ): Promise<PrometheusExemplarSeries[]> {
    const data = await this.get(
      EXEMPLARS_PATH,
      { query, start: String(start), end: String(end) },
      options?.signal,
    );
    if (!Array.isArray(data)) {
      throw new UpstreamError(
        UPSTREAM,
        502,
        `expected a list of series from ${EXEMPLARS_PATH}`,
      );
    }
    return data.flatMap(toExemplarSeries);
  }

  /** A GET of the HTTP API: the `data` of a `success` answer, else an UpstreamError. */
  private async get(
    path: string,
    params: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const url = new URL(this.connection.baseUrl + path);
    for (const [name, value] of Object.entries(params)) {
      url.searchParams.set(name, value);
    }
    const query = params.query;

    const started = Date.now();
    const response = await fetchUpstream({
      upstream: UPSTREAM,
      url,
      headers: { Accept: 'application/json', ...this.connection.headers },
      timeoutMs: this.connection.timeoutMs,
      signal,
    });
    this.logger.debug(`Prometheus GET ${path} ${response.status}`, {
      durationMs: Date.now() - started,
    });
    if (!response.ok) {
      throw await this.toError(response, query, path);
    }

    const body = await readBodyJson<PrometheusApiResponse>(response, {
      upstream: UPSTREAM,
      what: path,
      maxBytes: this.connection.maxResponseBytes,
      maxBytesSetting: 'traces.limits.maxResponseSizeMb',
      timeoutMs: this.connection.timeoutMs,
      timeoutSetting: 'traces.prometheus.timeout',
    });
    if (body?.status !== 'success') {
      throw new UpstreamError(
        UPSTREAM,
        502,
        `query failed: ${body?.error ?? `unexpected status '${body?.status}'`}`,
      );
    }
    if (body.warnings?.length) {
      this.logger.debug(`Prometheus warnings: ${body.warnings.join('; ')}`, {
        query,
      });
    }
    return body.data;
  }

  private async toError(
    response: UpstreamResponse,
    query: string,
    path: string,
  ): Promise<Error> {
    const status = response.status;
    const text = await readErrorText(response, this.connection.scrubber, 4000);
    const body = parseJson(text);
    const detail = truncate(body?.error ?? text);
    const suffix = detail ? `: ${detail}` : '';

    if (status === 400) {
      // The plugin wrote this PromQL: a rejection is our bug (or a non-Prometheus backend).
      this.logger.warn(`Prometheus rejected a query of the plugin: ${detail}`, {
        query,
      });
      return new UpstreamError(
        UPSTREAM,
        502,
        `rejected the query (HTTP 400${
          body?.errorType ? `, ${body.errorType}` : ''
        })${suffix}`,
      );
    }
    if (status === 401 || status === 403) {
      return new UpstreamError(
        UPSTREAM,
        502,
        `refused the plugin's credentials (HTTP ${status}${suffix}); check traces.prometheus.auth and headers`,
      );
    }
    if (status === 404) {
      return new UpstreamError(
        UPSTREAM,
        502,
        `${path} does not exist (HTTP 404); check traces.prometheus.baseUrl (include any path prefix such as /prometheus or /api/prom)`,
      );
    }
    if (status === 422) {
      return new UpstreamError(
        UPSTREAM,
        502,
        `could not execute the query${suffix}`,
      );
    }
    if (status === 429) {
      return new UpstreamError(
        UPSTREAM,
        503,
        `is rate limiting queries${suffix}`,
      );
    }
    if (status === 503 && body?.errorType === 'timeout') {
      return new UpstreamError(UPSTREAM, 504, `query timed out${suffix}`);
    }
    if (status === 503) {
      return new UpstreamError(UPSTREAM, 503, `is unavailable${suffix}`);
    }
    if (status === 504) {
      return new UpstreamError(UPSTREAM, 504, `timed out${suffix}`);
    }
    return new UpstreamError(UPSTREAM, 502, `answered HTTP ${status}${suffix}`);
  }
}

function toSample(raw: unknown): PrometheusSample[] {
  const item = raw as {
    metric?: Record<string, string>;
    value?: [number, string];
  };
  if (!item || !Array.isArray(item.value) || typeof item.value[1] !== 'string')
    return [];
  return [{ metric: item.metric ?? {}, value: parsePromNumber(item.value[1]) }];
}

function toExemplarSeries(raw: unknown): PrometheusExemplarSeries[] {
  const item = raw as {
    seriesLabels?: Record<string, string>;
    exemplars?: Array<{
      labels?: Record<string, string>;
      value?: string;
      timestamp?: number;
    }>;
  };
  if (!item || !Array.isArray(item.exemplars)) return [];
  return [
    {
      seriesLabels: item.seriesLabels ?? {},
      exemplars: item.exemplars.flatMap(exemplar =>
        typeof exemplar?.timestamp === 'number' &&
        typeof exemplar.value === 'string'
          ? [
              {
                labels: exemplar.labels ?? {},
                value: parsePromNumber(exemplar.value),
                timestamp: exemplar.timestamp,
              },
            ]
          : [],
      ),
    },
  ];
}

/** Prometheus writes sample values as strings: "1.5", "NaN", "+Inf", "-Inf". */
export function parsePromNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return text.trim() === '' ? NaN : Number(text);
}

function parseJson(text: string): PrometheusApiResponse | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as PrometheusApiResponse;
  } catch {
    return undefined;
  }
}

function truncate(text: string, limit = 500): string {
  const trimmed = text.trim();
  return trimmed.length > limit ? `${trimmed.slice(0, limit)}…` : trimmed;
}
