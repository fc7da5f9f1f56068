import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The entity Traces tab; lets other plugins link to it in either frontend system. */
export const rootRouteRef = createRouteRef({ id: 'traces' });

/** The Traces tab of Group entities: the team view. */
export const teamRouteRef = createRouteRef({ id: 'traces-team' });

/** The traces page (`/traces`): trace search across all services. */
export const tracesPageRouteRef = createRouteRef({ id: 'traces-page' });

/** One trace with the owners of its services; the target of Grafana's trace links. */
export const traceRouteRef = createSubRouteRef({
  id: 'traces-page-trace',
  parent: tracesPageRouteRef,
  path: '/trace/:traceId',
});

/** Two traces compared (`?a=&b=` trace IDs, A the baseline). */
export const compareRouteRef = createSubRouteRef({
  id: 'traces-page-compare',
  parent: tracesPageRouteRef,
  path: '/compare',
});

/** Which entity claims a service; the target of Grafana's service links. */
export const serviceRouteRef = createSubRouteRef({
  id: 'traces-page-service',
  parent: tracesPageRouteRef,
  path: '/services/:serviceName',
});

/** Path of the Traces tab below an entity page (see `entityTracesContent`). */
export const ENTITY_TRACES_TAB_PATH = '/traces';
