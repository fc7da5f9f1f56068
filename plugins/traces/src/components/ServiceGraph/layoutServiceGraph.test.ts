import type {
  ServiceGraphEdge,
  ServiceGraphNode,
} from '@backstage-traces/plugin-traces-common';
import {
  assignDistances,
  DEFAULT_LAYOUT_OPTIONS as O,
  edgeSeverity,
  layoutServiceGraph,
} from './layoutServiceGraph';

const node = (id: string, isEntityService = false): ServiceGraphNode => ({
  id,
  isEntityService,
  owners: [],
});
const edge = (
  source: string,
  target: string,
  requestCount = 100,
  errorCount = 0,
): ServiceGraphEdge => ({
  source,
  target,
  requestCount,
  errorCount,
  latencyP95Ms: 12,
});

// web → gateway → orders (entity) → db, orders → payments → bank
const graph = {
  nodes: ['web', 'gateway', 'db', 'payments', 'bank']
    .map(id => node(id))
    .concat(node('orders', true)),
  edges: [
    edge('web', 'gateway'),
    edge('gateway', 'orders', 1000, 80),
    edge('orders', 'db', 5000, 10),
    edge('orders', 'payments', 200, 1),
    edge('payments', 'bank', 50),
  ],
};

describe('assignDistances', () => {
  it('puts callers left and callees right of the entity services, by hops', () => {
    expect(Object.fromEntries(assignDistances(graph))).toEqual({
      web: -2,
      gateway: -1,
      orders: 0,
      db: 1,
      payments: 1,
      bank: 2,
    });
  });

  it('places a service in a cycle at its nearer side, callee on a tie', () => {
    const cyclic = {
      nodes: [node('a', true), node('b'), node('c')],
      edges: [edge('a', 'b'), edge('b', 'a'), edge('c', 'a'), edge('b', 'c')],
    };
    // b: callee at 1 and caller at 1 → callee; c: caller at 1, callee at 2 → caller
    expect(Object.fromEntries(assignDistances(cyclic))).toEqual({
      a: 0,
      b: 1,
      c: -1,
    });
  });

  it('puts services unconnected to the entity after the furthest callee', () => {
    const loose = {
      nodes: [node('a', true), node('b'), node('x'), node('y')],
      edges: [edge('a', 'b'), edge('x', 'y')],
    };
    expect(assignDistances(loose).get('x')).toBe(2);
    expect(assignDistances(loose).get('y')).toBe(2);
  });
});

describe('layoutServiceGraph', () => {
  const layout = layoutServiceGraph(graph);
  const byId = Object.fromEntries(layout.nodes.map(n => [n.id, n]));

  it('lays columns out left to right: callers, entity, callees', () => {
    expect(layout.entityColumn).toBe(2);
    expect(byId.web.column).toBe(0);
    expect(byId.gateway.column).toBe(1);
    expect(byId.orders.column).toBe(2);
    expect(byId.db.column).toBe(3);
    expect(byId.payments.column).toBe(3);
    expect(byId.bank.column).toBe(4);
    expect(byId.gateway.x).toBe(O.margin + O.nodeWidth + O.columnGap);
    expect(layout.width).toBe(O.margin * 2 + 5 * O.nodeWidth + 4 * O.columnGap);
  });

  it('stacks a column without overlaps and centres shorter columns', () => {
    const [first, second] = [byId.db, byId.payments].sort((a, b) => a.y - b.y);
    expect(second.y - first.y).toBe(O.nodeHeight + O.rowGap);
    // a single-node column sits in the middle of the two-node column
    const middle = (first.y + second.y + O.nodeHeight) / 2;
    expect(byId.orders.y + O.nodeHeight / 2).toBeCloseTo(middle);
    expect(layout.height).toBe(O.margin * 2 + 2 * O.nodeHeight + O.rowGap);
  });

  it('orders a column by its neighbours to avoid crossings', () => {
    // by name alone "alpha" (called by y) would sit level with x, crossing x → zed
    const crossing = layoutServiceGraph({
      nodes: [
        node('e', true),
        node('x'),
        node('y'),
        node('zed'),
        node('alpha'),
      ],
      edges: [
        edge('e', 'x'),
        edge('e', 'y'),
        edge('x', 'zed'),
        edge('y', 'alpha'),
      ],
    });
    const at = Object.fromEntries(crossing.nodes.map(n => [n.id, n.y]));
    expect(at.zed).toBe(at.x);
    expect(at.alpha).toBe(at.y);
  });

  it('draws forward edges from the right side of the caller to the left side of the callee', () => {
    const e = layout.edges.find(x => x.id === 'gateway->orders')!;
    expect(e.kind).toBe('forward');
    const start = `M${byId.gateway.x + O.nodeWidth},${
      byId.gateway.y + O.nodeHeight / 2
    }`;
    expect(e.path.startsWith(start)).toBe(true);
    expect(
      e.path.endsWith(`${byId.orders.x},${byId.orders.y + O.nodeHeight / 2}`),
    ).toBe(true);
    expect(e.labelX).toBeGreaterThan(byId.gateway.x + O.nodeWidth);
    expect(e.labelX).toBeLessThan(byId.orders.x);
  });

  it('grades edges by error ratio and scales width by volume', () => {
    const get = (id: string) => layout.edges.find(x => x.id === id)!;
    expect(get('gateway->orders').errorRatio).toBeCloseTo(0.08);
    expect(get('gateway->orders').severity).toBe('error');
    expect(get('orders->payments').severity).toBe('ok');
    expect(get('orders->db').strokeWidth).toBe(5);
    expect(get('payments->bank').strokeWidth).toBeLessThan(
      get('orders->db').strokeWidth,
    );
    expect(edgeSeverity(0.01)).toBe('warning');
    expect(edgeSeverity(0.0099)).toBe('ok');
    expect(edgeSeverity(0.05)).toBe('error');
  });

  it('routes cycles under the nodes and self-calls above them', () => {
    const cyclic = layoutServiceGraph({
      nodes: [node('a', true), node('b')],
      edges: [edge('a', 'b'), edge('b', 'a'), edge('a', 'a')],
    });
    const back = cyclic.edges.find(e => e.id === 'b->a')!;
    const self = cyclic.edges.find(e => e.id === 'a->a')!;
    const a = cyclic.nodes.find(n => n.id === 'a')!;
    expect(back.kind).toBe('back');
    expect(back.labelY).toBeGreaterThan(a.y + O.nodeHeight);
    expect(cyclic.height).toBeGreaterThan(back.labelY);
    expect(self.kind).toBe('self');
    expect(self.labelY).toBeLessThan(a.y);
    expect(self.labelY).toBeGreaterThan(0);
  });

  it('adds nodes that only appear in edges and handles an empty graph', () => {
    const partial = layoutServiceGraph({
      nodes: [node('a', true)],
      edges: [edge('a', 'ghost')],
    });
    expect(partial.nodes.map(n => n.id).sort()).toEqual(['a', 'ghost']);
    expect(layoutServiceGraph({ nodes: [], edges: [] })).toEqual({
      width: 0,
      height: 0,
      nodes: [],
      edges: [],
      entityColumn: 0,
    });
  });
});

describe('edge labels', () => {
  it('keep apart where edges fan out of one service, nearer the other ends', () => {
    const fan = layoutServiceGraph({
      nodes: [node('orders', true), node('db'), node('cache'), node('queue')],
      edges: [
        edge('orders', 'db'),
        edge('orders', 'cache'),
        edge('orders', 'queue'),
      ],
    });
    const ys = fan.edges.map(e => e.labelY).sort((a, b) => a - b);
    // Two text lines (13 px apart) each: labels of neighbouring edges must not touch.
    for (let i = 1; i < ys.length; i++) {
      expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(2 * 13 + 4);
    }
    const orders = fan.nodes.find(n => n.id === 'orders')!;
    const db = fan.nodes.find(n => n.id === 'db')!;
    const label = fan.edges.find(e => e.edge.target === 'db')!;
    // Past the middle of the gap between the columns, towards the callee.
    expect(label.labelX).toBeGreaterThan((orders.x + O.nodeWidth + db.x) / 2);
  });
});
