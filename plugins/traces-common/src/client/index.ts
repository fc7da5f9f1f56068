export { TracesClient, toQueryString } from './TracesClient';
export type * from './types';
