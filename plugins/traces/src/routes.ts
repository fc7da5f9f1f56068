import { createRouteRef } from '@backstage/core-plugin-api';

/** The entity Traces tab; lets other plugins link to it in either frontend system. */
export const rootRouteRef = createRouteRef({ id: 'traces' });
