import express from 'express';
import Router from 'express-promise-router';
import { registerHealthRoute } from './routes/healthRoute';
import { registerLogRoutes } from './routes/logRoutes';
import { registerMetricsRoute } from './routes/metricsRoute';
import { registerSearchRoute } from './routes/searchRoute';
import { registerServiceGraphRoute } from './routes/serviceGraphRoute';
import { registerTagRoutes } from './routes/tagRoutes';
import { registerTeamRoute } from './routes/teamRoute';
import { registerTraceRoute } from './routes/traceRoute';
import type { RouteContext } from './routes/context';

/**
 * The routes that read a store, under the concurrency caps. /health stays outside so that
 * monitoring still sees an overloaded backend; /links and /owners read only the catalog.
 */
const UPSTREAM_ROUTES = [
  '/search',
  '/traces',
  '/tags',
  '/metrics',
  '/service-graph',
  '/team',
];

/** Thin routes: parse input, resolve access, call one upstream, answer the common types. */
export function createRouter(context: RouteContext): express.Router {
  const router = Router();
  router.use(express.json());
  registerHealthRoute(router, context);
  router.use(UPSTREAM_ROUTES, context.upstreamSlots);
  registerSearchRoute(router, context);
  registerTraceRoute(router, context);
  registerTagRoutes(router, context);
  registerMetricsRoute(router, context);
  registerLogRoutes(router, context);
  registerServiceGraphRoute(router, context);
  registerTeamRoute(router, context);
  return router;
}
