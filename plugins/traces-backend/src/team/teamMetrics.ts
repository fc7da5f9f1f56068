import type {
  MetricSeries,
  TeamComponentTraces,
  TeamOperation,
} from '@backstage-traces/plugin-traces-common';
import type {
  TraceScope,
  TraceStore,
} from '@backstage-traces/plugin-traces-node';
import { log2Quantile } from '../embedded/traceql/metrics';
import type { TeamComponent } from './resolveTeam';

const BY_SERVICE = 'by (resource.service.namespace, resource.service.name)';
const BY_OPERATION = `by (resource.service.namespace, resource.service.name, name)`;
/** The requests a service serves: what its callers wait for. */
const REQUESTS = 'kind = server || kind = consumer';

/**
 * The team view's TraceQL metrics: one query per function over all the team's services at
 * once, split by service (and operation) with `by()`, never one query per component. The
 * store narrows each to the team's service names and the configured environment and cluster.
 *
 * Counts and power-of-two latency buckets add up over steps, operations and services, so one
 * range query each gives the totals, the rates (count / range) and p95 of every service and
 * operation. (Instant queries would be one sample, but Tempo 2.7 answers them without values
 * for series grouped with `by()`.)
 */
export const TEAM_QUERIES = {
  /** Whether a service has traces at all (any span kind). */
  spans: `{ } | count_over_time() ${BY_SERVICE}`,
  requests: `{ ${REQUESTS} } | count_over_time() ${BY_OPERATION}`,
  errors: `{ (${REQUESTS}) && status = error } | count_over_time() ${BY_OPERATION}`,
  latency: `{ ${REQUESTS} } | histogram_over_time(duration) ${BY_OPERATION}`,
} as const;

type QueryName = keyof typeof TEAM_QUERIES;
export type TeamSeries = Record<QueryName, MetricSeries[]>;

/** Operations listed in each of the two rankings. */
export const TOP_OPERATIONS = 10;
/** Steps per range: few, since only the totals are read (at least 15 s each). */
const STEPS = 30;

/** The step of the team queries: about 30 over the range, at least 15 s. */
export function teamStepSeconds(range: { start: number; end: number }) {
  return Math.max(15, Math.ceil((range.end - range.start) / STEPS));
}

/**
 * Most service names in one set of queries: each is a condition in the query Tempo receives in
 * its URL, which proxies in front of Tempo cap (often at 8 KiB).
 */
export const MAX_SERVICES_PER_QUERY = 100;

/**
 * Runs the team queries against the store: one set per tenant among the components (usually
 * one) and per hundred service names, all queries of a set at once. Returns the series of all
 * sets and the queries run.
 */
export async function queryTeamSeries(
  store: TraceStore,
  components: TeamComponent[],
  baseScope: TraceScope,
  range: { start: number; end: number },
  redact: (series: MetricSeries[]) => MetricSeries[],
): Promise<{ series: TeamSeries; queries: string[] }> {
  const byTenant = new Map<string | undefined, Set<string>>();
  for (const component of components) {
    const names = byTenant.get(component.scope.tenant) ?? new Set<string>();
    component.scope.serviceNames.forEach(name => names.add(name));
    byTenant.set(component.scope.tenant, names);
  }
  const series: TeamSeries = {
    spans: [],
    requests: [],
    errors: [],
    latency: [],
  };
  const queries: string[] = [];
  const sets = [...byTenant].flatMap(([tenant, names]) => {
    const sorted = [...names].sort();
    return Array.from(
      { length: Math.ceil(sorted.length / MAX_SERVICES_PER_QUERY) },
      (_, i) => ({
        tenant,
        serviceNames: sorted.slice(
          i * MAX_SERVICES_PER_QUERY,
          (i + 1) * MAX_SERVICES_PER_QUERY,
        ),
      }),
    );
  });
  await Promise.all(
    sets.flatMap(({ tenant, serviceNames }) => {
      const scope: TraceScope = {
        ...baseScope,
        serviceNames,
        ...(tenant && { tenant }),
      };
      return (Object.keys(TEAM_QUERIES) as QueryName[]).map(async name => {
        const response = await store.queryMetricsRange({
          scope,
          query: TEAM_QUERIES[name],
          ...range,
          stepSeconds: teamStepSeconds(range),
          exemplars: 0,
        });
        queries.push(response.query);
        series[name].push(...redact(response.series));
      });
    }),
  );
  return { series, queries: queries.sort() };
}

/** A series' samples added up over the range. */
function total(series: MetricSeries): number {
  let sum = 0;
  for (const { value } of series.samples) {
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/** Latency buckets (upper bound in seconds → requests), added up as series come. */
type Buckets = Map<number, number>;

function addBucket(buckets: Buckets, series: MetricSeries, count: number) {
  const bound = Number(series.labels.__bucket);
  if (!(bound > 0) || !(count > 0)) return;
  buckets.set(bound, (buckets.get(bound) ?? 0) + count);
}

/** p95 in milliseconds, as Tempo's quantile_over_time reads its buckets. */
function p95Ms(buckets: Buckets): number | undefined {
  return buckets.size ? log2Quantile(0.95, buckets) * 1000 : undefined;
}

interface ServiceKey {
  namespace?: string;
  name: string;
}

function serviceOf(series: MetricSeries): ServiceKey | undefined {
  const name = series.labels['resource.service.name'];
  if (name === undefined) return undefined;
  const namespace = series.labels['resource.service.namespace'];
  return {
    name: String(name),
    ...(namespace !== undefined && { namespace: String(namespace) }),
  };
}

/** The component claiming a service: its name listed, and its namespace when it sets one. */
function claimant(
  components: TeamComponent[],
  service: ServiceKey,
): TeamComponent | undefined {
  return components.find(
    ({ scope }) =>
      scope.serviceNames.includes(service.name) &&
      (!scope.serviceNamespace || scope.serviceNamespace === service.namespace),
  );
}

/** The rows of the team table and the two operation rankings, from the queries' series. */
export function summarizeTeam(
  components: TeamComponent[],
  series: TeamSeries,
  range: { start: number; end: number },
): {
  components: TeamComponentTraces[];
  slowestOperations: TeamOperation[];
  mostErroringOperations: TeamOperation[];
} {
  const seconds = range.end - range.start;
  const rows = new Map<string, Totals & { row: TeamComponentTraces }>(
    components.map(c => [
      c.entityRef,
      {
        ...emptyTotals(),
        row: {
          entityRef: c.entityRef,
          ...(c.title && { title: c.title }),
          ...(c.owner && { owner: c.owner }),
          serviceNames: c.scope.serviceNames,
          ...(c.scope.serviceNamespace && {
            serviceNamespace: c.scope.serviceNamespace,
          }),
          spanCount: 0,
          requestRate: 0,
          errorRate: 0,
        },
      },
    ]),
  );
  const operations = new Map<string, Totals & { op: TeamOperation }>();

  /** Calls `apply` with the totals of the component (and operation) a series belongs to. */
  function each(
    list: MetricSeries[],
    apply: (one: MetricSeries, component: Totals, op?: Totals) => void,
  ) {
    for (const one of list) {
      const service = serviceOf(one);
      const component = service && claimant(components, service);
      if (!component) continue;
      const opName = one.labels.name;
      let op: (Totals & { op: TeamOperation }) | undefined;
      if (opName !== undefined) {
        const key = JSON.stringify([
          component.entityRef,
          service.namespace,
          service.name,
          String(opName),
        ]);
        op = operations.get(key);
        if (!op) {
          op = {
            ...emptyTotals(),
            op: {
              entityRef: component.entityRef,
              serviceName: service.name,
              ...(service.namespace !== undefined && {
                serviceNamespace: service.namespace,
              }),
              name: String(opName),
              requestRate: 0,
              errorRate: 0,
            },
          };
          operations.set(key, op);
        }
      }
      apply(one, rows.get(component.entityRef)!, op);
    }
  }

  each(series.spans, (one, component) => {
    component.spans += total(one);
  });
  each(series.requests, (one, component, op) => {
    const count = total(one);
    component.requests += count;
    if (op) op.requests += count;
  });
  each(series.errors, (one, component, op) => {
    const count = total(one);
    component.errors += count;
    if (op) op.errors += count;
  });
  each(series.latency, (one, component, op) => {
    const count = total(one);
    addBucket(component.buckets, one, count);
    if (op) addBucket(op.buckets, one, count);
  });

  const finish = (
    totals: Totals,
    item: TeamComponentTraces | TeamOperation,
  ) => {
    item.requestRate = totals.requests / seconds;
    item.errorRate = totals.errors / seconds;
    if (totals.requests > 0) {
      item.errorRatio = Math.min(1, totals.errors / totals.requests);
    }
    const p95 = p95Ms(totals.buckets);
    if (p95 !== undefined) item.p95Ms = p95;
  };
  const componentRows = [...rows.values()].map(totals => {
    totals.row.spanCount = totals.spans;
    finish(totals, totals.row);
    return totals.row;
  });
  const ops = [...operations.values()].map(totals => {
    finish(totals, totals.op);
    return totals.op;
  });
  return {
    components: componentRows.sort(
      (a, b) =>
        b.requestRate - a.requestRate ||
        b.spanCount - a.spanCount ||
        a.entityRef.localeCompare(b.entityRef),
    ),
    slowestOperations: ops
      .filter(op => op.p95Ms !== undefined)
      .sort((a, b) => b.p95Ms! - a.p95Ms! || a.name.localeCompare(b.name))
      .slice(0, TOP_OPERATIONS),
    mostErroringOperations: ops
      .filter(op => op.errorRate > 0)
      .sort(
        (a, b) =>
          b.errorRate - a.errorRate ||
          (b.errorRatio ?? 0) - (a.errorRatio ?? 0) ||
          a.name.localeCompare(b.name),
      )
      .slice(0, TOP_OPERATIONS),
  };
}

/** What a component or operation adds up before its rates and p95 are known. */
interface Totals {
  spans: number;
  requests: number;
  errors: number;
  buckets: Buckets;
}

function emptyTotals(): Totals {
  return { spans: 0, requests: 0, errors: 0, buckets: new Map() };
}
