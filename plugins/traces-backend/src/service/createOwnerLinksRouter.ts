import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { ServiceOwnerResolver } from '../owners/ServiceOwnerResolver';
import { registerLinkRoutes } from './routes/linkRoutes';
import { registerOwnersRoute } from './routes/ownersRoute';

/**
 * Service owners and the deep links that lead to them. These need the catalog mapping, not
 * Tempo, so they work while Tempo is down or not configured. `/links` is public (see plugin.ts).
 */
export function createOwnerLinksRouter(deps: {
  httpAuth: HttpAuthService;
  owners: ServiceOwnerResolver;
  appBaseUrl: string;
}): express.Router {
  const router = Router();
  registerOwnersRoute(router, deps);
  registerLinkRoutes(router, deps);
  return router;
}
