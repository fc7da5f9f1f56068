export { ServiceGraph } from './ServiceGraph';
export type { ServiceGraphProps } from './ServiceGraph';
