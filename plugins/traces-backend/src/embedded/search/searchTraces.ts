import type {
  Attributes,
  MatchedSpan,
  SearchResponse,
  TraceServiceStats,
  TraceSummary,
} from '@backstage-traces/plugin-traces-common';
import {
  SPAN_KINDS,
  STATUS_CODES,
} from '@backstage-traces/plugin-traces-common';
import type { TraceSearchRequest } from '@backstage-traces/plugin-traces-node';
import type { Knex } from 'knex';
import {
  compileSearch,
  type ConditionField,
  type SearchPlan,
  type TraceQLSpan,
} from '../traceql';
import { loadSpans, rowsOf, type LoadedSpan } from '../read/loadSpans';
import type { SourceCache } from '../read/SourceCache';
import { prefilterToSql, type PrefilterSql } from './conditionsToSql';
import { goDuration } from '../traceql/metrics';
import { buildTempoQuery } from '../../service/buildTempoQuery';
import type { SqlDialect } from './sqlDialect';

export interface SearchContext {
  db: Knex;
  dialect: SqlDialect;
  sources: SourceCache;
}

/** Spans per spanset in an answer when the request names none: Tempo's default `spss`. */
const DEFAULT_SPANS_PER_SPANSET = 3;
/** Candidate traces evaluated per round trip. */
const CHUNK = 25;

interface TraceRow {
  trace_id: string;
  start_text: string;
  end_text: string;
  root_service_name: string | null;
  root_span_name: string | null;
}

/**
 * TraceQL search: candidate traces from SQL (the engine's prefilter with the scope, over the
 * time range, newest matching spans first), each one evaluated by the engine, until `limit`
 * traces match. Answers in the shape the Tempo path gives.
 */
export async function searchTraces(
  context: SearchContext,
  request: TraceSearchRequest,
): Promise<SearchResponse> {
  const { db, dialect, sources } = context;
  const { start, end, limit, scope } = request;
  // The engine takes the scope as data; the answer shows the query as Tempo is sent it.
  const input = {
    query: request.query,
    minDuration: request.minTraceDuration,
    maxDuration: request.maxTraceDuration,
  };
  const plan = compileSearch(buildTempoQuery({}, input), scope);
  const response: SearchResponse = {
    query: buildTempoQuery(scope, input),
    traces: [],
    start,
    end,
    limit,
  };
  const where = prefilterToSql(plan.prefilter, dialect, await sources.all());
  if (!where) return response;

  const join = where.joinsTraces
    ? ' join traces t on t.trace_id = s.trace_id'
    : '';
  const range = [
    String(BigInt(start) * 1_000_000_000n),
    String(BigInt(end) * 1_000_000_000n),
  ];
  const matches = new Map<string, TraceQLSpan[][]>();
  const seen = new Set<string>();
  let offset = 0;
  let pageSize = Math.max(500, limit * 20);

  while (matches.size < limit) {
    const page = rowsOf<{ trace_id: string }>(
      await db.raw(
        `select s.trace_id from spans s${join} where s.start_ns >= ? and s.start_ns <= ? and (${where.sql}) order by s.start_ns desc limit ? offset ?`,
        [...range, ...where.bindings, pageSize, offset],
      ),
    );
    const candidates: string[] = [];
    for (const { trace_id } of page) {
      if (!seen.has(trace_id)) {
        seen.add(trace_id);
        candidates.push(trace_id);
      }
    }
    for (let i = 0; i < candidates.length && matches.size < limit; i += CHUNK) {
      const evaluated = await evaluateTraces(
        context,
        plan,
        candidates.slice(i, i + CHUNK),
        where,
      );
      for (const [traceId, spansets] of evaluated) {
        if (matches.size < limit) matches.set(traceId, spansets);
      }
    }
    if (page.length < pageSize) break;
    offset += page.length;
    pageSize *= 2;
  }

  response.traces = await summaries(
    db,
    matches,
    fieldsOf(plan.fields, scope),
    request.spansPerSpanSet ?? DEFAULT_SPANS_PER_SPANSET,
  );
  return response;
}

/**
 * The matched spansets of some candidate traces (absent: no match). Loads only the spans
 * the prefilter keeps unless the engine needs whole traces; trace-level facts come from the
 * `traces` rows.
 */
export async function evaluateTraces(
  context: SearchContext,
  plan: SearchPlan,
  traceIds: readonly string[],
  where: PrefilterSql,
): Promise<Map<string, TraceQLSpan[][]>> {
  const { db, sources } = context;
  const [spans, facts] = await Promise.all([
    loadSpans(db, sources, traceIds, {
      ...(!plan.needs.wholeTrace && { where }),
      events: plan.needs.events || plan.needs.links,
    }),
    plan.needs.traceFacts ? traceRows(db, traceIds) : undefined,
  ]);
  const byTrace = groupByTrace(spans);
  const matches = new Map<string, TraceQLSpan[][]>();
  for (const traceId of traceIds) {
    const fact = facts?.get(traceId);
    const spansets = plan.evaluate({
      spans: byTrace.get(traceId) ?? [],
      ...(fact && {
        rootName: fact.root_span_name,
        rootServiceName: fact.root_service_name,
        durationNs: Number(BigInt(fact.end_text) - BigInt(fact.start_text)),
      }),
    });
    if (spansets.length > 0) matches.set(traceId, spansets);
  }
  return matches;
}

async function traceRows(
  db: Knex,
  traceIds: readonly string[],
): Promise<Map<string, TraceRow>> {
  const rows = rowsOf<TraceRow>(
    await db.raw(
      `select trace_id, CAST(start_ns AS TEXT) as start_text, CAST(end_ns AS TEXT) as end_text, root_service_name, root_span_name from traces where trace_id in (${traceIds
        .map(() => '?')
        .join(',')})`,
      [...traceIds],
    ),
  );
  return new Map(rows.map(row => [row.trace_id, row]));
}

function groupByTrace(spans: LoadedSpan[]): Map<string, LoadedSpan[]> {
  const byTrace = new Map<string, LoadedSpan[]>();
  for (const span of spans) {
    let list = byTrace.get(span.traceId);
    if (!list) byTrace.set(span.traceId, (list = []));
    list.push(span);
  }
  return byTrace;
}

/** What Tempo puts on matched spans: the fields the query names, the scope's included. */
function fieldsOf(
  fields: readonly ConditionField[],
  scope: TraceSearchRequest['scope'],
): ConditionField[] {
  const all: ConditionField[] = [...fields];
  if (scope.serviceNames) all.push({ scope: 'resource', key: 'service.name' });
  if (scope.serviceNamespace)
    all.push({ scope: 'resource', key: 'service.namespace' });
  for (const match of [scope.environment, scope.cluster]) {
    if (match) all.push({ scope: 'resource', key: match.attribute });
  }
  return all;
}

async function summaries(
  db: Knex,
  matches: Map<string, TraceQLSpan[][]>,
  fields: ConditionField[],
  spansPerSpanSet: number,
): Promise<TraceSummary[]> {
  const traceIds = [...matches.keys()];
  if (traceIds.length === 0) return [];
  const placeholders = traceIds.map(() => '?').join(',');
  const [rows, stats] = await Promise.all([
    traceRows(db, traceIds),
    db
      .raw(
        `select trace_id, service_name, count(*) as spans, sum(case when status_code = 2 then 1 else 0 end) as errors from spans where trace_id in (${placeholders}) group by trace_id, service_name`,
        [...traceIds],
      )
      .then(result =>
        rowsOf<{
          trace_id: string;
          service_name: string;
          spans: unknown;
          errors: unknown;
        }>(result),
      ),
  ]);
  const servicesOf = new Map<string, TraceServiceStats[]>();
  for (const row of stats) {
    let list = servicesOf.get(row.trace_id);
    if (!list) servicesOf.set(row.trace_id, (list = []));
    list.push({
      name: row.service_name,
      spanCount: Number(row.spans),
      errorCount: Number(row.errors),
    });
  }
  const summariesList: TraceSummary[] = [];
  for (const [traceId, spansets] of matches) {
    const row = rows.get(traceId);
    if (!row) continue;
    const startNs = BigInt(row.start_text);
    const services = (servicesOf.get(traceId) ?? []).sort(
      (a, b) => b.spanCount - a.spanCount || a.name.localeCompare(b.name),
    );
    const matchedSpans: MatchedSpan[] = [];
    let matched = 0;
    const shown = new Set<string>();
    for (const spanset of spansets) {
      matched += spanset.length;
      const ordered = [...spanset].sort((a, b) =>
        compareBigInt(a.startNs, b.startNs),
      );
      for (const span of ordered.slice(0, spansPerSpanSet)) {
        if (shown.has(span.spanId)) continue;
        shown.add(span.spanId);
        matchedSpans.push(matchedSpan(span, fields));
      }
    }
    const root = row.root_service_name ?? undefined;
    summariesList.push({
      traceId,
      ...(root && { rootServiceName: root }),
      ...(root && row.root_span_name && { rootSpanName: row.root_span_name }),
      startTimeUnixNano: row.start_text,
      startTime: new Date(Number(startNs / 1_000_000n)).toISOString(),
      // Tempo's durationMs is whole milliseconds (uint32).
      durationMs: Number((BigInt(row.end_text) - startNs) / 1_000_000n),
      ...(services.length > 0 && {
        spanCount: services.reduce((sum, s) => sum + s.spanCount, 0),
        errorCount: services.reduce((sum, s) => sum + s.errorCount, 0),
      }),
      services,
      matchedSpans,
      matched,
    });
  }
  return summariesList.sort((a, b) =>
    compareBigInt(BigInt(b.startTimeUnixNano), BigInt(a.startTimeUnixNano)),
  );
}

function compareBigInt(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function matchedSpan(span: TraceQLSpan, fields: ConditionField[]): MatchedSpan {
  const attributes: Attributes = {};
  let name: string | undefined;
  for (const field of fields) {
    if ('trace' in field) continue;
    if ('intrinsic' in field) {
      switch (field.intrinsic) {
        case 'name':
          name = span.name;
          break;
        case 'status':
          attributes.status = STATUS_CODES[span.statusCode] ?? 'unset';
          break;
        case 'kind':
          attributes.kind = SPAN_KINDS[span.kind] ?? 'unspecified';
          break;
        case 'duration':
          attributes.duration = goDuration(span.durationNs);
          break;
        case 'statusMessage':
          attributes.statusMessage = span.statusMessage ?? '';
          break;
        case 'serviceName':
          attributes['service.name'] = span.serviceName;
          break;
        default:
          break;
      }
      continue;
    }
    const own =
      field.scope === 'resource' ? undefined : span.attributes[field.key];
    const value =
      own ??
      (field.scope === 'span' ? undefined : span.resourceAttributes[field.key]);
    if (value !== undefined)
      attributes[field.key] = value as Attributes[string];
  }
  return {
    spanId: span.spanId,
    ...(name !== undefined && { name }),
    startTimeUnixNano: span.startNs.toString(),
    durationMs: span.durationNs / 1e6,
    attributes,
  };
}
