import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  LogCountsResponse,
  LogsResponse,
  SpanLogCount,
  StoreHealth,
} from '@backstage-traces/plugin-traces-common';
import type {
  LogCountsRequest,
  LogsRequest,
  LogStore,
  LogWindow,
} from '@backstage-traces/plugin-traces-node';
import {
  Client,
  type ApiResponse,
  type ClientOptions,
} from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import type { Config } from '@backstage/config';
import { readOpenSearchOptions, type OpenSearchOptions } from './config';
import { sizeLimitedConnection } from './sizeLimitedConnection';
import { decodeLogCursor, encodeLogCursor, type LogCursor } from './cursor';
import { SecretScrubber } from '../lib/scrubSecrets';
import { isIndexNotFound, toUpstreamError, UPSTREAM } from './errors';
import { toLogRecord, type OpenSearchHit } from './logDocuments';
import { highestSeverityOfTexts, severityNameOfNumber } from './severity';
import { UpstreamError } from '../lib/UpstreamError';

/** Most span buckets one count aggregation returns; a trace rarely has more spans with logs. */
export const MAX_SPAN_BUCKETS = 10_000;

type JsonObject = Record<string, unknown>;

interface SearchResponseBody {
  hits?: {
    total?: { value: number; relation: 'eq' | 'gte' } | number;
    hits?: OpenSearchHit[];
  };
  aggregations?: Record<string, any>;
  _shards?: {
    failed?: number;
    failures?: Array<{ index?: string; reason?: unknown }>;
  };
  timed_out?: boolean;
}

/**
 * Logs correlated with traces, read from OpenSearch: one filtered, sorted `_search` per
 * page (search_after pagination) and one aggregation for the per-span counts.
 * Long numerals (date_nanos sort values) are read as BigInt and sent back verbatim.
 */
export class OpenSearchLogStore implements LogStore {
  readonly name = UPSTREAM;
  private readonly client: Client;
  private readonly origin: string;
  private readonly scrubber: SecretScrubber;

  /** The store for `traces.opensearch`, or undefined while its `baseUrl` is unset. */
  static fromConfig(
    config: Config,
    logger: LoggerService,
  ): OpenSearchLogStore | undefined {
    const options = readOpenSearchOptions(config);
    return options && new OpenSearchLogStore(options, logger);
  }

  constructor(
    private readonly options: OpenSearchOptions,
    private readonly logger: LoggerService,
  ) {
    this.client = new Client(clientOptions(options));
    this.origin = new URL(options.baseUrl).origin;
    this.scrubber = scrubberOf(options.auth);
  }

  get maxResults(): number {
    return this.options.maxResults;
  }

  get timeMarginMs(): number {
    return this.options.timeMarginMs;
  }

  /**
   * One page of a trace's (or a span's) logs, in time order. Later pages search the window
   * their cursor carries; a cursor of another query is refused.
   */
  async getLogs(params: LogsRequest): Promise<LogsResponse> {
    const { traceId, spanId, order } = params;
    if (
      !Number.isInteger(params.limit) ||
      params.limit < 1 ||
      params.limit > this.options.maxResults
    ) {
      throw new InputError(
        `'limit' must be between 1 and ${this.options.maxResults} (traces.opensearch.maxResults)`,
      );
    }
    const cursor = params.cursor
      ? this.continuation(params.cursor, params)
      : undefined;
    const window = cursor ?? params.window;
    if (!window) {
      throw new InputError(
        'A log search needs a time window or the cursor of an earlier page',
      );
    }
    const { start, end } = window;
    const searchAfter = cursor?.searchAfter;
    const { fields } = this.options;
    const body: JsonObject = {
      // One more than asked: its presence says whether a next page exists.
      size: params.limit + 1,
      track_total_hits: true,
      query: this.traceQuery(traceId, start, end, spanId),
      sort: [
        {
          [fields.timestamp]: {
            order,
            // Nanosecond sort values across `date` and `date_nanos` indices alike.
            numeric_type: 'date_nanos',
            // Indices of the pattern without the field sort last instead of failing.
            unmapped_type: 'date',
          },
        },
        { _id: { order } },
      ],
      ...(searchAfter && { search_after: searchAfter }),
    };

    const response = await this.search('searching logs', body);
    if (!response) {
      return { logs: [], total: 0, start: isoOf(start), end: isoOf(end) };
    }
    const hits = response.hits?.hits ?? [];
    const page = hits.slice(0, params.limit);
    const last = page[page.length - 1];
    const nextCursor =
      hits.length > params.limit && last?.sort?.length
        ? encodeLogCursor({
            traceId,
            spanId,
            order,
            start,
            end,
            searchAfter: last.sort,
          })
        : undefined;
    const total = response.hits?.total;
    return {
      logs: page.map(hit => toLogRecord(hit, fields, hit.sort?.[0])),
      ...(nextCursor && { nextCursor }),
      ...(total !== undefined && {
        total: typeof total === 'number' ? total : total.value,
      }),
      start: isoOf(start),
      end: isoOf(end),
    };
  }

  /**
   * Log count and highest severity per span of a trace, in one aggregation: `terms` on the
   * span ID with `max` of the severity number (or, for text-only severities, `terms` on the
   * severity text ranked by level).
   */
  async getLogCounts(params: LogCountsRequest): Promise<LogCountsResponse> {
    const { start, end } = params.window;
    const { fields, keywordSuffix } = this.options;
    const severity = fields.severityNumber
      ? { max_severity: { max: { field: fields.severityNumber } } }
      : {
          severity_texts: {
            terms: { field: `${fields.severity}${keywordSuffix}`, size: 50 },
          },
        };
    const body: JsonObject = {
      size: 0,
      track_total_hits: true,
      query: this.traceQuery(params.traceId, start, end),
      aggs: {
        spans: {
          terms: {
            field: `${fields.spanId}${keywordSuffix}`,
            size: MAX_SPAN_BUCKETS,
          },
          aggs: severity,
        },
      },
    };
    const response = await this.search('counting logs per span', body);
    const spans = response?.aggregations?.spans;
    const counts: Record<string, SpanLogCount> = {};
    for (const bucket of (spans?.buckets ?? []) as any[]) {
      const spanId =
        typeof bucket.key === 'string' ? bucket.key.toLowerCase() : '';
      // Buckets for empty or all-zero IDs (logs outside any span) are not spans.
      if (!/^[0-9a-f]{16}$/.test(spanId) || /^0+$/.test(spanId)) continue;
      const highest = fields.severityNumber
        ? severityOfMax(bucket.max_severity?.value)
        : highestSeverityOfTexts(
            ((bucket.severity_texts?.buckets ?? []) as any[])
              .map(text => text.key)
              .filter((key): key is string => typeof key === 'string'),
          );
      counts[spanId] = {
        count: Number(bucket.doc_count),
        ...(highest && { highestSeverity: highest }),
      };
    }
    if (spans?.sum_other_doc_count > 0) {
      this.logger.warn(
        `OpenSearch: trace ${params.traceId} has logs in more than ${MAX_SPAN_BUCKETS} spans; counts cover the first ${MAX_SPAN_BUCKETS}`,
      );
    }
    return { counts };
  }

  /** For `/health`: ok with the version, or down and why. */
  async getHealth(): Promise<StoreHealth> {
    const base = { store: this.name, url: this.options.baseUrl };
    try {
      const { version } = await this.ping();
      return { ...base, status: 'ok', ...(version && { version }) };
    } catch (error) {
      return { ...base, status: 'down', message: (error as Error).message };
    }
  }

  /**
   * A zero-size search on the log indices proves reachability, credentials and read
   * permission (and works on Serverless, which has no `GET /`); `GET /` adds the version.
   */
  private async ping(): Promise<{ version?: string }> {
    const [info, probe] = await Promise.allSettled([
      this.send('reading the cluster info', () => this.client.info()),
      this.search('searching the log indices', {
        size: 0,
        track_total_hits: false,
        query: { match_none: {} },
      }),
    ]);
    if (probe.status === 'rejected') throw probe.reason;
    const version =
      info.status === 'fulfilled'
        ? (info.value.body as { version?: { number?: unknown } })?.version
            ?.number
        : undefined;
    return typeof version === 'string' ? { version } : {};
  }

  private continuation(token: string, params: LogsRequest): LogCursor {
    const cursor = decodeLogCursor(token);
    const window: LogWindow | undefined = params.window;
    if (
      cursor.traceId !== params.traceId ||
      cursor.spanId !== params.spanId ||
      cursor.order !== params.order ||
      (window && (cursor.start !== window.start || cursor.end !== window.end))
    ) {
      throw new InputError(
        "The 'cursor' belongs to a different query; keep traceId, spanId, order, start and end unchanged while paging",
      );
    }
    return cursor;
  }

  /** Filter context: exact IDs (exporters write lowercase hex) and the time window. */
  private traceQuery(
    traceId: string,
    start: number,
    end: number,
    spanId?: string,
  ) {
    const { fields, keywordSuffix } = this.options;
    return {
      bool: {
        filter: [
          { term: { [`${fields.traceId}${keywordSuffix}`]: traceId } },
          ...(spanId
            ? [{ term: { [`${fields.spanId}${keywordSuffix}`]: spanId } }]
            : []),
          {
            range: {
              [fields.timestamp]: {
                gte: isoOf(start),
                lte: isoOf(end),
                format: 'strict_date_optional_time',
              },
            },
          },
        ],
      },
    };
  }

  /** A `_search` on the configured indices; undefined when a named index does not exist. */
  private async search(
    what: string,
    body: JsonObject,
  ): Promise<SearchResponseBody | undefined> {
    const response = await this.send(
      what,
      // search_after may hold BigInts, which the client's serializer writes as raw numerals.
      () =>
        this.client.search({ index: this.options.index, body: body as any }),
      { indexNotFound: 'undefined' },
    );
    if (!response) {
      this.logger.info(
        `OpenSearch: no index matches '${this.options.index}' (traces.opensearch.index); answering no logs`,
      );
      return undefined;
    }
    const result = response.body as SearchResponseBody;
    if (
      !result ||
      typeof result !== 'object' ||
      (!result.hits && !result.aggregations)
    ) {
      throw new UpstreamError(
        UPSTREAM,
        502,
        `${what}: the answer is not a _search response; check traces.opensearch.baseUrl`,
      );
    }
    if (result._shards?.failed) {
      const failure = result._shards.failures?.[0];
      this.logger.warn(
        `OpenSearch: ${result._shards.failed} shard(s) failed while ${what}; results may be incomplete`,
        {
          index: failure?.index,
          reason: this.scrubber
            .scrub(JSON.stringify(failure?.reason) ?? '')
            .slice(0, 500),
        },
      );
    }
    return result;
  }

  /**
   * Runs one client call under the configured deadline (covering retries and slow bodies,
   * which the client's socket timeout does not) and maps failures to UpstreamErrors.
   * With `indexNotFound: 'undefined'`, a missing index answers undefined instead.
   */
  private async send(
    what: string,
    call: () => Promise<ApiResponse> & { abort?: () => void },
  ): Promise<ApiResponse>;
  private async send(
    what: string,
    call: () => Promise<ApiResponse> & { abort?: () => void },
    options: { indexNotFound: 'undefined' },
  ): Promise<ApiResponse | undefined>;
  private async send(
    what: string,
    call: () => Promise<ApiResponse> & { abort?: () => void },
    options?: { indexNotFound: 'undefined' },
  ): Promise<ApiResponse | undefined> {
    const started = Date.now();
    const { timeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const request = call();
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        request.abort?.();
        reject(
          new UpstreamError(
            UPSTREAM,
            504,
            `no answer within ${timeoutMs} ms from ${this.origin}`,
          ),
        );
      }, timeoutMs);
    });
    try {
      const response = await Promise.race([request, deadline]);
      this.logger.debug(`OpenSearch ${what}: HTTP ${response.statusCode}`, {
        durationMs: Date.now() - started,
      });
      return response;
    } catch (error) {
      if (options?.indexNotFound === 'undefined' && isIndexNotFound(error))
        return undefined;
      // Only the error's name: client errors carry the request, headers included.
      this.logger.debug(`OpenSearch ${what} failed`, {
        durationMs: Date.now() - started,
        error: (error as Error)?.name,
      });
      throw toUpstreamError(error, {
        origin: this.origin,
        timeoutMs,
        what,
        scrubber: this.scrubber,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

function severityOfMax(value: unknown): string | undefined {
  return typeof value === 'number'
    ? severityNameOfNumber(Math.round(value))
    : undefined;
}

function isoOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function clientOptions(options: OpenSearchOptions): ClientOptions {
  const { auth } = options;
  return {
    node: options.baseUrl,
    Connection: sizeLimitedConnection(options.maxResponseBytes),
    requestTimeout: options.timeoutMs,
    // One retry for a dropped connection; the overall deadline still applies.
    maxRetries: 1,
    // date_nanos sort values exceed Number.MAX_SAFE_INTEGER: BigInt in, raw numerals out.
    enableLongNumeralSupport: true,
    ssl: {
      rejectUnauthorized: options.tls.rejectUnauthorized,
      ...(options.tls.ca && { ca: options.tls.ca }),
    },
    ...(auth?.type === 'basic' && {
      auth: { username: auth.username, password: auth.password },
    }),
    ...(auth?.type === 'aws' &&
      AwsSigv4Signer({
        region: auth.region,
        service: auth.service,
        getCredentials: staticAwsCredentials(auth.credentials),
      })),
  };
}

/**
 * Credentials from config, else from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN. Without either, the signer falls back to the AWS SDK's default
 * provider chain (`@aws-sdk/credential-provider-node`: instance roles, IRSA, SSO).
 */
function staticAwsCredentials(
  configured:
    | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
    | undefined,
) {
  const env = process.env;
  const credentials =
    configured ??
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
        }
      : undefined);
  return credentials ? async () => credentials : undefined;
}

/** The configured credentials, as they travel: Basic header, password, AWS secrets. */
function scrubberOf(auth: OpenSearchOptions['auth']): SecretScrubber {
  if (auth?.type === 'basic') {
    const basic = Buffer.from(`${auth.username}:${auth.password}`).toString(
      'base64',
    );
    return new SecretScrubber([`Basic ${basic}`, auth.password]);
  }
  if (auth?.type === 'aws' && auth.credentials) {
    return new SecretScrubber([
      auth.credentials.secretAccessKey,
      auth.credentials.sessionToken,
    ]);
  }
  return new SecretScrubber([
    process.env.AWS_SECRET_ACCESS_KEY,
    process.env.AWS_SESSION_TOKEN,
  ]);
}
