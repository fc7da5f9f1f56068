export {
  TracesSearchResultListItem,
  formatRates,
} from './TracesSearchResultListItem';
export type { TracesSearchResultListItemProps } from './TracesSearchResultListItem';
export {
  TraceIdSearchSuggestion,
  traceIdOfSearchTerm,
} from './TraceIdSearchSuggestion';
