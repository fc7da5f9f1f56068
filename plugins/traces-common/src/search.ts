/** The search document type of traced services (`search-backend-module-traces`). */
export const TRACES_SEARCH_TYPE = 'traces';

/**
 * One traced service as the search index holds it: found by its name, span names and HTTP
 * routes, shown with its owner and rates. One document per claiming entity, so each carries
 * that entity as its `authorization.resourceRef`.
 */
export interface TracesSearchDocument {
  /** The service name (with its namespace, when it has one). */
  title: string;
  /** Entity, owner, span names and routes: what a search matches. */
  text: string;
  /** The entity's Traces tab. */
  location: string;
  serviceName: string;
  serviceNamespace?: string;
  entityRef: string;
  entityTitle?: string;
  /** `spec.owner` of the entity, as written there. */
  owner?: string;
  /** Span names seen in the lookback window, sorted, at most 50. */
  spanNames: string[];
  /** `http.route` values seen in the lookback window, sorted, at most 50. */
  httpRoutes: string[];
  /** Server spans per second over the lookback window; absent when metrics failed. */
  requestRate?: number;
  /** Server spans with status error per second over the lookback window. */
  errorRate?: number;
  /** Minutes the names, routes and rates cover. */
  lookbackMinutes: number;
  authorization: { resourceRef: string };
}
