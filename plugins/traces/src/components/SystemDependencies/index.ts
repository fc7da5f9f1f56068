export { SystemDependencies } from './SystemDependencies';
