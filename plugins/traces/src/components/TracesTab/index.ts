export { TracesTab } from './TracesTab';
export { TracesTabContent } from './TracesTabContent';
export type { TracesTabContentProps } from './TracesTabContent';
