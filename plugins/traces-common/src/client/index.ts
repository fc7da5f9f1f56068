export { TracesClient, toQueryString } from './TracesClient';
export type { QueryValue } from './TracesClient';
export type * from './types';
