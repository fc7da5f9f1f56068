import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Request } from 'express';
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
    }
  | { kind: 'unscoped'; credentials: BackstageCredentials };

/**
 * Turns a request (and its optional `entityRef`) into an Access decision. The entity is read
 * from the catalog with the caller's own credentials, so catalog read rules apply, and its
 * annotation is read here, server-side: the browser never chooses which services it sees.
 */
export class AccessResolver {
  constructor(
    private readonly deps: {
      httpAuth: HttpAuthService;
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  async resolve(req: Request, entityRef?: string): Promise<Access> {
    const credentials = await this.deps.httpAuth.credentials(req);
    if (!entityRef) {
      await this.authorize(
        credentials,
        tracesQueryPermission,
        undefined,
        'You are not allowed to run TraceQL queries outside an entity (traces.query)',
      );
      return { kind: 'unscoped', credentials };
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

    const scope = readEntityScope(ref, entity);
    if (scope.serviceNames.length === 0) {
      throw new InputError(
        `Entity ${ref} has no '${TRACES_SERVICE_NAME_ANNOTATION}' annotation; add the service.name it emits`,
      );
    }
    return { kind: 'entity', credentials, entity, entityRef: ref, scope };
  }

  /**
   * The traced components a group owns (through its child groups too) whose traces the
   * caller may read; the catalog is read with the caller's credentials.
   */
  async resolveTeam(req: Request, groupRef: string): Promise<ResolvedTeam> {
    const credentials = await this.deps.httpAuth.credentials(req);
    return resolveTeam(this.deps, credentials, groupRef);
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
