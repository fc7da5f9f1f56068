import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getEntityServiceScope,
  TRACES_SERVICE_NAME_ANNOTATION,
  type ServiceOwner,
} from '@backstage-traces/plugin-traces-common';

export interface OwnerLookup {
  /** Entities claiming a service; with a namespace, claims of that namespace come first. */
  ownersOf(serviceName: string, serviceNamespace?: string): ServiceOwner[];
}

interface Claims {
  /** `namespace\u0000name` for namespaced claims, `name` for bare ones. */
  byKey: Map<string, ServiceOwner[]>;
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
          filter: {
            [`metadata.annotations.${TRACES_SERVICE_NAME_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
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
      return { byKey: new Map() };
    }
  }
}

export function buildClaims(entities: Entity[]): Claims {
  const byKey = new Map<string, ServiceOwner[]>();
  for (const entity of entities) {
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
  }
  for (const list of byKey.values()) {
    list.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }
  return { byKey };
}
