/**
 * A resource attribute every span in scope must carry with exactly this value, such as the
 * configured environment (`deployment.environment = "prod"`) or cluster.
 *
 * @public
 */
export interface ResourceAttributeMatch {
  /** The attribute name without a scope prefix, e.g. `deployment.environment`. */
  attribute: string;
  value: string;
}

/**
 * Which spans a request may see, as data. The plugin builds it from the catalog entity (its
 * `opentelemetry.io/service-name` and `-namespace` annotations) and the configured defaults,
 * after the permission checks; a store applies it however suits it (Tempo puts it into every
 * spanset filter of the TraceQL it sends, a SQL store into its WHERE clause). It is never
 * TraceQL text, so a store need not parse what the plugin wrote.
 *
 * A span is in scope when all of these hold:
 * - `serviceNames` is undefined, or its `resource.service.name` is one of them;
 * - `serviceNamespace` is undefined, or its `resource.service.namespace` equals it;
 * - its resource carries every attribute of `environment` and `cluster` that is set.
 *
 * @public
 */
export interface TraceScope {
  /**
   * The entity's service names (never empty when set). Undefined for an unscoped request,
   * which the plugin allows only to holders of the `traces.query` permission.
   */
  serviceNames?: readonly string[];
  /** The entity's `service.namespace`, when it sets one. */
  serviceNamespace?: string;
  /** The environment filter (`traces.environment`, or the one the user picked). */
  environment?: ResourceAttributeMatch;
  /** The cluster filter (`traces.cluster`). */
  cluster?: ResourceAttributeMatch;
  /**
   * The tenant to read (Tempo's `X-Scope-OrgID`): the entity's `grafana.com/tempo-tenant`
   * annotation. Undefined means the store's configured default; a store without tenants
   * ignores it.
   */
  tenant?: string;
}
