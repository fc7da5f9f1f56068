/*
 * The Backstage Traces backend.
 *
 * Plugins and modules are installed with `backend.add`; each one reads its own
 * configuration from app-config.yaml (and app-config.production.yaml in
 * production). See https://backstage.io/docs/backend-system/ for how the
 * backend system works.
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Serves the bundled frontend (packages/app) and injects its runtime config.
backend.add(import('@backstage/plugin-app-backend'));

// Auth. The guest provider gives every visitor the `user:default/guest`
// identity; it is configured in app-config.yaml only, so it is absent in
// production (app-config.production.yaml), which configures GitHub instead. See
// https://backstage.io/docs/auth/guest/provider
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// GitHub sign-in, the production provider (auth.providers.github in
// app-config.production.yaml); idle while it is not configured.
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// Software catalog: the entities whose annotations map them to trace services.
backend.add(import('@backstage/plugin-catalog-backend'));
// Logs catalog processing errors (bad entity files, unreachable locations).
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Permissions. The allow-all policy authorises every request, including the
// traces plugin's permissions, so it is only suitable for local development
// and demos: a real deployment must replace it with a policy module of its
// own. See https://backstage.io/docs/permissions/writing-a-policy
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// Search with the in-memory (Lunr) engine, indexing the catalog.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Traced services (owner, span names, HTTP routes, rates) from the traces backend.
backend.add(import('@backstage-traces/plugin-search-backend-module-traces'));

// Traces: Grafana Tempo traces, OpenSearch logs and the service graph.
backend.add(import('@backstage-traces/plugin-traces-backend'));

backend.start();
