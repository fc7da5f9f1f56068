export { RedSummary } from './RedSummary';
export type { RedSummaryProps } from './RedSummary';
