import type { HealthResponse } from '@backstage-traces/plugin-traces-common';
import { createContext, useContext } from 'react';

const TracesHealthContext = createContext<HealthResponse | undefined>(
  undefined,
);

/**
 * The backend's `/health` answer, for the components below: the page asks once, and the trace
 * view does not send requests the backend can only refuse (logs without a log store).
 */
export const TracesHealthProvider = TracesHealthContext.Provider;

/** The `/health` answer of the enclosing page; undefined where no page asked (unknown). */
export function useTracesHealth(): HealthResponse | undefined {
  return useContext(TracesHealthContext);
}

/** Why logs are off (no log store configured), or undefined when they may be on or unknown. */
export function logsOffReason(
  health: HealthResponse | undefined,
): string | undefined {
  const logs = health?.logs;
  if (logs?.status !== 'disabled') return undefined;
  return logs.message ?? `${logs.store} is not configured`;
}
