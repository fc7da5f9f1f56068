/**
 * The team view, `GET /api/traces/team?entityRef=group:…`: every traced component a group owns
 * (directly or through its child groups) with its RED figures from TraceQL metrics, and the
 * slowest and most erroring operations across them.
 */

/** One component of the team with its requests over the range. */
export interface TeamComponentTraces {
  entityRef: string;
  title?: string;
  /** The group that owns it (the team or one of its child groups). */
  owner?: string;
  serviceNames: string[];
  serviceNamespace?: string;
  /**
   * Spans of any kind in the range; 0 means the store has no traces of the component's
   * services in the range (a wrong annotation, or the service is idle).
   */
  spanCount: number;
  /** Requests served (server and consumer spans) per second over the range. */
  requestRate: number;
  /** Errors among those requests per second. */
  errorRate: number;
  /** `errorRate / requestRate`; undefined without requests. */
  errorRatio?: number;
  /**
   * 95th percentile duration of the requests, in milliseconds, from power-of-two latency
   * buckets as Tempo computes quantiles (all of the component's services together).
   * Undefined without requests.
   */
  p95Ms?: number;
}

/** One operation (span name of a served request) of one of the team's services. */
export interface TeamOperation {
  entityRef: string;
  serviceName: string;
  serviceNamespace?: string;
  /** The span name, e.g. `GET /api/orders`. */
  name: string;
  requestRate: number;
  errorRate: number;
  errorRatio?: number;
  p95Ms?: number;
}

export interface TeamTracesResponse {
  /** The group, e.g. `group:default/shop-team`. */
  entityRef: string;
  /** The group and its child groups that were searched for owned components. */
  groups: string[];
  /** True when child groups deeper or more numerous than the limits were left out. */
  groupsTruncated: boolean;
  /** Epoch seconds. */
  start: number;
  end: number;
  /** Traced components the caller may read, most requests first. */
  components: TeamComponentTraces[];
  /** Operations by p95, slowest first (at most 10). */
  slowestOperations: TeamOperation[];
  /** Operations with errors, most errors per second first (at most 10). */
  mostErroringOperations: TeamOperation[];
  /** Owned components without the `opentelemetry.io/service-name` annotation. */
  unannotated: Array<{ entityRef: string; title?: string }>;
  /** Owned, annotated components whose traces the caller may not read (`traces.entity.read`). */
  deniedCount: number;
  /** The TraceQL metrics queries the store ran: four per tenant, whatever the components. */
  queries: string[];
}
