export { tracesPlugin as default } from './plugin';
