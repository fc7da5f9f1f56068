import type {
  LogCountsResponse,
  LogOrder,
  LogsResponse,
  StoreHealth,
} from '@backstage-traces/plugin-traces-common';

/**
 * A time window, epoch milliseconds.
 *
 * @public
 */
export interface LogWindow {
  start: number;
  end: number;
}

/**
 * One page of the logs of a trace, or of one span, `GET /api/traces/traces/:id/logs`.
 *
 * @public
 */
export interface LogsRequest {
  /** 32 lowercase hexadecimal characters. */
  traceId: string;
  /** 16 lowercase hexadecimal characters: only this span's logs. */
  spanId?: string;
  /**
   * Where to search: the request's range, or the trace's own time span widened by
   * `LogStore.timeMarginMs`. Undefined only with a `cursor`, which carries its first page's
   * window.
   */
  window?: LogWindow;
  /** Most records in the page, at most `LogStore.maxResults`. */
  limit: number;
  /** A `nextCursor` of an earlier page of the same request; opaque to the plugin. */
  cursor?: string;
  order: LogOrder;
  /** See `TraceScope.tenant`; a store without tenants ignores it. */
  tenant?: string;
  signal?: AbortSignal;
}

/**
 * How many logs each span of a trace has, `GET /api/traces/traces/:id/log-counts`.
 *
 * @public
 */
export interface LogCountsRequest {
  traceId: string;
  window: LogWindow;
  tenant?: string;
  signal?: AbortSignal;
}

/**
 * Where the logs of traces are read from: OpenSearch by default, or a store a backend module
 * installs through `tracesStoresExtensionPoint`. The plugin resolves the window and checks
 * access before calling, and masks `LogRecord.fields` afterwards.
 *
 * Errors: `InputError` (400) for a malformed or foreign `cursor`; `ServiceUnavailableError`
 * (503) while the store is not ready; `UpstreamError` (502/503/504) when the system behind the
 * store fails, named in the message. A trace without logs is an empty answer, not an error.
 *
 * @public
 */
export interface LogStore {
  /** Names the store in messages and in `/health`, e.g. `OpenSearch`. */
  readonly name: string;
  /** Most records one page may hold (the route refuses a larger `limit`). */
  readonly maxResults: number;
  /** How far before and after a trace's own time span its logs are searched. */
  readonly timeMarginMs: number;

  /**
   * One page of log records correlated with the trace (or span), ordered by time in `order`;
   * `nextCursor` is set while more records follow. `start`/`end` in the answer are the
   * searched window (ISO 8601).
   *
   * @throws InputError when `cursor` is malformed or belongs to another request.
   * @throws UpstreamError when the store's backend fails.
   */
  getLogs(request: LogsRequest): Promise<LogsResponse>;

  /**
   * Per span ID, the number of log records and the highest severity among them; spans
   * without logs are absent.
   *
   * @throws UpstreamError when the store's backend fails.
   */
  getLogCounts(request: LogCountsRequest): Promise<LogCountsResponse>;

  /**
   * The store's state for `GET /api/traces/health`, naming the store
   * (`store: 'OpenSearch'`). Never throws: a failing backend is `status: 'down'`.
   */
  getHealth(): Promise<StoreHealth>;
}
