import type { LoggerService } from '@backstage/backend-plugin-api';
import type { UnknownServices } from '@backstage-traces/plugin-traces-common';
import type { TraceStore } from '@backstage-traces/plugin-traces-node';
import { distance } from 'fastest-levenshtein';
import type { Access } from './AccessResolver';

/** How many of Tempo's service names are offered in place of an unknown one. */
const MAX_CLOSEST = 5;

/**
 * Why an entity's search found nothing, when the reason is the annotation: the annotated
 * `service.name` values that Tempo has not seen in the range, and the closest ones it has.
 * The most common first-day problem (a typo, or the deployment's name instead of the SDK's
 * `service.name`). Undefined when every annotated name is known, or when Tempo cannot say;
 * the empty search result stands on its own then.
 */
export async function findUnknownServices(
  store: TraceStore,
  access: Access,
  range: { start: number; end: number },
  logger: LoggerService,
): Promise<UnknownServices | undefined> {
  if (access.kind !== 'entity') return undefined;
  let known: string[];
  try {
    // Every service of the entity's tenant: the scope is the tenant alone.
    const answer = await store.getTagValues({
      scope: access.scope.tenant ? { tenant: access.scope.tenant } : {},
      tag: 'resource.service.name',
      start: range.start,
      end: range.end,
    });
    known = answer.values.flatMap(v => (v.value ? [v.value] : []));
  } catch (error) {
    logger.warn(`Could not list the trace store's service names: ${error}`);
    return undefined;
  }
  const knownSet = new Set(known);
  const names = access.scope.serviceNames.filter(name => !knownSet.has(name));
  if (names.length === 0) return undefined;
  return { names, closest: closestNames(names, known) };
}

/** Known names by their smallest edit distance (relative to length) to any unknown name. */
export function closestNames(unknown: string[], known: string[]): string[] {
  const score = (candidate: string) =>
    Math.min(
      ...unknown.map(name => {
        const [a, b] = [name.toLowerCase(), candidate.toLowerCase()];
        const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
        // "checkout" for "checkout-api": containment counts half of the extra characters.
        if (shorter.length >= 3 && longer.includes(shorter)) {
          return (longer.length - shorter.length) / longer.length / 2;
        }
        return distance(a, b) / longer.length;
      }),
    );
  return known
    .map(name => ({ name, score: score(name) }))
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, MAX_CLOSEST)
    .map(({ name }) => name);
}
