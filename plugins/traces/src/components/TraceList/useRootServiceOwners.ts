import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ServiceOwner,
  TraceSummary,
} from '@backstage-traces/plugin-traces-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { tracesApiRef } from '../../api';

export interface RootServiceOwners {
  /** Root service → the entities that claim it (empty: nobody does). */
  byService: ReadonlyMap<string, ServiceOwner[]>;
  /** Lookups of root services the answer did not resolve are still running. */
  loading: boolean;
}

/** At most this many root services are looked up one by one per result set. */
export const MAX_OWNER_LOOKUPS = 20;

/**
 * The claimants of each distinct root service of a result set, from the owners the search
 * answer carries in its per-service stats. A root service missing there (its root span came
 * from a service Tempo's stats left out) is looked up once per result set, at most
 * {@link MAX_OWNER_LOOKUPS} of them, so rows never fetch while they scroll into view.
 */
export function rootServiceOwners(traces: TraceSummary[]): {
  known: Map<string, ServiceOwner[]>;
  missing: string[];
} {
  const known = new Map<string, ServiceOwner[]>();
  const roots = new Set<string>();
  for (const trace of traces) {
    if (trace.rootServiceName) roots.add(trace.rootServiceName);
    for (const service of trace.services) {
      if (service.owners && !known.has(service.name)) {
        known.set(service.name, service.owners);
      }
    }
  }
  const missing = [...roots].filter(name => !known.has(name)).sort();
  return { known, missing };
}

export function useRootServiceOwners(
  traces: TraceSummary[] | undefined,
  enabled: boolean,
): RootServiceOwners | undefined {
  const api = useApi(tracesApiRef);
  const { known, missing } = useMemo(
    () =>
      enabled && traces
        ? rootServiceOwners(traces)
        : { known: new Map<string, ServiceOwner[]>(), missing: [] },
    [traces, enabled],
  );
  const missingKey = missing.join('\u0000');
  const looked = useAsync(async () => {
    const names = missingKey ? missingKey.split('\u0000') : [];
    const found = await Promise.all(
      names.slice(0, MAX_OWNER_LOOKUPS).map(async serviceName => {
        // one failed lookup leaves that service unresolved, not the whole column
        const answer = await api
          .getServiceOwners({ serviceName })
          .catch(() => undefined);
        return [serviceName, answer?.owners] as const;
      }),
    );
    return found.filter(
      (entry): entry is readonly [string, ServiceOwner[]] => !!entry[1],
    );
  }, [api, missingKey]);

  return useMemo(() => {
    if (!enabled) return undefined;
    const byService = looked.value?.length
      ? new Map([...known, ...looked.value])
      : known;
    return { byService, loading: looked.loading };
  }, [enabled, known, looked.value, looked.loading]);
}
