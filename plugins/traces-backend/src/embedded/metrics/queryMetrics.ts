import type {
  MetricsInstantResponse,
  MetricsResponse,
} from '@backstage-traces/plugin-traces-common';
import type {
  MetricsInstantRequest,
  MetricsRangeRequest,
} from '@backstage-traces/plugin-traces-node';
import { compileMetrics, type MetricsPlan } from '../traceql';
import { loadSpans, rowsOf } from '../read/loadSpans';
import { prefilterToSql } from '../search/conditionsToSql';
import { evaluateTraces, type SearchContext } from '../search/searchTraces';
import { capExemplars } from '../../exemplars/capExemplars';
import { buildTempoQuery } from '../../service/buildTempoQuery';
import { groupColumns } from './groupColumns';

/**
 * Spans observed whole on the counting path, for exemplars: the newest two of each of 25
 * slices of the range (the newest 50 alone would all sit at its end).
 */
const EXEMPLAR_SLICES = 25;
const EXEMPLARS_PER_SLICE = 2;
/** Candidate traces evaluated per round trip when spans must be evaluated trace by trace. */
const CHUNK = 200;

/** A TraceQL metrics query over a range, one sample per step. */
export async function queryMetricsRange(
  context: SearchContext,
  request: MetricsRangeRequest,
): Promise<MetricsResponse> {
  const { start, end, stepSeconds, scope } = request;
  const plan = compileMetrics(request.query, scope, {
    start,
    end,
    step: stepSeconds,
  });
  return {
    query: buildTempoQuery(scope, { query: request.query }),
    start,
    end,
    step: `${stepSeconds}s`,
    series: capExemplars(
      await accumulate(context, plan, request.exemplars !== 0),
      request.exemplars,
    ),
  };
}

/** A TraceQL metrics query with one value per series over the whole range. */
export async function queryMetricsInstant(
  context: SearchContext,
  request: MetricsInstantRequest,
): Promise<MetricsInstantResponse> {
  const { start, end, scope } = request;
  const plan = compileMetrics(request.query, scope, {
    start,
    end,
    instant: true,
  });
  const series = await accumulate(context, plan, false);
  return {
    query: buildTempoQuery(scope, { query: request.query }),
    start,
    end,
    series: series.map(({ labels, name, samples }) => ({
      labels,
      name,
      value: samples[samples.length - 1]?.value ?? 0,
    })),
  };
}

/**
 * Feeds the matching spans to the engine's accumulator: counted in SQL per group and step
 * when the filter is exactly SQL, else span by span (evaluated per trace when the engine
 * must see whole traces).
 */
async function accumulate(
  context: SearchContext,
  plan: MetricsPlan,
  exemplars: boolean,
) {
  const { db, dialect, sources } = context;
  const accumulator = plan.newAccumulator();
  const where = prefilterToSql(
    plan.search.prefilter,
    dialect,
    await sources.all(),
  );
  if (!where) return accumulator.result();
  const range = {
    sql: 's.start_ns >= ? and s.start_ns < ?',
    bindings: [plan.fromNs.toString(), plan.toNs.toString()],
  };
  const join = where.joinsTraces
    ? ' join traces t on t.trace_id = s.trace_id'
    : '';
  const { needs } = plan.search;
  // Counting in SQL needs a filter SQL says exactly, and a function of counts (grouped in
  // SQL) or of durations (read from their column, bucketed here).
  const countable =
    plan.function === 'rate' || plan.function === 'count_over_time';
  const byDuration =
    plan.function === 'histogram_over_time' ||
    plan.function === 'quantile_over_time';
  const groups =
    (countable || byDuration) &&
    plan.search.exact &&
    where.exact &&
    !needs.wholeTrace &&
    !needs.events &&
    !needs.links
      ? groupColumns(plan.groupBy, dialect)
      : undefined;

  if (groups) {
    // Every span is counted in SQL; a few, spread over the range, are read whole as exemplars.
    const sample = exemplars ? await exemplarSample(db, plan, join, where) : [];
    const pairs = sample.map(() => '(?, ?)').join(', ');
    const pairBindings = sample.flatMap(r => [r.trace_id, r.span_id]);
    if (sample.length > 0) {
      const spans = await loadSpans(
        db,
        sources,
        [...new Set(sample.map(r => r.trace_id))],
        {
          where: {
            sql: `(${where.sql}) and (s.trace_id, s.span_id) in (values ${pairs})`,
            bindings: [...where.bindings, ...pairBindings],
            joinsTraces: where.joinsTraces,
          },
        },
      );
      for (const span of spans) accumulator.exemplify(span, span.traceId);
    }
    const select = groups.flatMap(g => g.select);
    const groupBy = [...groups.flatMap(g => g.groupBy), 'bucket'];
    const rows = rowsOf<Record<string, unknown>>(
      await db.raw(
        `select ${[
          ...select,
          '(s.start_ns - ?) / ? as bucket',
          byDuration ? 's.duration_ns as d' : 'count(*) as n',
        ].join(', ')} from spans s${join} where ${range.sql} and (${
          where.sql
        })${byDuration ? '' : ` group by ${groupBy.join(', ')}`}`,
        [
          ...groups.flatMap(g => g.bindings),
          plan.fromNs.toString(),
          plan.stepNs.toString(),
          ...range.bindings,
          ...where.bindings,
        ],
      ),
    );
    const stored = new Map((await sources.all()).map(s => [s.id, s]));
    for (const row of rows) {
      const values = groups.map(g => g.read(row, stored));
      if (byDuration) {
        accumulator.observeDuration(values, Number(row.bucket), Number(row.d));
      } else {
        accumulator.observeCount(values, Number(row.bucket), Number(row.n));
      }
    }
    return accumulator.result();
  }

  // Span by span: the candidate traces in range, each evaluated by the engine.
  const traceIds = rowsOf<{ trace_id: string }>(
    await db.raw(
      `select distinct s.trace_id from spans s${join} where ${range.sql} and (${where.sql})`,
      [...range.bindings, ...where.bindings],
    ),
  ).map(r => r.trace_id);
  for (let i = 0; i < traceIds.length; i += CHUNK) {
    const evaluated = await evaluateTraces(
      context,
      plan.search,
      traceIds.slice(i, i + CHUNK),
      where,
    );
    for (const [traceId, spansets] of evaluated) {
      const seen = new Set<string>();
      for (const span of spansets.flat()) {
        if (seen.has(span.spanId)) continue;
        seen.add(span.spanId);
        if (span.startNs >= plan.fromNs && span.startNs < plan.toNs) {
          accumulator.observe(span, traceId);
        }
      }
    }
  }
  return accumulator.result();
}

/**
 * The exemplar spans of the counting path, in one round trip: per slice of the range, an
 * index range scan on `start_ns` that stops at the slice's newest matches.
 */
async function exemplarSample(
  db: SearchContext['db'],
  plan: MetricsPlan,
  join: string,
  where: { sql: string; bindings: readonly unknown[] },
) {
  const width =
    (plan.toNs - plan.fromNs + BigInt(EXEMPLAR_SLICES) - 1n) /
    BigInt(EXEMPLAR_SLICES);
  const selects: string[] = [];
  const bindings: unknown[] = [];
  for (let lo = plan.fromNs; lo < plan.toNs; lo += width) {
    const hi = lo + width < plan.toNs ? lo + width : plan.toNs;
    selects.push(
      `select trace_id, span_id from (select s.trace_id, s.span_id from spans s${join} where s.start_ns >= ? and s.start_ns < ? and (${where.sql}) order by s.start_ns desc limit ${EXEMPLARS_PER_SLICE}) e${selects.length}`,
    );
    bindings.push(lo.toString(), hi.toString(), ...where.bindings);
  }
  return rowsOf<{ trace_id: string; span_id: string }>(
    await db.raw(selects.join(' union all '), bindings as any[]),
  );
}
