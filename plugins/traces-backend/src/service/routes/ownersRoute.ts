import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { Router } from 'express';
import { z } from 'zod';
import type { ServiceOwnersResponse } from '@backstage-traces/plugin-traces-common';
import type { ServiceOwnerResolver } from '../../owners/ServiceOwnerResolver';
import { parseParams } from '../params';

/** An OpenTelemetry `service.name` (or namespace) as it may appear in a URL. */
export const serviceNameParam = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(256, 'is longer than 256 characters')
  .regex(/^[^\p{Cc}]+$/u, 'contains control characters');

/** `GET /services/:serviceName/owners`: the catalog entities that claim a service. */
export function registerOwnersRoute(
  router: Router,
  deps: { httpAuth: HttpAuthService; owners: ServiceOwnerResolver },
) {
  const schema = z.object({
    serviceName: serviceNameParam,
    namespace: serviceNameParam.optional(),
  });

  router.get('/services/:serviceName/owners', async (req, res) => {
    const params = parseParams(schema, {
      serviceName: req.params.serviceName,
      namespace: req.query.namespace,
    });
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const owners = await deps.owners.readableOwnersOf(
      credentials,
      params.serviceName,
      params.namespace,
    );
    const response: ServiceOwnersResponse = {
      serviceName: params.serviceName,
      ...(params.namespace && { serviceNamespace: params.namespace }),
      owners,
    };
    res.json(response);
  });
}
