import { NotFoundError } from '@backstage/errors';
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
import { protobufToCompactAsync } from '../tempo/protobufToCompact';
import { buildTraceTree } from '../traces/window/TraceTree';
import {
  selectInitialWindow,
  selectSubtreeWindow,
} from '../traces/window/selectWindow';
import { sliceCompactTrace } from '../traces/window/sliceCompactTrace';
import { EMBEDDED_STORE_NAME } from './logs/EmbeddedLogStore';
import { queryMetricsInstant, queryMetricsRange } from './metrics/queryMetrics';
import { readTraceProtobuf } from './read/traceProtobuf';
import { SourceCache } from './read/SourceCache';
import { searchTraces, type SearchContext } from './search/searchTraces';
import { dialectOf } from './search/sqlDialect';
import { getTags, getTagValues } from './search/tags';

export interface EmbeddedTraceStoreOptions {
  /** Traces over this many spans open in windows (`traces.largeTraces.windowThreshold`). */
  windowThreshold: number;
  /** Most spans in one window (`traces.largeTraces.windowSpans`). */
  windowSpans: number;
}

/**
 * The trace store over the embedded tables: TraceQL through the embedded engine with the
 * candidates picked in SQL, traces by ID through the same protobuf → redacted compact step
 * as Tempo's answers, windows cut as for Tempo.
 */
export class EmbeddedTraceStore implements TraceStore {
  readonly name = EMBEDDED_STORE_NAME;
  private readonly context: SearchContext;

  private readonly redactor: Redactor;
  private readonly options: EmbeddedTraceStoreOptions;

  constructor(
    db: Knex,
    redactor: Redactor,
    options: EmbeddedTraceStoreOptions,
  ) {
    this.context = { db, dialect: dialectOf(db), sources: new SourceCache(db) };
    this.redactor = redactor;
    this.options = options;
  }

  searchTraces(request: TraceSearchRequest): Promise<SearchResponse> {
    return searchTraces(this.context, request);
  }

  async getTrace(request: TraceRequest): Promise<CompactTrace> {
    const bytes = await readTraceProtobuf(this.context.db, request.traceId);
    const compact =
      bytes &&
      (await protobufToCompactAsync(bytes, request.traceId, this.redactor));
    if (!compact) {
      throw new NotFoundError(
        `Trace ${request.traceId} is not in the embedded store; it may be older than traces.embedded.retention.maxAge or not sent yet`,
      );
    }
    return compact;
  }

  async getTraceWindow(request: TraceWindowRequest): Promise<CompactTrace> {
    const compact = await this.getTrace(request);
    const { windowThreshold, windowSpans } = this.options;
    if (compact.spans.parent.length <= windowThreshold) return compact;
    const tree = buildTraceTree(compact);
    const focusRow =
      request.focusSpanId === undefined ? -1 : tree.rowOf(request.focusSpanId);
    return sliceCompactTrace(
      compact,
      tree,
      selectInitialWindow(tree, windowSpans, focusRow),
      windowSpans,
    );
  }

  async getSubtree(request: SubtreeRequest): Promise<CompactTrace> {
    const compact = await this.getTrace(request);
    const tree = buildTraceTree(compact);
    const row = tree.rowOf(request.spanId);
    if (row < 0) {
      throw new NotFoundError(
        `Span ${request.spanId} is not in trace ${request.traceId}`,
      );
    }
    const { windowSpans } = this.options;
    return sliceCompactTrace(
      compact,
      tree,
      selectSubtreeWindow(tree, row, request.from ?? 0, windowSpans),
      windowSpans,
    );
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

  async getHealth(): Promise<StoreHealth> {
    try {
      await this.context.db('traces').select('trace_id').limit(1);
      return { store: this.name, status: 'ok' };
    } catch (error) {
      return {
        store: this.name,
        status: 'down',
        message: `The database cannot be read: ${(error as Error).message}`,
      };
    }
  }
}
