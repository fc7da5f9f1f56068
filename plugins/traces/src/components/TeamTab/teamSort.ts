import type { TeamComponentTraces } from '@backstage-traces/plugin-traces-common';

/** The sortable columns of the team table. */
export type TeamSortKey =
  | 'component'
  | 'owner'
  | 'requestRate'
  | 'errorRatio'
  | 'p95Ms';

export interface TeamSort {
  key: TeamSortKey;
  direction: 'asc' | 'desc';
}

/** Busiest first: what a team looks at before anything else. */
export const DEFAULT_TEAM_SORT: TeamSort = {
  key: 'requestRate',
  direction: 'desc',
};

const nameOf = (c: TeamComponentTraces) =>
  (c.title ?? c.entityRef).toLocaleLowerCase('en-US');

const VALUE: Record<
  TeamSortKey,
  (c: TeamComponentTraces) => string | number | undefined
> = {
  component: nameOf,
  owner: c => c.owner,
  requestRate: c => c.requestRate,
  errorRatio: c => c.errorRatio,
  p95Ms: c => c.p95Ms,
};

/**
 * Sorts the team's components by one column; components without a value (no requests, so no
 * error rate or p95) go last in either direction, ties by name.
 */
export function sortTeamComponents(
  components: TeamComponentTraces[],
  sort: TeamSort,
): TeamComponentTraces[] {
  const value = VALUE[sort.key];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...components].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
      return nameOf(a).localeCompare(nameOf(b));
    }
    const order =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y));
    return sign * order || nameOf(a).localeCompare(nameOf(b));
  });
}

/** A click on a column: the same column flips, another starts in its natural direction. */
export function nextTeamSort(current: TeamSort, key: TeamSortKey): TeamSort {
  if (current.key === key) {
    return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  }
  return {
    key,
    direction: key === 'component' || key === 'owner' ? 'asc' : 'desc',
  };
}
