import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { OPENSEARCH_URL } from '../../__testUtils__/openSearchFixtures';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import {
  startTracesBackend,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Every route that takes an entityRef, with what it needs besides. */
const ROUTES = [
  '/search',
  '/tags',
  '/tags/span.http.route/values',
  `/metrics/query_range?q=${encodeURIComponent('{ } | rate()')}`,
  `/metrics/query?q=${encodeURIComponent('{ } | rate()')}`,
  '/service-graph',
  `/traces/${TRACE_ID}`,
  `/traces/${TRACE_ID}/subtree/00f067aa0ba902b7`,
  `/traces/${TRACE_ID}/logs`,
  `/traces/${TRACE_ID}/log-counts`,
];

/** A component owned by group:default/team, whose view reads every component's annotations. */
function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team',
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team' }],
  };
}

const TEAM: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const SERVICE = 'opentelemetry.io/service-name';
const NAMESPACE = 'opentelemetry.io/service-namespace';
const TENANT = 'grafana.com/tempo-tenant';

/** Annotations no TraceQL string or tenant header can carry, and what the answer says. */
const BAD_ENTITIES: Array<[Entity, string]> = [
  [
    entity('nul-name', { [SERVICE]: 'shop, api\u0000x' }),
    `Entity component:default/nul-name has an invalid '${SERVICE}' annotation: "api\\u0000x" cannot be queried (TraceQL string values cannot contain the NUL character); fix it in the entity's catalog-info.yaml`,
  ],
  [
    entity('backtick-name', { [SERVICE]: 'a\nb`c' }),
    `Entity component:default/backtick-name has an invalid '${SERVICE}' annotation: "a\\nb\`c" cannot be queried (TraceQL string values containing a line break cannot also contain a backtick (\`) or a carriage return); fix it in the entity's catalog-info.yaml`,
  ],
  [
    entity('crlf-name', { [SERVICE]: 'a\r\nb' }),
    `Entity component:default/crlf-name has an invalid '${SERVICE}' annotation: "a\\r\\nb" cannot be queried (TraceQL string values containing a line break cannot also contain a backtick (\`) or a carriage return); fix it in the entity's catalog-info.yaml`,
  ],
  [
    entity('nul-namespace', { [SERVICE]: 'shop', [NAMESPACE]: 'x\u0000' }),
    `Entity component:default/nul-namespace has an invalid '${NAMESPACE}' annotation: "x\\u0000" cannot be queried (TraceQL string values cannot contain the NUL character); fix it in the entity's catalog-info.yaml`,
  ],
  [
    entity('crlf-tenant', { [SERVICE]: 'shop', [TENANT]: 'team\r\nX-Evil: 1' }),
    `Entity component:default/crlf-tenant has an invalid '${TENANT}' annotation: "team\\r\\nX-Evil: 1" is not a Tempo tenant: the character "\\r" (U+000D) is not allowed; tenant IDs use letters, digits and ! - _ . * ' ( ), several are joined with |; fix it in the entity's catalog-info.yaml`,
  ],
  [
    entity('unicode-tenant', { [SERVICE]: 'shop', [TENANT]: 'équipe' }),
    `Entity component:default/unicode-tenant has an invalid '${TENANT}' annotation: "équipe" is not a Tempo tenant: the character "é" (U+00E9) is not allowed; tenant IDs use letters, digits and ! - _ . * ' ( ), several are joined with |; fix it in the entity's catalog-info.yaml`,
  ],
];

describe('entities whose annotations no query can carry', () => {
  // No handler: nothing may reach Tempo or OpenSearch.
  setupUpstreamServer();

  let app: Awaited<ReturnType<typeof startTracesBackend>>;
  beforeAll(async () => {
    app = await startTracesBackend({
      config: {
        traces: {
          tempo: { baseUrl: TEMPO_URL },
          opensearch: { baseUrl: OPENSEARCH_URL },
        },
      },
      entities: BAD_ENTITIES.map(([e]) => e),
    });
  });

  it('fails the team view of their owner with the same 400', async () => {
    const teamApp = await startTracesBackend({
      config: { traces: { tempo: { baseUrl: TEMPO_URL } } },
      entities: [TEAM, BAD_ENTITIES[0][0]],
    });
    const res = await request(teamApp)
      .get('/api/traces/team')
      .query({ entityRef: 'group:default/team' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(BAD_ENTITIES[0][1]);
  });

  describe.each(BAD_ENTITIES.map(([e, m]) => [e.metadata.name, e, m] as const))(
    'the entity %s',
    (_name, bad, message) => {
      it.each(ROUTES)(
        'answers 400 naming the entity and annotation on %s',
        async route => {
          const res = await request(app)
            .get(`/api/traces${route}`)
            .query({ entityRef: `component:default/${bad.metadata.name}` });
          expect(res.status).toBe(400);
          expect(res.body.error).toMatchObject({ name: 'InputError', message });
        },
      );
    },
  );
});
