import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { TempoOptions } from '../config';
import { UpstreamError } from '../lib/UpstreamError';
import {
  fetchUpstream,
  readErrorText,
  type UpstreamResponse,
} from '../lib/fetchUpstream';
import { timed } from '../lib/serverTiming';
import {
  readBodyBytes,
  readBodyJson,
  readBodyText,
  type BodyLimits,
} from '../lib/readBody';
import type { z } from 'zod';
import {
  buildInfoSchema,
  queryInstantResponseSchema,
  queryRangeResponseSchema,
  searchResponseSchema,
  tagsResponseSchema,
  tagValuesResponseSchema,
} from './wireSchemas';
import type { TempoTraceByIdV2 } from './wireTypes';

const UPSTREAM = 'Tempo';
/** `/ready` answers one word; anything longer is not Tempo's readiness text. */
const MAX_READY_BYTES = 4096;
/** A health check answers quickly or says why not; Tempo's `/ready` is instant. */
export const HEALTH_TIMEOUT_MS = 5000;

export interface TempoRequestOptions {
  /** Overrides the configured tenant (X-Scope-OrgID). */
  tenant?: string;
  signal?: AbortSignal;
}

export type TempoTraceBody =
  | { protobuf: Uint8Array; json?: undefined }
  | { json: TempoTraceByIdV2; protobuf?: undefined };

export interface TempoSearchParams {
  q: string;
  start: number;
  end: number;
  limit: number;
  spss?: number;
}

/**
 * The one place that talks HTTP to Tempo. Knows paths, parameters, headers and how Tempo
 * reports errors (plain-text bodies); returns Tempo's JSON untouched for the normalisers.
 */
export class TempoClient {
  constructor(
    private readonly options: TempoOptions,
    private readonly logger: LoggerService,
  ) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  search(params: TempoSearchParams, options?: TempoRequestOptions) {
    return this.getJson(
      '/api/search',
      searchResponseSchema,
      {
        q: params.q,
        start: String(params.start),
        end: String(params.end),
        limit: String(params.limit),
        ...(params.spss !== undefined && { spss: String(params.spss) }),
      },
      options,
    );
  }

  /**
   * v2 trace by ID as Tempo sent it: protobuf bytes, or JSON from a proxy that ignores the
   * Accept header. The trace loader decodes protobuf straight into the compact encoding.
   */
  async traceByIdBody(
    traceId: string,
    range: { start?: number; end?: number },
    options?: TempoRequestOptions,
  ): Promise<TempoTraceBody> {
    const path = `/api/v2/traces/${encodeURIComponent(traceId)}`;
    const response = await this.send(
      path,
      {
        ...(range.start !== undefined && { start: String(range.start) }),
        ...(range.end !== undefined && { end: String(range.end) }),
      },
      'application/protobuf',
      options,
      this.options.traceTimeoutMs,
    );
    const bytes = await readBodyBytes(response, {
      upstream: UPSTREAM,
      what: path,
      maxBytes: this.options.maxTraceBytes,
      maxBytesSetting: 'traces.largeTraces.maxTraceSizeMb',
      timeoutMs: this.options.traceTimeoutMs,
      timeoutSetting: 'traces.tempo.traceTimeout',
    });
    try {
      // JSON when labelled so, or when it starts like JSON (a proxy may mislabel it): a
      // TraceByIDResponse's first byte is a field tag (0x0a-0x22), never '{'.
      const json =
        (response.headers.get('content-type') ?? '').includes('json') ||
        firstNonSpace(bytes) === 0x7b;
      if (json) {
        return {
          json: JSON.parse(
            Buffer.from(bytes).toString('utf8'),
          ) as TempoTraceByIdV2,
        };
      }
      return { protobuf: bytes };
    } catch (error) {
      throw unreadableBody(path, error);
    }
  }

  tags(
    params: { scope?: string; q?: string; start?: number; end?: number },
    options?: TempoRequestOptions,
  ) {
    return this.getJson(
      '/api/v2/search/tags',
      tagsResponseSchema,
      compact({
        scope: params.scope,
        q: params.q,
        start: params.start?.toString(),
        end: params.end?.toString(),
      }),
      options,
    );
  }

  /** `tag` must already be a TraceQL identifier (scoped, `.name` or an intrinsic). */
  tagValues(
    tag: string,
    params: { q?: string; start?: number; end?: number },
    options?: TempoRequestOptions,
  ) {
    return this.getJson(
      `/api/v2/search/tag/${encodeURIComponent(tag)}/values`,
      tagValuesResponseSchema,
      compact({
        q: params.q,
        start: params.start?.toString(),
        end: params.end?.toString(),
      }),
      options,
    );
  }

  /** start/end in whole epoch seconds: Tempo reads values longer than 10 digits as nanoseconds. */
  metricsQueryRange(
    params: {
      q: string;
      start: number;
      end: number;
      step?: string;
      /** Tempo's budget of exemplars for the whole answer (0 means its default, 100). */
      exemplars?: number;
    },
    options?: TempoRequestOptions,
  ) {
    return this.getJson(
      '/api/metrics/query_range',
      queryRangeResponseSchema,
      compact({
        q: params.q,
        start: String(Math.floor(params.start)),
        end: String(Math.ceil(params.end)),
        step: params.step,
        exemplars: params.exemplars?.toString(),
      }),
      options,
    );
  }

  /** An instant TraceQL metrics query: one value per series over the whole range. */
  metricsQuery(
    params: { q: string; start: number; end: number },
    options?: TempoRequestOptions,
  ) {
    return this.getJson(
      '/api/metrics/query',
      queryInstantResponseSchema,
      {
        q: params.q,
        start: String(Math.floor(params.start)),
        end: String(Math.ceil(params.end)),
      },
      options,
    );
  }

  buildInfo(options?: TempoRequestOptions) {
    return this.getJson('/api/status/buildinfo', buildInfoSchema, {}, options);
  }

  /**
   * Tempo's readiness; `/ready` is served outside any http_api_prefix. Ready means HTTP 200
   * with the body `ready`, read to its end within the timeout: an open port alone (a proxy's
   * page, a hung process) is not a ready Tempo.
   */
  async ready(
    options?: TempoRequestOptions,
  ): Promise<{ ready: boolean; message: string }> {
    const url = new URL(this.options.baseUrl);
    url.pathname = '/ready';
    const timeoutMs = Math.min(this.options.timeoutMs, HEALTH_TIMEOUT_MS);
    const response = await fetchUpstream({
      upstream: UPSTREAM,
      url,
      headers: this.headers(options),
      timeoutMs,
      signal: options?.signal,
    });
    if (!response.ok) {
      const text = await readErrorText(response, this.options.scrubber);
      return {
        ready: false,
        message: `${text || 'no reason given'} (HTTP ${response.status})`,
      };
    }
    const text = (
      await readBodyText(response, {
        ...this.limits('/ready', timeoutMs),
        maxBytes: MAX_READY_BYTES,
        maxBytesSetting: "Tempo's readiness text",
        timeoutSetting: 'the health check',
      })
    ).trim();
    if (text === 'ready') return { ready: true, message: text };
    const shown = this.options.scrubber.scrub(text).slice(0, 100);
    return {
      ready: false,
      message: `/ready answered HTTP 200 without saying 'ready' (${
        shown ? JSON.stringify(shown) : 'an empty body'
      }); is traces.tempo.baseUrl a Tempo?`,
    };
  }

  /** The answer's JSON, checked against its schema (wireSchemas.ts). */
  private async getJson<T extends z.ZodType>(
    path: string,
    schema: T,
    params: Record<string, string>,
    options?: TempoRequestOptions,
  ): Promise<z.infer<T>> {
    const body = await timed('tempo', `Tempo ${path}`, async () =>
      readBodyJson<unknown>(
        await this.send(path, params, 'application/json', options),
        this.limits(path, this.options.timeoutMs),
      ),
    );
    const result = await timed('check', 'answer check', () =>
      schema.safeParse(body),
    );
    if (result.success) return result.data;
    const [issue] = result.error.issues;
    throw new UpstreamError(
      UPSTREAM,
      502,
      `${path} answered JSON of an unexpected shape (${
        issue.path.length ? `${issue.path.join('.')}: ` : ''
      }${issue.message}); is traces.tempo.baseUrl a Tempo 2.7 or later?`,
    );
  }

  private limits(path: string, timeoutMs: number): BodyLimits {
    return {
      upstream: UPSTREAM,
      what: path,
      maxBytes: this.options.maxResponseBytes,
      maxBytesSetting: 'traces.limits.maxResponseSizeMb',
      timeoutMs,
      timeoutSetting: 'traces.tempo.timeout',
    };
  }

  /** GET with auth, tenant and timeout; any non-2xx becomes the matching error. */
  private async send(
    path: string,
    params: Record<string, string>,
    accept: string,
    options?: TempoRequestOptions,
    timeoutMs = this.options.timeoutMs,
  ): Promise<UpstreamResponse> {
    const url = new URL(this.options.baseUrl + path);
    for (const [key, value] of Object.entries(params)) {
      url.searchParams.set(key, value);
    }
    const started = Date.now();
    const response = await fetchUpstream({
      upstream: UPSTREAM,
      url,
      headers: { Accept: accept, ...this.headers(options) },
      timeoutMs,
      signal: options?.signal,
    });
    this.logger.debug(`Tempo GET ${path} ${response.status}`, {
      durationMs: Date.now() - started,
    });
    if (!response.ok) {
      throw await this.toError(response, path);
    }
    return response;
  }

  private headers(options?: TempoRequestOptions): Record<string, string> {
    const tenant = options?.tenant ?? this.options.tenant;
    return {
      ...this.options.headers,
      ...(tenant && { 'X-Scope-OrgID': tenant }),
    };
  }

  private async toError(
    response: UpstreamResponse,
    path: string,
  ): Promise<Error> {
    const text = await readErrorText(response, this.options.scrubber);
    const status = response.status;
    if (status === 400) {
      // Tempo's 400 text is the actionable part (TraceQL parse errors, range limits).
      return new InputError(
        `Tempo rejected the request: ${text || 'bad request'}`,
      );
    }
    if (status === 401 || status === 403) {
      return new UpstreamError(
        UPSTREAM,
        502,
        `refused the plugin's credentials (HTTP ${status}${
          text ? `: ${text}` : ''
        }); check traces.tempo.auth and tenant`,
      );
    }
    if (status === 404) {
      return new UpstreamError(
        UPSTREAM,
        502,
        `${path} does not exist (HTTP 404); check traces.tempo.baseUrl and the Tempo version (2.7 or later)`,
      );
    }
    if (status === 422) {
      return new UpstreamError(
        UPSTREAM,
        502,
        `cannot serve this request: ${text}`,
      );
    }
    if (status === 429) {
      return new UpstreamError(
        UPSTREAM,
        503,
        `is rate limiting queries: ${text}`,
      );
    }
    if (status === 503) {
      return new UpstreamError(UPSTREAM, 503, `is unavailable: ${text}`);
    }
    if (status === 504) {
      return new UpstreamError(UPSTREAM, 504, `timed out: ${text}`);
    }
    return new UpstreamError(
      UPSTREAM,
      502,
      `answered HTTP ${status}${text ? `: ${text}` : ''}`,
    );
  }
}

function compact(
  values: Record<string, string | undefined>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') result[key] = value;
  }
  return result;
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09)
      return byte;
  }
  return undefined;
}

function unreadableBody(path: string, error: unknown): UpstreamError {
  return new UpstreamError(
    UPSTREAM,
    502,
    `${path} answered with a body that cannot be read (${
      (error as Error).message
    })`,
  );
}
