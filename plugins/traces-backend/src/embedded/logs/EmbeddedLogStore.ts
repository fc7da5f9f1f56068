import { InputError } from '@backstage/errors';
import type {
  AttributeValue,
  LogCountsResponse,
  LogRecord,
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
import type { Knex } from 'knex';
import { decodeLogCursor, encodeLogCursor } from '../../opensearch/cursor';
import { isoFromNanos } from '../../opensearch/logDocuments';
import {
  highestSeverityOfTexts,
  severityNameOfNumber,
} from '../../opensearch/severity';
import { SourceCache } from '../read/SourceCache';
import { databaseHealth } from '../storage/databaseHealth';
import { parseJsonColumn } from '../storage/jsonColumn';

export const EMBEDDED_STORE_NAME = 'Embedded store';

interface LogRow {
  id: number | string | bigint;
  time_text: string;
  observed_text: string;
  trace_id: string;
  span_id: string | null;
  source_id: number | bigint;
  service_name: string;
  severity_number: number | null;
  severity_text: string | null;
  body: string;
  attributes: string | Record<string, AttributeValue>;
}

const NANOS_PER_MS = 1_000_000n;

/**
 * Log records received over OTLP, answered as the OpenSearch store answers: pages in time
 * order with the same opaque cursor (time and row ID as the `search_after` pair), the record
 * fields as an ss4o document would flatten them (`attributes.*`, `resource.*`,
 * `instrumentationScope.*`), per-span counts with the highest severity.
 */
export class EmbeddedLogStore implements LogStore {
  readonly name = EMBEDDED_STORE_NAME;
  readonly maxResults = 1000;
  readonly timeMarginMs = 5 * 60_000;
  private readonly sources: SourceCache;

  private readonly db: Knex;

  constructor(db: Knex) {
    this.db = db;
    this.sources = new SourceCache(db);
  }

  async getLogs(request: LogsRequest): Promise<LogsResponse> {
    const { traceId, spanId, order, limit } = request;
    if (!Number.isInteger(limit) || limit < 1 || limit > this.maxResults) {
      throw new InputError(`'limit' must be between 1 and ${this.maxResults}`);
    }
    const cursor = request.cursor ? decodeLogCursor(request.cursor) : undefined;
    if (cursor) checkContinuation(cursor, request);
    const window = cursor ?? request.window;
    if (!window) {
      throw new InputError(
        'A log search needs a time window or the cursor of an earlier page',
      );
    }
    const filtered = () => {
      const query = this.db('logs')
        .where('trace_id', traceId)
        .andWhere('time_ns', '>=', String(BigInt(window.start) * NANOS_PER_MS))
        .andWhere('time_ns', '<=', String(BigInt(window.end) * NANOS_PER_MS));
      return spanId ? query.andWhere('span_id', spanId) : query;
    };
    const page = filtered()
      .select(
        'id',
        'trace_id',
        'span_id',
        'source_id',
        'service_name',
        'severity_number',
        'severity_text',
        'body',
        'attributes',
        this.db.raw('CAST(time_ns AS TEXT) AS time_text'),
        this.db.raw('CAST(observed_time_ns AS TEXT) AS observed_text'),
      )
      .orderBy([
        { column: 'time_ns', order },
        { column: 'id', order },
      ])
      .limit(limit + 1);
    const after = cursor?.searchAfter;
    if (after) {
      const [time, id] = [String(after[0]), String(after[1])];
      const op = order === 'asc' ? '>' : '<';
      page.andWhere(inner =>
        inner
          .where('time_ns', op, time)
          .orWhere(same =>
            same.where('time_ns', '=', time).andWhere('id', op, id),
          ),
      );
    }
    const [rows, [{ total }]] = await Promise.all([
      page as Promise<LogRow[]>,
      filtered().count({ total: '*' }),
    ]);
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeLogCursor({
            traceId,
            spanId,
            order,
            start: window.start,
            end: window.end,
            searchAfter: [BigInt(last.time_text), Number(last.id)],
          })
        : undefined;
    const logs: LogRecord[] = [];
    for (const row of shown) logs.push(await this.toRecord(row));
    return {
      logs,
      ...(nextCursor && { nextCursor }),
      total: Number(total),
      start: isoOf(window.start),
      end: isoOf(window.end),
    };
  }

  async getLogCounts(request: LogCountsRequest): Promise<LogCountsResponse> {
    const { start, end } = request.window;
    const rows: Array<{
      span_id: string;
      severity_number: number | null;
      severity_text: string | null;
    }> = await this.db('logs')
      .where('trace_id', request.traceId)
      .whereNotNull('span_id')
      .andWhere('time_ns', '>=', String(BigInt(start) * NANOS_PER_MS))
      .andWhere('time_ns', '<=', String(BigInt(end) * NANOS_PER_MS))
      .select('span_id', 'severity_number', 'severity_text');
    const bySpan = new Map<
      string,
      { count: number; max: number; texts: string[] }
    >();
    for (const row of rows) {
      let entry = bySpan.get(row.span_id);
      if (!entry)
        bySpan.set(row.span_id, (entry = { count: 0, max: 0, texts: [] }));
      entry.count += 1;
      const number = Number(row.severity_number ?? 0);
      if (number > entry.max) entry.max = number;
      if (row.severity_text) entry.texts.push(row.severity_text);
    }
    const counts: Record<string, SpanLogCount> = {};
    for (const [spanId, entry] of bySpan) {
      const highest =
        severityNameOfNumber(entry.max) ?? highestSeverityOfTexts(entry.texts);
      counts[spanId] = {
        count: entry.count,
        ...(highest && { highestSeverity: highest }),
      };
    }
    return { counts };
  }

  getHealth(): Promise<StoreHealth> {
    return databaseHealth(this.db, 'logs', this.name);
  }

  private async toRecord(row: LogRow): Promise<LogRecord> {
    const source = await this.sources.get(Number(row.source_id));
    const fields: Record<string, AttributeValue> = {};
    const attributes = parseJsonColumn(row.attributes);
    for (const key of Object.keys(attributes))
      fields[`attributes.${key}`] = attributes[key];
    for (const key of Object.keys(source.resourceAttributes)) {
      if (key !== 'service.name')
        fields[`resource.${key}`] = source.resourceAttributes[key];
    }
    if (source.scopeName)
      fields['instrumentationScope.name'] = source.scopeName;
    if (source.scopeVersion)
      fields['instrumentationScope.version'] = source.scopeVersion;
    const observed = BigInt(row.observed_text);
    if (observed > 0n)
      fields.observedTimestamp = isoFromNanos(observed) ?? null;
    const severityNumber = row.severity_number ?? undefined;
    const severity =
      row.severity_text ??
      (severityNumber !== undefined
        ? severityNameOfNumber(severityNumber)
        : undefined);
    return {
      id: String(row.id),
      timestamp: isoFromNanos(BigInt(row.time_text)) ?? '',
      message: row.body,
      fields,
      ...(severity && { severity }),
      ...(severityNumber !== undefined && {
        severityNumber: Number(severityNumber),
      }),
      serviceName: row.service_name,
      traceId: row.trace_id,
      ...(row.span_id && { spanId: row.span_id }),
    };
  }
}

function checkContinuation(
  cursor: {
    traceId: string;
    spanId?: string;
    order: string;
    start: number;
    end: number;
  },
  request: LogsRequest,
) {
  const window: LogWindow | undefined = request.window;
  if (
    cursor.traceId !== request.traceId ||
    cursor.spanId !== request.spanId ||
    cursor.order !== request.order ||
    (window && (cursor.start !== window.start || cursor.end !== window.end))
  ) {
    throw new InputError(
      "The 'cursor' belongs to a different query; keep traceId, spanId, order, start and end unchanged while paging",
    );
  }
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
