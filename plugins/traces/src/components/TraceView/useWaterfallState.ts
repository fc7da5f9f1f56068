import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { WaterfallModel } from './waterfallModel';
import {
  collapseAll as collapseAllRows,
  collapseBelowLevel,
  collapsedServices as collapsedServicesOf,
  computeVisibleRows,
  errorFilter,
  expandAncestors,
  filterWithAncestors,
  serviceFilter,
  setServiceCollapsed,
  toggleRow as toggleRowIn,
  type CollapsedSet,
} from './visibleRows';
import { matchMask, matchPlaces, searchSpans } from './spanSearch';

/** Which spans the waterfall shows; ancestors of shown spans stay visible (dimmed) as context. */
export type SpanFilter =
  | { kind: 'all' }
  | { kind: 'errors' }
  | { kind: 'matches' }
  | { kind: 'service'; service: number };

const ALL: SpanFilter = { kind: 'all' };
const NONE: CollapsedSet = new Set<number>();
const EMPTY_MATCHES = new Int32Array(0);
/** Above this many spans, searching waits for a pause in typing (a search is O(n · attributes)). */
const DEBOUNCE_ABOVE_SPANS = 5000;

export interface WaterfallState {
  collapsed: CollapsedSet;
  spanFilter: SpanFilter;
  filter: Uint8Array | undefined;
  rows: Int32Array;
  query: string;
  /** Matching rows (display order) of the last search run. */
  matches: Int32Array;
  matchMask: Uint8Array | undefined;
  /** Index into `matches` of the current match, -1 without matches. */
  matchCursor: number;
  currentMatchRow: number | undefined;
  /** Where the search matched the current match, e.g. `status message` (one per term). */
  currentMatchPlaces: string[];
  showCriticalPath: boolean;
  collapsedServices: boolean[];
  setQuery(query: string): void;
  nextMatch(): void;
  previousMatch(): void;
  setSpanFilter(filter: SpanFilter): void;
  toggleRow(row: number): void;
  /** Expands one row (no-op when it is not collapsed). */
  expandRow(row: number): void;
  expandAll(): void;
  collapseAll(): void;
  expandToLevel(level: number): void;
  toggleService(service: number): void;
  setShowCriticalPath(show: boolean): void;
  /** Makes a row visible: expands its ancestors and drops a filter that hides it. */
  reveal(row: number): void;
}

/**
 * The waterfall's view state (collapse, filter, search, critical path) and its derived rows.
 * Meant to live as long as one trace: mount it under a key per trace for a fresh view.
 */
export function useWaterfallState(model: WaterfallModel): WaterfallState {
  const [collapsed, setCollapsed] = useCollapsedRows(model);
  const [spanFilter, setSpanFilter] = useState<SpanFilter>(ALL);
  const [query, setQueryState] = useState('');
  const [searchedQuery, setSearchedQuery] = useState('');
  const [matchCursor, setMatchCursor] = useState(-1);
  const [showCriticalPath, setShowCriticalPath] = useState(true);

  useEffect(() => {
    if (query === searchedQuery) return undefined;
    if (model.size <= DEBOUNCE_ABOVE_SPANS || !query.trim()) {
      setSearchedQuery(query);
      return undefined;
    }
    const timer = setTimeout(() => setSearchedQuery(query), 200);
    return () => clearTimeout(timer);
  }, [query, searchedQuery, model.size]);

  const matches = useMemo(
    () =>
      searchedQuery.trim() ? searchSpans(model, searchedQuery) : EMPTY_MATCHES,
    [model, searchedQuery],
  );
  const mask = useMemo(
    () => (matches.length ? matchMask(model.size, matches) : undefined),
    [model, matches],
  );

  // New matches: their ancestors are expanded and the first match becomes current.
  useEffect(() => {
    setMatchCursor(matches.length ? 0 : -1);
    if (matches.length) setCollapsed(c => expandAncestors(model, c, matches));
    if (!matches.length) setSpanFilter(f => (f.kind === 'matches' ? ALL : f));
  }, [model, matches, setCollapsed]);

  const filter = useMemo(() => {
    switch (spanFilter.kind) {
      case 'errors':
        return errorFilter(model);
      case 'service':
        return serviceFilter(model, spanFilter.service);
      case 'matches':
        return mask ? filterWithAncestors(model, mask) : undefined;
      default:
        return undefined;
    }
  }, [model, spanFilter, mask]);

  const rows = useMemo(
    () => computeVisibleRows(model, collapsed, filter),
    [model, collapsed, filter],
  );
  // The same array while its content is unchanged, so the legend skips re-rendering.
  const lastCollapsedServices = useRef<boolean[]>([]);
  const collapsedServices = useMemo(() => {
    const next = collapsedServicesOf(model, collapsed);
    const prev = lastCollapsedServices.current;
    if (prev.length === next.length && prev.every((v, s) => v === next[s]))
      return prev;
    lastCollapsedServices.current = next;
    return next;
  }, [model, collapsed]);

  const reveal = useCallback(
    (row: number) => {
      setCollapsed(c => expandAncestors(model, c, [row]));
      if (filter && !filter[row]) setSpanFilter(ALL);
    },
    [model, filter, setCollapsed],
  );

  const goToMatch = useCallback(
    (step: number) => {
      if (!matches.length) return;
      const next =
        (Math.max(0, matchCursor) + step + matches.length) % matches.length;
      setMatchCursor(next);
      reveal(matches[next]);
    },
    [matches, matchCursor, reveal],
  );

  const nextMatch = useCallback(() => goToMatch(1), [goToMatch]);
  const previousMatch = useCallback(() => goToMatch(-1), [goToMatch]);
  const toggleRow = useCallback(
    (row: number) => setCollapsed(c => toggleRowIn(c, row)),
    [setCollapsed],
  );
  const expandRow = useCallback(
    (row: number) => setCollapsed(c => (c.has(row) ? toggleRowIn(c, row) : c)),
    [setCollapsed],
  );
  const expandAll = useCallback(() => setCollapsed(() => NONE), [setCollapsed]);
  const collapseAll = useCallback(
    () => setCollapsed(() => collapseAllRows(model)),
    [model, setCollapsed],
  );
  const expandToLevel = useCallback(
    (level: number) => setCollapsed(() => collapseBelowLevel(model, level)),
    [model, setCollapsed],
  );
  const toggleService = useCallback(
    (service: number) =>
      setCollapsed(c =>
        setServiceCollapsed(
          model,
          c,
          service,
          !collapsedServicesOf(model, c)[service],
        ),
      ),
    [model, setCollapsed],
  );

  const currentMatchRow = matchCursor >= 0 ? matches[matchCursor] : undefined;
  const currentMatchPlaces = useMemo(
    () =>
      currentMatchRow === undefined
        ? []
        : matchPlaces(model, currentMatchRow, searchedQuery),
    [model, currentMatchRow, searchedQuery],
  );

  // One object per change, so memoised consumers skip renders caused by anything else.
  return useMemo(
    () => ({
      collapsed,
      spanFilter,
      filter,
      rows,
      query,
      matches,
      matchMask: mask,
      matchCursor,
      currentMatchRow,
      currentMatchPlaces,
      showCriticalPath,
      collapsedServices,
      setQuery: setQueryState,
      nextMatch,
      previousMatch,
      setSpanFilter,
      toggleRow,
      expandRow,
      expandAll,
      collapseAll,
      expandToLevel,
      toggleService,
      setShowCriticalPath,
      reveal,
    }),
    [
      collapsed,
      spanFilter,
      filter,
      rows,
      query,
      matches,
      mask,
      matchCursor,
      currentMatchRow,
      currentMatchPlaces,
      showCriticalPath,
      collapsedServices,
      nextMatch,
      previousMatch,
      toggleRow,
      expandRow,
      expandAll,
      collapseAll,
      expandToLevel,
      toggleService,
      reveal,
    ],
  );
}

/**
 * Collapsed rows of the current model. Row indexes are per model; when the model is rebuilt
 * (a window of a large trace was merged in) the set is carried over by span ID.
 */
function useCollapsedRows(
  model: WaterfallModel,
): [CollapsedSet, (update: (current: CollapsedSet) => CollapsedSet) => void] {
  const [state, setState] = useState({ model, set: NONE });
  const latest = useRef(model);
  latest.current = model;
  const collapsed = useMemo(
    () =>
      state.model === model
        ? state.set
        : carryOver(state.model, model, state.set),
    [state, model],
  );
  const update = useCallback(
    (next: (current: CollapsedSet) => CollapsedSet) =>
      setState(prev => {
        const target = latest.current;
        const base =
          prev.model === target
            ? prev.set
            : carryOver(prev.model, target, prev.set);
        return { model: target, set: next(base) };
      }),
    [],
  );
  return [collapsed, update];
}

function carryOver(
  from: WaterfallModel,
  to: WaterfallModel,
  set: CollapsedSet,
): CollapsedSet {
  if (set.size === 0) return NONE;
  const out = new Set<number>();
  for (const row of set) {
    const next = to.indexOf(from.spans[row].spanId);
    if (next !== undefined) out.add(next);
  }
  return out;
}
