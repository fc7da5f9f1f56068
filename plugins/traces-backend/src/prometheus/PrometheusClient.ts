import type { LoggerService } from '@backstage/backend-plugin-api';
import { UpstreamError } from '../lib/UpstreamError';
import { fetchUpstream, readErrorText } from '../lib/fetchUpstream';
import type { UpstreamConnection } from '../lib/upstreamConnection';

const UPSTREAM = 'Prometheus';
const QUERY_PATH = '/api/v1/query';

/** One element of an instant vector. `value` is NaN or ±Infinity when Prometheus says so. */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: number;
}

interface PrometheusApiResponse {
  status?: 'success' | 'error';
  data?: { resultType?: string; result?: unknown };
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
    const url = new URL(this.connection.baseUrl + QUERY_PATH);
    url.searchParams.set('query', query);
    url.searchParams.set('time', String(time));

    const started = Date.now();
    const response = await fetchUpstream({
      upstream: UPSTREAM,
      url,
      headers: { Accept: 'application/json', ...this.connection.headers },
      timeoutMs: this.connection.timeoutMs,
      signal: options?.signal,
    });
    this.logger.debug(`Prometheus GET ${QUERY_PATH} ${response.status}`, {
      durationMs: Date.now() - started,
    });
    if (!response.ok) {
      throw await this.toError(response, query);
    }

    let body: PrometheusApiResponse;
    try {
      body = (await response.json()) as PrometheusApiResponse;
    } catch {
      throw new UpstreamError(
        UPSTREAM,
        502,
        `${QUERY_PATH} answered with invalid JSON`,
      );
    }
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
    const { resultType, result } = body.data ?? {};
    if (resultType !== 'vector' || !Array.isArray(result)) {
      throw new UpstreamError(
        UPSTREAM,
        502,
        `expected an instant vector from ${QUERY_PATH}, got resultType '${resultType}'`,
      );
    }
    return result.flatMap(toSample);
  }

  private async toError(response: Response, query: string): Promise<Error> {
    const status = response.status;
    const text = await readErrorText(response, this.connection.scrubber, 4000);
    const body = parseJson(text);
    const detail = truncate(body?.error ?? text);
    const suffix = detail ? `: ${detail}` : '';

    if (status === 400) {
      // The plugin wrote this PromQL: a rejection is our bug (or a non-Prometheus backend).
      this.logger.warn(`Prometheus rejected a service graph query: ${detail}`, {
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
        `${QUERY_PATH} does not exist (HTTP 404); check traces.prometheus.baseUrl (include any path prefix such as /prometheus or /api/prom)`,
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
