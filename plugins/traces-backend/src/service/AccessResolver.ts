import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_HAS_PART,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Request } from 'express';
import { CallerCache } from './CallerCache';
import {
  TRACES_SERVICE_NAME_ANNOTATION,
  tracesEntityReadPermission,
  tracesQueryPermission,
  type EntityServiceScope,
} from '@backstage-traces/plugin-traces-common';
import { resolveTeam, type ResolvedTeam } from '../team/resolveTeam';
import { readEntityScope } from './entityScope';

/** What a request may read: one entity's services, or anything (unscoped TraceQL). */
export type Access =
  | {
      kind: 'entity';
      credentials: BackstageCredentials;
      entity: Entity;
      entityRef: string;
      scope: EntityServiceScope;
      /**
       * For a System resolved with `{ system: true }`: its components whose traces the caller
       * may read, each with its own scope; `scope` is then their union.
       */
      parts?: AccessPart[];
    }
  | { kind: 'unscoped'; credentials: BackstageCredentials };

export interface AccessPart {
  entityRef: string;
  scope: EntityServiceScope;
}

/** What a cached decision holds: everything of an Access but the request's credentials. */
type Decision<A = Access> = A extends Access ? Omit<A, 'credentials'> : never;

interface DecisionRequest {
  entityRef?: string;
  system?: boolean;
}

/** Distinct users × entities remembered at once; the oldest go first. */
const MAX_CACHED_DECISIONS = 10_000;
/** Components (and groups) of all remembered team views together. */
const MAX_CACHED_TEAM_ROWS = 100_000;

/**
 * Turns a request (and its optional `entityRef`) into an Access decision. The entity is read
 * from the catalog with the caller's own credentials, so catalog read rules apply, and its
 * annotation is read here, server-side: the browser never chooses which services it sees.
 *
 * A decision (entity, annotation, permission) is reused for the same user and entity for
 * `cacheTtlMs` (a few seconds): a page load sends several requests for one entity, and the
 * catalog and permission round trips would otherwise cost more than a small Tempo answer.
 * Concurrent requests share one resolution; failures are not kept.
 */
export class AccessResolver {
  private readonly decisions: CallerCache<Decision, DecisionRequest>;
  private readonly teams: CallerCache<ResolvedTeam, string>;

  constructor(
    private readonly deps: {
      httpAuth: HttpAuthService;
      catalog: CatalogService;
      permissions: PermissionsService;
      /** 0 or unset: every request resolves afresh. */
      cacheTtlMs?: number;
    },
  ) {
    this.decisions = new CallerCache({
      ttlMs: deps.cacheTtlMs,
      load: (credentials, request) => this.decide(credentials, request),
      keyOf: ({ entityRef, system }) => `${entityRef ?? ''}\n${!!system}`,
      maxSize: MAX_CACHED_DECISIONS,
    });
    this.teams = new CallerCache({
      ttlMs: deps.cacheTtlMs,
      load: (credentials, groupRef) =>
        resolveTeam(this.deps, credentials, groupRef),
      keyOf: groupRef => groupRef,
      // Bounded by what they hold: a team may list hundreds of components.
      maxSize: MAX_CACHED_TEAM_ROWS,
      size: team => 1 + team.components.length + team.unannotated.length,
    });
  }

  /**
   * `options.system`: a System entity stands for its components (`hasPart`), for views that
   * compare them as a whole (the system's dependencies). Other routes keep to one entity.
   */
  async resolve(
    req: Request,
    entityRef?: string,
    options: { system?: boolean } = {},
  ): Promise<Access> {
    const credentials = await this.deps.httpAuth.credentials(req);
    const decision = await this.decisions.get(credentials, {
      entityRef,
      system: options.system,
    });
    return { ...decision, credentials } as Access;
  }

  private async decide(
    credentials: BackstageCredentials,
    { entityRef, system }: DecisionRequest,
  ): Promise<Decision> {
    if (!entityRef) {
      await this.authorize(
        credentials,
        tracesQueryPermission,
        undefined,
        'You are not allowed to run TraceQL queries outside an entity (traces.query)',
      );
      return { kind: 'unscoped' };
    }

    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      );
    } catch (error) {
      throw new InputError(
        `Invalid entityRef '${entityRef}': ${(error as Error).message}`,
      );
    }
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity)
      throw new NotFoundError(`Entity ${ref} not found in the catalog`);

    await this.authorize(
      credentials,
      tracesEntityReadPermission,
      ref,
      `You are not allowed to read the traces of ${ref} (traces.entity.read)`,
    );

    if (system && entity.kind.toLocaleLowerCase('en-US') === 'system') {
      const parts = await this.readableParts(credentials, entity);
      return {
        kind: 'entity',
        entity,
        entityRef: ref,
        scope: unionScope(ref, parts),
        parts,
      };
    }

    const scope = readEntityScope(ref, entity);
    if (scope.serviceNames.length === 0) {
      throw new InputError(
        `Entity ${ref} has no '${TRACES_SERVICE_NAME_ANNOTATION}' annotation; add the service.name it emits`,
      );
    }
    return { kind: 'entity', entity, entityRef: ref, scope };
  }

  /**
   * The traced components a group owns (through its child groups too) whose traces the
   * caller may read; the catalog is read with the caller's credentials. Reused for the same
   * user and group for `cacheTtlMs`, as decisions are: a group's tree, its components and their
   * permission decisions are several catalog round trips.
   */
  async resolveTeam(req: Request, groupRef: string): Promise<ResolvedTeam> {
    const credentials = await this.deps.httpAuth.credentials(req);
    return this.teams.get(credentials, groupRef);
  }

  /**
   * The system's components the caller can read in the catalog and may read the traces of;
   * components without the annotation are kept (their declared dependencies count), with an
   * empty scope.
   */
  private async readableParts(
    credentials: BackstageCredentials,
    system: Entity,
  ): Promise<AccessPart[]> {
    const refs = [
      ...new Set(
        (system.relations ?? [])
          .filter(
            r =>
              r.type === RELATION_HAS_PART &&
              parseEntityRef(r.targetRef).kind === 'component',
          )
          .map(r => r.targetRef),
      ),
    ].sort();
    if (refs.length === 0) return [];
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    const readable = items.flatMap((item, index) =>
      item ? [{ entityRef: refs[index], entity: item }] : [],
    );
    const decisions = await this.deps.permissions.authorize(
      readable.map(({ entityRef }) => ({
        permission: tracesEntityReadPermission,
        resourceRef: entityRef,
      })),
      { credentials },
    );
    return readable.flatMap(({ entityRef, entity }, index) =>
      decisions[index].result === AuthorizeResult.ALLOW
        ? [{ entityRef, scope: readEntityScope(entityRef, entity) }]
        : [],
    );
  }

  private async authorize(
    credentials: BackstageCredentials,
    permission:
      | typeof tracesQueryPermission
      | typeof tracesEntityReadPermission,
    resourceRef: string | undefined,
    deniedMessage: string,
  ) {
    const [decision] =
      permission.type === 'resource'
        ? await this.deps.permissions.authorize(
            [{ permission, resourceRef: resourceRef! }],
            { credentials },
          )
        : await this.deps.permissions.authorize([{ permission }], {
            credentials,
          });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(deniedMessage);
    }
  }
}

/**
 * One scope for a system's components: every service name; the namespace when they all share
 * it (else names alone, wider); the tenant, which they must share (one query, one tenant).
 */
function unionScope(
  systemRef: string,
  parts: AccessPart[],
): EntityServiceScope {
  const traced = parts.filter(part => part.scope.serviceNames.length > 0);
  if (traced.length === 0) {
    throw new InputError(
      `System ${systemRef} has no component with the '${TRACES_SERVICE_NAME_ANNOTATION}' annotation whose traces you may read`,
    );
  }
  const tenants = [...new Set(traced.map(part => part.scope.tenant ?? ''))];
  if (tenants.length > 1) {
    throw new InputError(
      `The components of ${systemRef} keep their traces in different Tempo tenants (${tenants
        .map(t => t || 'the default')
        .join(', ')}); open each component's Dependencies instead`,
    );
  }
  const namespaces = new Set(traced.map(part => part.scope.serviceNamespace));
  const [namespace] = namespaces;
  return {
    serviceNames: [...new Set(traced.flatMap(part => part.scope.serviceNames))],
    ...(namespaces.size === 1 && namespace
      ? { serviceNamespace: namespace }
      : {}),
    ...(tenants[0] ? { tenant: tenants[0] } : {}),
  };
}
