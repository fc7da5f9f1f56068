export { TracesPage } from './TracesPage';
export { LegacyTracesPage } from './LegacyTracesPage';
export { TracesIcon } from './TracesIcon';
