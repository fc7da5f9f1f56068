import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_PROVIDES_API,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { CallerCache } from '../service/CallerCache';

/** Declared through `spec.dependsOn` (either side's relation). */
export const VIA_DEPENDS_ON = 'dependsOn';

/** `source` depends on `target`, as the catalog declares it. */
export interface DeclaredDependency {
  source: string;
  target: string;
  /** `dependsOn`, or the ref of an API `source` consumes and `target` provides. */
  via: string[];
}

const RELATION_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'relations',
];

/** Dependencies of all remembered reads together; the oldest reads go first. */
const MAX_CACHED_DEPENDENCIES = 100_000;

/**
 * readDeclaredDependencies, each answer reused for the same caller and entities for
 * `cacheTtlMs` (traces.limits.accessCacheTtl, as the access decisions): the two catalog
 * reads cost several times the rest of a service-graph answer (a token, an HTTP round trip
 * and the catalog's permission check each), and the dependency view asks for the same
 * entities again with every change of range or depth.
 */
export class DeclaredDependencyReader {
  private readonly reads: CallerCache<DeclaredDependency[], string[]>;

  constructor(deps: {
    catalog: CatalogService;
    /** 0 or unset: every request reads the catalog. */
    cacheTtlMs?: number;
  }) {
    this.reads = new CallerCache({
      ttlMs: deps.cacheTtlMs,
      load: (credentials, refs) =>
        readDeclaredDependencies(deps.catalog, credentials, refs),
      keyOf: refs => refs.join('\n'),
      maxSize: MAX_CACHED_DEPENDENCIES,
      size: dependencies => 1 + dependencies.length,
    });
  }

  read(
    credentials: BackstageCredentials,
    entityRefs: readonly string[],
  ): Promise<DeclaredDependency[]> {
    return this.reads.get(credentials, [...new Set(entityRefs)].sort());
  }
}

/**
 * The dependencies the catalog declares of and on `entityRefs`: their `dependsOn` and
 * `dependencyOf` relations, and the APIs they consume or provide resolved to the entities on
 * the other side (`apiProvidedBy`, `apiConsumedBy`). Relations carry full refs, so namespaces
 * and defaults are as the catalog resolved them. Two catalog reads with the caller's
 * credentials: the entities, then their APIs; what the caller cannot read is left out.
 */
export async function readDeclaredDependencies(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  entityRefs: readonly string[],
): Promise<DeclaredDependency[]> {
  const refs = [...new Set(entityRefs)];
  if (refs.length === 0) return [];
  const entities = await readEntities(catalog, credentials, refs);
  const apiRefs = new Set<string>();
  for (const entity of entities.values()) {
    for (const r of entity.relations ?? []) {
      if (r.type === RELATION_CONSUMES_API || r.type === RELATION_PROVIDES_API)
        apiRefs.add(r.targetRef);
    }
  }
  const apis = await readEntities(catalog, credentials, [...apiRefs]);
  return declaredDependencies(entities, apis);
}

async function readEntities(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  refs: string[],
): Promise<Map<string, Entity>> {
  if (refs.length === 0) return new Map();
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs, fields: RELATION_FIELDS },
    { credentials },
  );
  const entities = new Map<string, Entity>();
  items.forEach((item, index) => {
    if (item) entities.set(refs[index], item);
  });
  return entities;
}

/** The pure part of `readDeclaredDependencies`: relations (by entity ref) to dependencies. */
export function declaredDependencies(
  entities: ReadonlyMap<string, Entity>,
  apis: ReadonlyMap<string, Entity>,
): DeclaredDependency[] {
  const found = new Map<string, DeclaredDependency>();
  const add = (source: string, target: string, via: string) => {
    if (source === target) return;
    const key = JSON.stringify([source, target]);
    const existing = found.get(key);
    if (!existing) found.set(key, { source, target, via: [via] });
    else if (!existing.via.includes(via)) existing.via.push(via);
  };
  const related = (entity: Entity | undefined, type: string) =>
    (entity?.relations ?? [])
      .filter(r => r.type === type)
      .map(r => r.targetRef);

  for (const [ref, entity] of entities) {
    for (const target of related(entity, RELATION_DEPENDS_ON))
      add(ref, target, VIA_DEPENDS_ON);
    for (const source of related(entity, RELATION_DEPENDENCY_OF))
      add(source, ref, VIA_DEPENDS_ON);
    for (const api of related(entity, RELATION_CONSUMES_API)) {
      for (const provider of related(apis.get(api), RELATION_API_PROVIDED_BY))
        add(ref, provider, api);
    }
    for (const api of related(entity, RELATION_PROVIDES_API)) {
      for (const consumer of related(apis.get(api), RELATION_API_CONSUMED_BY))
        add(consumer, ref, api);
    }
  }
  return [...found.values()].map(d => ({ ...d, via: d.via.sort() }));
}
