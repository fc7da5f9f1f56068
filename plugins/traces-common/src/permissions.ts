import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the traces, metrics, logs and service graph of one catalog entity.
 * A resource permission, so policies can decide per entity (for example: owners only).
 */
export const tracesEntityReadPermission = createPermission({
  name: 'traces.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Run unscoped TraceQL and look traces up by ID outside any entity. */
export const tracesQueryPermission = createPermission({
  name: 'traces.query',
  attributes: { action: 'read' },
});

export const tracesPermissions = [
  tracesEntityReadPermission,
  tracesQueryPermission,
];
