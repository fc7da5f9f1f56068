import type {
  CompactTrace,
  MetricsInstantResponse,
  MetricsResponse,
  SearchResponse,
  StoreHealth,
  TagsResponse,
  TagValuesResponse,
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
import type { Knex } from 'knex';
import type { Redactor } from '../redaction/Redactor';
import type { LargeTraceOptions } from '../config';
import { protobufToCompactAsync } from '../tempo/protobufToCompact';
import { LargeTraceStore } from '../traces/LargeTraceStore';
import { TraceLoader } from '../traces/TraceLoader';
import { timed } from '../lib/serverTiming';
import { databaseHealth } from './storage/databaseHealth';
import { EMBEDDED_STORE_NAME } from './logs/EmbeddedLogStore';
import { queryMetricsInstant, queryMetricsRange } from './metrics/queryMetrics';
import { readTraceProtobuf } from './read/traceProtobuf';
import { SourceCache } from './read/SourceCache';
import { searchTraces, type SearchContext } from './search/searchTraces';
import { dialectOf } from './search/sqlDialect';
import { getTags, getTagValues } from './search/tags';

/** Large traces stay decoded for their windows this long: the store may still grow them. */
const LARGE_TRACE_TTL_MS = 2 * 60_000;

/**
 * The trace store over the embedded tables: TraceQL through the embedded engine with the
 * candidates picked in SQL; traces by ID through the same protobuf → redacted compact step
 * and the same loader (windows of large traces) as Tempo's answers. No trace cache: a stored
 * trace may still grow.
 */
export class EmbeddedTraceStore implements TraceStore {
  readonly name = EMBEDDED_STORE_NAME;
  private readonly context: SearchContext;

  private readonly loader: TraceLoader;

  constructor(db: Knex, redactor: Redactor, largeTraces: LargeTraceOptions) {
    this.context = { db, dialect: dialectOf(db), sources: new SourceCache(db) };
    this.loader = new TraceLoader({
      storeName: EMBEDDED_STORE_NAME,
      fetchTrace: async ({ traceId }) => {
        const bytes = await timed('store', 'embedded store read', () =>
          readTraceProtobuf(db, traceId, largeTraces.maxTraceBytes),
        );
        return (
          bytes &&
          timed('decode', 'protobuf decode', () =>
            protobufToCompactAsync(bytes, traceId, redactor),
          )
        );
      },
      large: {
        store: new LargeTraceStore({
          maxBytes: largeTraces.memoryBytes,
          ttlMs: LARGE_TRACE_TTL_MS,
        }),
        thresholdSpans: largeTraces.windowThreshold,
        windowSpans: largeTraces.windowSpans,
        firstWindowSpans: largeTraces.firstWindowSpans,
      },
    });
  }

  searchTraces(request: TraceSearchRequest): Promise<SearchResponse> {
    return searchTraces(this.context, request);
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

  getTags(request: TagsRequest): Promise<TagsResponse> {
    return getTags(this.context, request);
  }

  getTagValues(request: TagValuesRequest): Promise<TagValuesResponse> {
    return getTagValues(this.context, request);
  }

  queryMetricsRange(request: MetricsRangeRequest): Promise<MetricsResponse> {
    return queryMetricsRange(this.context, request);
  }

  queryMetricsInstant(
    request: MetricsInstantRequest,
  ): Promise<MetricsInstantResponse> {
    return queryMetricsInstant(this.context, request);
  }

  getHealth(): Promise<StoreHealth> {
    return databaseHealth(this.context.db, 'traces', this.name);
  }
}
