import type { ServiceGraphEdge } from '@backstage-traces/plugin-traces-common';
import { expandHops, MAX_FRONTIER, type ServiceGraphHop } from './expandHops';

const edge = (
  source: string,
  target: string,
  requestCount = 1,
): ServiceGraphEdge => ({ source, target, requestCount, errorCount: 0 });

/** caller2 → caller1 → api → callee1 → callee2, plus a second caller of callee1. */
const CHAIN = [
  edge('caller2', 'caller1'),
  edge('caller1', 'api'),
  edge('api', 'callee1'),
  edge('callee1', 'callee2'),
  edge('sibling', 'callee1'),
];

const names = (edges: ServiceGraphEdge[]) =>
  edges.map(e => `${e.source}->${e.target}`).sort();

describe('expandHops', () => {
  it('follows callers upstream and callees downstream only, one call per hop', async () => {
    const hops: ServiceGraphHop[] = [];
    const edges = await expandHops(['api'], 3, async hop => {
      hops.push(hop);
      return CHAIN;
    });
    // The other caller of a callee is neither upstream nor downstream of the entity.
    expect(names(edges)).toEqual([
      'api->callee1',
      'callee1->callee2',
      'caller1->api',
      'caller2->caller1',
    ]);
    expect(hops).toEqual([
      { callersOf: ['api'], calleesOf: ['api'] },
      { callersOf: ['caller1'], calleesOf: ['callee1'] },
      { callersOf: ['caller2'], calleesOf: ['callee2'] },
    ]);
  });

  it('stops at the depth asked for and when nothing is left to expand', async () => {
    const edgesOf = jest.fn(async () => CHAIN);
    expect(names(await expandHops(['api'], 1, edgesOf))).toEqual([
      'api->callee1',
      'caller1->api',
    ]);
    expect(edgesOf).toHaveBeenCalledTimes(1);

    const cycle = jest.fn(async () => [edge('api', 'b'), edge('b', 'api')]);
    await expandHops(['api'], 3, cycle);
    // b is the caller and the callee of api: its own neighbours are api, already visited.
    expect(cycle).toHaveBeenCalledTimes(2);
  });

  it('expands at most MAX_FRONTIER services per direction, busiest first', async () => {
    const callers = Array.from({ length: MAX_FRONTIER + 10 }, (_, i) =>
      edge(`caller-${i}`, 'hub', i + 1),
    );
    const hops: ServiceGraphHop[] = [];
    const edges = await expandHops(['hub'], 2, async hop => {
      hops.push(hop);
      return callers;
    });
    expect(edges).toHaveLength(MAX_FRONTIER + 10);
    expect(hops[1].callersOf).toHaveLength(MAX_FRONTIER);
    expect(hops[1].callersOf[0]).toBe(`caller-${MAX_FRONTIER + 9}`);
    expect(hops[1].calleesOf).toEqual([]);
  });
});
