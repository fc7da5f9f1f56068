export { TraceView, TRACE_NOT_FOUND_TITLE } from './TraceView';
export type { TraceViewProps } from './TraceView';
export { Waterfall } from './Waterfall';
export type { WaterfallHandle, WaterfallProps } from './Waterfall';
export { buildWaterfallModel } from './waterfallModel';
export type { WaterfallModel } from './waterfallModel';
export { computeVisibleRows } from './visibleRows';
export { searchSpans } from './spanSearch';
