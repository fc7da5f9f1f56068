export { TeamTracesTab } from './TeamTracesTab';
