import type {
  MetricInstantSeries,
  TeamComponentTraces,
  TeamOperation,
} from '@backstage-traces/plugin-traces-common';
import type {
  TraceScope,
  TraceStore,
} from '@backstage-traces/plugin-traces-node';
import type { TeamComponent } from './resolveTeam';

const BY_SERVICE = 'by (resource.service.namespace, resource.service.name)';
const BY_OPERATION = `by (resource.service.namespace, resource.service.name, name)`;
/** The requests a service serves: what its callers wait for. */
const REQUESTS = 'kind = server || kind = consumer';

/**
 * The team view's TraceQL metrics: one query per function over all the team's services at
 * once, split by service (and operation) with `by()`, never one query per component. The
 * store narrows each to the team's service names and the configured environment and cluster.
 */
export const TEAM_QUERIES = {
  /** Whether a service has traces at all (any span kind). */
  spans: `{ } | count_over_time() ${BY_SERVICE}`,
  requests: `{ ${REQUESTS} } | rate() ${BY_OPERATION}`,
  errors: `{ (${REQUESTS}) && status = error } | rate() ${BY_OPERATION}`,
  p95: `{ ${REQUESTS} } | quantile_over_time(duration, 0.95) ${BY_SERVICE}`,
  operationP95: `{ ${REQUESTS} } | quantile_over_time(duration, 0.95) ${BY_OPERATION}`,
} as const;

type QueryName = keyof typeof TEAM_QUERIES;
export type TeamSeries = Record<QueryName, MetricInstantSeries[]>;

/** Operations listed in each of the two rankings. */
export const TOP_OPERATIONS = 10;

/**
 * Runs the team queries against the store: one set per tenant among the components (usually
 * one), all queries of a set at once. Returns the series of all sets and the queries run.
 */
export async function queryTeamSeries(
  store: TraceStore,
  components: TeamComponent[],
  baseScope: TraceScope,
  range: { start: number; end: number },
  redact: (series: MetricInstantSeries[]) => MetricInstantSeries[],
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
    p95: [],
    operationP95: [],
  };
  const queries: string[] = [];
  await Promise.all(
    [...byTenant].flatMap(([tenant, names]) => {
      const scope: TraceScope = {
        ...baseScope,
        serviceNames: [...names].sort(),
        ...(tenant && { tenant }),
      };
      return (Object.keys(TEAM_QUERIES) as QueryName[]).map(async name => {
        const response = await store.queryMetricsInstant({
          scope,
          query: TEAM_QUERIES[name],
          ...range,
        });
        queries.push(response.query);
        series[name].push(...redact(response.series));
      });
    }),
  );
  return { series, queries: queries.sort() };
}

interface ServiceKey {
  namespace?: string;
  name: string;
}

function serviceOf(series: MetricInstantSeries): ServiceKey | undefined {
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

const finite = (value: number) => Number.isFinite(value);
const ratio = (errors: number, requests: number) =>
  requests > 0 ? Math.min(1, errors / requests) : undefined;

/** The rows of the team table and the two operation rankings, from the queries' series. */
export function summarizeTeam(
  components: TeamComponent[],
  series: TeamSeries,
): {
  components: TeamComponentTraces[];
  slowestOperations: TeamOperation[];
  mostErroringOperations: TeamOperation[];
} {
  const rows = new Map<string, TeamComponentTraces>(
    components.map(c => [
      c.entityRef,
      {
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
    ]),
  );
  const operations = new Map<string, TeamOperation>();

  /** Calls `apply` with the row (and operation) a series belongs to, if any. */
  function each(
    list: MetricInstantSeries[],
    apply: (
      row: TeamComponentTraces,
      value: number,
      op?: TeamOperation,
    ) => void,
  ) {
    for (const one of list) {
      const service = serviceOf(one);
      const component = service && claimant(components, service);
      if (!component || !finite(one.value)) continue;
      const row = rows.get(component.entityRef)!;
      const opName = one.labels.name;
      let op: TeamOperation | undefined;
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
            entityRef: component.entityRef,
            serviceName: service.name,
            ...(service.namespace !== undefined && {
              serviceNamespace: service.namespace,
            }),
            name: String(opName),
            requestRate: 0,
            errorRate: 0,
          };
          operations.set(key, op);
        }
      }
      apply(row, one.value, op);
    }
  }

  each(series.spans, (row, value) => {
    row.spanCount += value;
  });
  each(series.requests, (row, value, op) => {
    row.requestRate += value;
    if (op) op.requestRate += value;
  });
  each(series.errors, (row, value, op) => {
    row.errorRate += value;
    if (op) op.errorRate += value;
  });
  each(series.p95, (row, value) => {
    row.p95Ms = Math.max(row.p95Ms ?? 0, value * 1000);
  });
  each(series.operationP95, (_row, value, op) => {
    if (op) op.p95Ms = Math.max(op.p95Ms ?? 0, value * 1000);
  });

  for (const item of [...rows.values(), ...operations.values()]) {
    const errorRatio = ratio(item.errorRate, item.requestRate);
    if (errorRatio !== undefined) item.errorRatio = errorRatio;
  }
  const ops = [...operations.values()];
  return {
    components: [...rows.values()].sort(
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
