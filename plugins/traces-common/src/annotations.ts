import type { Entity } from '@backstage/catalog-model';

/** The OpenTelemetry `service.name` (or a comma-separated list) that an entity emits. */
export const TRACES_SERVICE_NAME_ANNOTATION = 'opentelemetry.io/service-name';
/** Optional `service.namespace` that narrows the service names above. */
export const TRACES_SERVICE_NAMESPACE_ANNOTATION =
  'opentelemetry.io/service-namespace';
/** Optional Tempo tenant, sent as `X-Scope-OrgID` for multi-tenant Tempo. */
export const TRACES_TEMPO_TENANT_ANNOTATION = 'grafana.com/tempo-tenant';

/**
 * Names under which traces show an uninstrumented peer that the entity is (a database, a
 * queue, an external API), comma-separated: the values of `peer.service`, `db.namespace` /
 * `db.name`, `server.address` or `messaging.destination.name` that calls to it carry. The
 * service graph shows all of them as one node, named by the first, owned by the entity.
 */
export const TRACES_PEER_NAMES_ANNOTATION = 'backstage-traces.io/peer-names';

/** The services an entity claims, with its namespace and tenant, read from its annotations. */
export interface EntityServiceScope {
  serviceNames: string[];
  serviceNamespace?: string;
  tenant?: string;
}

/** Splits the service-name annotation on commas; blanks and duplicates are dropped. */
export function parseServiceNames(value: string | undefined): string[] {
  if (!value) return [];
  const names = value
    .split(',')
    .map(name => name.trim())
    .filter(name => name.length > 0);
  return [...new Set(names)];
}

/** The peer names an entity claims (see TRACES_PEER_NAMES_ANNOTATION), first one first. */
export function getEntityPeerNames(entity: Entity): string[] {
  return parseServiceNames(
    entity.metadata.annotations?.[TRACES_PEER_NAMES_ANNOTATION],
  );
}

export function getEntityServiceScope(entity: Entity): EntityServiceScope {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[TRACES_SERVICE_NAMESPACE_ANNOTATION]?.trim();
  const tenant = annotations[TRACES_TEMPO_TENANT_ANNOTATION]?.trim();
  return {
    serviceNames: parseServiceNames(
      annotations[TRACES_SERVICE_NAME_ANNOTATION],
    ),
    ...(namespace ? { serviceNamespace: namespace } : {}),
    ...(tenant ? { tenant } : {}),
  };
}

/** True when the entity names at least one service, i.e. when the Traces tab applies. */
export function isTracesAvailable(entity: Entity): boolean {
  return getEntityServiceScope(entity).serviceNames.length > 0;
}
