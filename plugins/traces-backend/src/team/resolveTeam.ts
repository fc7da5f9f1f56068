import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_PARENT_OF,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  tracesEntityReadPermission,
  type EntityServiceScope,
} from '@backstage-traces/plugin-traces-common';
import { readEntityScope } from '../service/entityScope';

/** How far below the team child groups are followed (department → team → squad …). */
export const MAX_GROUP_DEPTH = 5;
/** Most groups searched for owned components; a larger tree is cut (and said so). */
export const MAX_GROUPS = 100;
/** Most components one team view reads; more is almost surely a misconfigured owner. */
export const MAX_COMPONENTS = 500;

export interface TeamComponent {
  entityRef: string;
  title?: string;
  owner?: string;
  scope: EntityServiceScope;
}

export interface ResolvedTeam {
  entityRef: string;
  groups: string[];
  groupsTruncated: boolean;
  /** Traced components whose traces the caller may read. */
  components: TeamComponent[];
  unannotated: Array<{ entityRef: string; title?: string }>;
  deniedCount: number;
}

const GROUP_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'relations',
];
const COMPONENT_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
];

/**
 * The components a group owns, directly or through its child groups (`parentOf` relations,
 * breadth first, bounded), read from the catalog with the caller's own credentials so catalog
 * read rules apply; of the annotated ones, those the caller may read traces of
 * (`traces.entity.read`, one batched decision).
 */
export async function resolveTeam(
  deps: { catalog: CatalogService; permissions: PermissionsService },
  credentials: BackstageCredentials,
  groupRef: string,
): Promise<ResolvedTeam> {
  const ref = parseGroupRef(groupRef);
  const group = await deps.catalog.getEntityByRef(ref, { credentials });
  if (!group) throw new NotFoundError(`Entity ${ref} not found in the catalog`);

  const { groups, truncated } = await childGroups(
    deps.catalog,
    credentials,
    group,
  );
  const { items } = await deps.catalog.getEntities(
    {
      // The array last: an OR over the groups, for any of which the component is ownedBy.
      filter: { kind: 'component', 'relations.ownedBy': groups },
      fields: COMPONENT_FIELDS,
      limit: MAX_COMPONENTS,
    },
    { credentials },
  );

  const annotated: TeamComponent[] = [];
  const unannotated: ResolvedTeam['unannotated'] = [];
  for (const entity of items.sort(byRef)) {
    const entityRef = stringifyEntityRef(entity);
    const title = entity.metadata.title;
    // An annotation no query can carry fails the view with a 400 naming the component.
    const scope = readEntityScope(entityRef, entity);
    if (scope.serviceNames.length === 0) {
      unannotated.push({ entityRef, ...(title && { title }) });
      continue;
    }
    annotated.push({
      entityRef,
      ...(title && { title }),
      ...(typeof entity.spec?.owner === 'string' && {
        owner: entity.spec.owner,
      }),
      scope,
    });
  }

  const decisions = annotated.length
    ? await deps.permissions.authorize(
        annotated.map(c => ({
          permission: tracesEntityReadPermission,
          resourceRef: c.entityRef,
        })),
        { credentials },
      )
    : [];
  const components = annotated.filter(
    (_c, index) => decisions[index].result === AuthorizeResult.ALLOW,
  );
  return {
    entityRef: ref,
    groups,
    groupsTruncated: truncated,
    components,
    unannotated,
    deniedCount: annotated.length - components.length,
  };
}

function parseGroupRef(groupRef: string): string {
  let ref;
  try {
    ref = parseEntityRef(groupRef, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `Invalid entityRef '${groupRef}': ${(error as Error).message}`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(
      `The team view needs a Group entity, got ${stringifyEntityRef(ref)}`,
    );
  }
  return stringifyEntityRef(ref);
}

/** The group and its descendants, one catalog read per level, cycles and limits respected. */
async function childGroups(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  root: Entity,
): Promise<{ groups: string[]; truncated: boolean }> {
  const seen = new Set([stringifyEntityRef(root)]);
  const groups = [stringifyEntityRef(root)];
  let level = [root];
  let truncated = false;
  for (let depth = 1; level.length > 0; depth++) {
    const next = new Set<string>();
    for (const group of level) {
      for (const relation of group.relations ?? []) {
        if (
          relation.type === RELATION_PARENT_OF &&
          !seen.has(relation.targetRef)
        ) {
          next.add(relation.targetRef);
        }
      }
    }
    if (next.size === 0) break;
    if (depth > MAX_GROUP_DEPTH || seen.size + next.size > MAX_GROUPS) {
      truncated = true;
      break;
    }
    for (const refOfChild of next) seen.add(refOfChild);
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: [...next], fields: GROUP_FIELDS },
      { credentials },
    );
    // Unreadable children are null: the caller sees neither them nor what they own.
    level = items.filter((item): item is Entity => Boolean(item));
    groups.push(...level.map(item => stringifyEntityRef(item)));
  }
  return { groups, truncated };
}

function byRef(a: Entity, b: Entity) {
  return stringifyEntityRef(a).localeCompare(stringifyEntityRef(b));
}
