import type {
  DependencyState,
  ServiceGraphEdge,
} from '@backstage-traces/plugin-traces-common';

/** The words for each state, in the legend, the list and the edges' titles. */
export const DEPENDENCY_STATE_LABELS: Record<DependencyState, string> = {
  'declared-and-observed': 'Declared and observed',
  'observed-not-declared': 'Observed, not declared',
  'declared-not-seen': 'Declared, not seen',
};

/** Legend and list order: what needs attention first. */
export const DEPENDENCY_STATES: DependencyState[] = [
  'observed-not-declared',
  'declared-not-seen',
  'declared-and-observed',
];

/**
 * How an edge stands against the catalog; undefined when the answer carries no comparison
 * (a backend without it).
 */
export function edgeDependencyState(
  edge: ServiceGraphEdge,
): DependencyState | undefined {
  if (edge.observed === false) return 'declared-not-seen';
  if (edge.declared === undefined) return undefined;
  return edge.declared ? 'declared-and-observed' : 'observed-not-declared';
}

/** Dash pattern of declared dependencies without calls. */
export const NOT_SEEN_DASH = '6 5';
