import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getEntityPeerNames,
  getEntityServiceScope,
  TRACES_PEER_NAMES_ANNOTATION,
  TRACES_SERVICE_NAME_ANNOTATION,
  type ServiceOwner,
} from '@backstage-traces/plugin-traces-common';

export interface OwnerLookup {
  /** Entities claiming a service; with a namespace, claims of that namespace come first. */
  ownersOf(serviceName: string, serviceNamespace?: string): ServiceOwner[];
  /** The entity claiming an uninstrumented peer's name, and the name its node goes by. */
  peerOf(name: string): PeerClaim | undefined;
  /** The graph nodes an entity claims (its service names, else its peer node), by ref. */
  claimOf(entityRef: string): EntityClaim | undefined;
}

export interface EntityClaim {
  nodes: string[];
  owner: ServiceOwner;
}

export interface PeerClaim {
  /** The first name in the entity's peer-names annotation: one node for all its names. */
  node: string;
  owner: ServiceOwner;
}

interface Claims {
  /** `namespace\u0000name` for namespaced claims, `name` for bare ones. */
  byKey: Map<string, ServiceOwner[]>;
  /** Peer name → claim; the first entity (by ref) wins a name claimed twice. */
  byPeer: Map<string, PeerClaim>;
  byEntity: Map<string, EntityClaim>;
}

const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * Maps `service.name` (and namespace) to the catalog entities that claim it through the
 * annotation. The whole mapping is read with the plugin's own credentials and cached: one
 * catalog query every few minutes serves every trace, span and graph node. A stale mapping
 * keeps serving while a refresh runs; a failed refresh keeps the last good one.
 */
export class ServiceOwnerResolver {
  private claims?: Claims;
  private loadedAt = 0;
  private loading?: Promise<Claims>;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      ttlMs?: number;
    },
  ) {}

  async lookup(): Promise<OwnerLookup> {
    const claims = await this.current();
    return {
      ownersOf: (serviceName, serviceNamespace) => {
        const bare = claims.byKey.get(serviceName) ?? [];
        if (!serviceNamespace) return bare;
        const namespaced =
          claims.byKey.get(`${serviceNamespace}\u0000${serviceName}`) ?? [];
        return namespaced.length ? [...namespaced, ...bare] : bare;
      },
      peerOf: name => claims.byPeer.get(name),
      claimOf: entityRef => claims.byEntity.get(entityRef),
    };
  }

  /**
   * The claimants of one service that the caller may read in the catalog: the mapping is read
   * with the plugin's credentials, so each answer is filtered by the caller's own.
   */
  async readableOwnersOf(
    credentials: BackstageCredentials,
    serviceName: string,
    serviceNamespace?: string,
  ): Promise<ServiceOwner[]> {
    const owners = (await this.lookup()).ownersOf(
      serviceName,
      serviceNamespace,
    );
    if (owners.length === 0) return [];
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: owners.map(owner => owner.entityRef),
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    return owners.filter((_owner, index) => Boolean(items[index]));
  }

  private async current(): Promise<Claims> {
    const fresh =
      Date.now() - this.loadedAt < (this.deps.ttlMs ?? DEFAULT_TTL_MS);
    if (this.claims && fresh) return this.claims;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    if (this.claims) {
      // Serve the stale mapping; the refresh lands for the next request.
      this.loading.catch(() => {});
      return this.claims;
    }
    return this.loading;
  }

  private async load(): Promise<Claims> {
    try {
      const credentials = await this.deps.auth.getOwnServiceCredentials();
      const { items } = await this.deps.catalog.getEntities(
        {
          // Entities with either annotation (a list of filters is an OR).
          filter: [
            {
              [`metadata.annotations.${TRACES_SERVICE_NAME_ANNOTATION}`]:
                CATALOG_FILTER_EXISTS,
            },
            {
              [`metadata.annotations.${TRACES_PEER_NAMES_ANNOTATION}`]:
                CATALOG_FILTER_EXISTS,
            },
          ],
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'metadata.annotations',
            'spec.owner',
          ],
        },
        { credentials },
      );
      this.claims = buildClaims(items);
      this.loadedAt = Date.now();
      return this.claims;
    } catch (error) {
      this.deps.logger.warn(
        `Could not load service owners from the catalog: ${error}`,
      );
      if (this.claims) return this.claims;
      // Without any mapping, answer "no owners" now and try again on the next request.
      return { byKey: new Map(), byPeer: new Map(), byEntity: new Map() };
    }
  }
}

export function buildClaims(entities: Entity[]): Claims {
  const byKey = new Map<string, ServiceOwner[]>();
  const byPeer = new Map<string, PeerClaim>();
  const byEntity = new Map<string, EntityClaim>();
  const sorted = [...entities].sort((a, b) =>
    stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
  );
  for (const entity of sorted) {
    const scope = getEntityServiceScope(entity);
    const owner: ServiceOwner = {
      entityRef: stringifyEntityRef(entity),
      ...(entity.metadata.title && { title: entity.metadata.title }),
      ...(typeof entity.spec?.owner === 'string' && {
        owner: entity.spec.owner,
      }),
    };
    for (const name of scope.serviceNames) {
      const key = scope.serviceNamespace
        ? `${scope.serviceNamespace}\u0000${name}`
        : name;
      const list = byKey.get(key) ?? [];
      list.push(owner);
      byKey.set(key, list);
    }
    const peers = getEntityPeerNames(entity);
    for (const name of peers) {
      if (!byPeer.has(name)) byPeer.set(name, { node: peers[0], owner });
    }
    const nodes = scope.serviceNames.length
      ? scope.serviceNames
      : peers.slice(0, 1);
    if (nodes.length) byEntity.set(owner.entityRef, { nodes, owner });
  }
  for (const list of byKey.values()) {
    list.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }
  return { byKey, byPeer, byEntity };
}
