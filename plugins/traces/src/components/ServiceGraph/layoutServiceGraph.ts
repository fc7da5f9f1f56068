/**
 * Left-to-right layered layout of the service graph around an entity: callers in the columns
 * to the left, the entity's own services in the middle, callees (and their callees) to the
 * right. Plain geometry, so the component only draws it.
 */
import type {
  ServiceGraphEdge,
  ServiceGraphNode,
  ServiceGraphResponse,
} from '@backstage-traces/plugin-traces-common';

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal gap between columns (room for edge labels). */
  columnGap: number;
  rowGap: number;
  margin: number;
}

export const DEFAULT_LAYOUT_OPTIONS: LayoutOptions = {
  nodeWidth: 210,
  nodeHeight: 72,
  columnGap: 170,
  rowGap: 28,
  margin: 16,
};

/** Edges whose share of failed calls is at least this are drawn as errors. */
export const ERROR_HEAVY_RATIO = 0.05;
/** …and at least this as warnings. */
export const ERROR_WARNING_RATIO = 0.01;

export type EdgeSeverity = 'ok' | 'warning' | 'error';

export interface LayoutNode {
  id: string;
  node: ServiceGraphNode;
  /** Column, 0 = leftmost. */
  column: number;
  /** Hops from the entity's services: negative for callers, positive for callees. */
  distance: number;
  x: number;
  y: number;
}

export interface LayoutEdge {
  id: string;
  edge: ServiceGraphEdge;
  /** SVG path from the caller to the callee. */
  path: string;
  /** Where the label goes (the middle of the path). */
  labelX: number;
  labelY: number;
  errorRatio: number;
  severity: EdgeSeverity;
  /** Stroke width, scaled by call volume relative to the busiest edge. */
  strokeWidth: number;
  /** Points against the layout direction (a cycle) or within a column. */
  kind: 'forward' | 'back' | 'self';
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Column index of the entity's own services. */
  entityColumn: number;
}

export function edgeErrorRatio(edge: ServiceGraphEdge): number {
  return edge.requestCount > 0
    ? Math.min(1, edge.errorCount / edge.requestCount)
    : 0;
}

export function edgeSeverity(ratio: number): EdgeSeverity {
  if (ratio >= ERROR_HEAVY_RATIO) return 'error';
  if (ratio >= ERROR_WARNING_RATIO) return 'warning';
  return 'ok';
}

/**
 * Hops from the entity's services: callers negative, callees positive, by breadth-first search
 * in both directions. A service that is both (a cycle) counts as the nearer one, callee on a
 * tie. Services not connected to the entity are placed after the furthest callee.
 */
export function assignDistances(
  graph: Pick<ServiceGraphResponse, 'nodes' | 'edges'>,
) {
  const ids = new Set(graph.nodes.map(n => n.id));
  graph.edges.forEach(e => {
    ids.add(e.source);
    ids.add(e.target);
  });
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (e.source === e.target) continue;
    outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
    incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  }
  const roots = graph.nodes.filter(n => n.isEntityService).map(n => n.id);

  const bfs = (next: Map<string, string[]>) => {
    const dist = new Map<string, number>(roots.map(id => [id, 0]));
    const queue = [...roots];
    while (queue.length) {
      const id = queue.shift()!;
      for (const n of next.get(id) ?? []) {
        if (!dist.has(n)) {
          dist.set(n, dist.get(id)! + 1);
          queue.push(n);
        }
      }
    }
    return dist;
  };
  const down = bfs(outgoing);
  const up = bfs(incoming);

  const distance = new Map<string, number>();
  for (const id of ids) {
    const d = down.get(id);
    const u = up.get(id);
    if (d === 0 || u === 0) distance.set(id, 0);
    else if (d !== undefined && (u === undefined || d <= u))
      distance.set(id, d);
    else if (u !== undefined) distance.set(id, -u);
  }
  // disconnected parts: one column after the furthest callee
  const furthest = Math.max(0, ...distance.values());
  for (const id of ids) {
    if (!distance.has(id)) distance.set(id, furthest + 1);
  }
  return distance;
}

/** Orders each column by the average row of its neighbours (barycentre), a few sweeps. */
function orderColumns(
  columns: string[][],
  neighbours: Map<string, Set<string>>,
): string[][] {
  const result = columns.map(c => [...c]);
  const position = new Map<string, number>();
  const index = () =>
    result.forEach(col =>
      col.forEach((id, i) => position.set(id, i / Math.max(1, col.length))),
    );
  index();
  const sweep = (order: number[]) => {
    for (const c of order) {
      const scored = result[c].map((id, i) => {
        const ps = [...(neighbours.get(id) ?? [])]
          .filter(n => position.has(n) && !result[c].includes(n))
          .map(n => position.get(n)!);
        return {
          id,
          score: ps.length
            ? ps.reduce((a, b) => a + b, 0) / ps.length
            : i / result[c].length,
          i,
        };
      });
      scored.sort((a, b) => a.score - b.score || a.i - b.i);
      result[c] = scored.map(s => s.id);
      index();
    }
  };
  const forward = result.map((_, i) => i);
  for (let pass = 0; pass < 4; pass++) {
    sweep(pass % 2 === 0 ? forward : [...forward].reverse());
  }
  return result;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function layoutServiceGraph(
  graph: Pick<ServiceGraphResponse, 'nodes' | 'edges'>,
  options: Partial<LayoutOptions> = {},
): GraphLayout {
  const o = { ...DEFAULT_LAYOUT_OPTIONS, ...options };
  const nodeById = new Map(graph.nodes.map(n => [n.id, n]));
  // edges may name services the backend did not list as nodes; draw them anyway
  for (const e of graph.edges) {
    for (const id of [e.source, e.target]) {
      if (!nodeById.has(id))
        nodeById.set(id, { id, isEntityService: false, owners: [] });
    }
  }
  const distance = assignDistances({
    nodes: [...nodeById.values()],
    edges: graph.edges,
  });
  if (nodeById.size === 0) {
    return { width: 0, height: 0, nodes: [], edges: [], entityColumn: 0 };
  }

  const minDistance = Math.min(...distance.values());
  const maxDistance = Math.max(...distance.values());
  const columns: string[][] = Array.from(
    { length: maxDistance - minDistance + 1 },
    () => [],
  );
  [...nodeById.keys()]
    .sort((a, b) => a.localeCompare(b))
    .forEach(id => columns[distance.get(id)! - minDistance].push(id));

  const neighbours = new Map<string, Set<string>>();
  for (const e of graph.edges) {
    if (!neighbours.has(e.source)) neighbours.set(e.source, new Set());
    if (!neighbours.has(e.target)) neighbours.set(e.target, new Set());
    neighbours.get(e.source)!.add(e.target);
    neighbours.get(e.target)!.add(e.source);
  }
  const ordered = orderColumns(columns, neighbours);

  const tallest = Math.max(...ordered.map(c => c.length));
  const columnHeight = (n: number) =>
    n * o.nodeHeight + Math.max(0, n - 1) * o.rowGap;
  const contentHeight = columnHeight(tallest);
  // self-calls loop above their node; make room at the top for them
  const topPad = graph.edges.some(e => e.source === e.target) ? 40 : 0;
  const nodes: LayoutNode[] = [];
  const placed = new Map<string, LayoutNode>();
  ordered.forEach((column, c) => {
    const top =
      o.margin + topPad + (contentHeight - columnHeight(column.length)) / 2;
    column.forEach((id, row) => {
      const node: LayoutNode = {
        id,
        node: nodeById.get(id)!,
        column: c,
        distance: distance.get(id)!,
        x: o.margin + c * (o.nodeWidth + o.columnGap),
        y: round(top + row * (o.nodeHeight + o.rowGap)),
      };
      nodes.push(node);
      placed.set(id, node);
    });
  });

  const maxRequests = Math.max(1, ...graph.edges.map(e => e.requestCount));
  // Edges per node, to keep labels away from busy ends.
  const degree = new Map<string, number>();
  for (const e of graph.edges) {
    for (const id of [e.source, e.target])
      degree.set(id, (degree.get(id) ?? 0) + 1);
  }
  // back edges loop below the nodes; leave room for them
  let backDepth = 0;
  const edges: LayoutEdge[] = graph.edges.map(edge => {
    const s = placed.get(edge.source)!;
    const t = placed.get(edge.target)!;
    const ratio = edgeErrorRatio(edge);
    const strokeWidth = round(
      1.5 + 3.5 * (Math.log1p(edge.requestCount) / Math.log1p(maxRequests)),
    );
    const base = {
      id: `${edge.source}->${edge.target}`,
      edge,
      errorRatio: ratio,
      severity: edgeSeverity(ratio),
      strokeWidth,
    };
    if (s === t) {
      // a service calling itself: a loop over its top-right corner
      const x = s.x + o.nodeWidth - 24;
      const y = s.y;
      return {
        ...base,
        kind: 'self',
        path: `M${x},${y} C${x},${y - 36} ${x + 40},${y - 36} ${x + 24},${y}`,
        labelX: round(x + 16),
        labelY: round(y - 30),
      };
    }
    if (t.column > s.column) {
      const x0 = s.x + o.nodeWidth;
      const y0 = s.y + o.nodeHeight / 2;
      const x3 = t.x;
      const y3 = t.y + o.nodeHeight / 2;
      const dx = (x3 - x0) / 2;
      const [x1, y1, x2, y2] = [x0 + dx, y0, x3 - dx, y3];
      // Edges fanning out of (or into) a busy node cross near it and part towards their
      // other ends: the label goes a quarter of the way from the less busy end, where its
      // edge runs apart from the others, not at the middle where curves meet.
      const at =
        0.5 +
        0.25 * Math.sign(degree.get(edge.source)! - degree.get(edge.target)!);
      const [labelX, labelY] = cubicPoint(
        at,
        [x0, y0],
        [x1, y1],
        [x2, y2],
        [x3, y3],
      );
      return {
        ...base,
        kind: 'forward',
        path: `M${x0},${y0} C${x1},${y1} ${x2},${y2} ${x3},${y3}`,
        labelX: round(labelX),
        labelY: round(labelY),
      };
    }
    // against the flow or within a column: bottom to bottom, under the nodes
    backDepth += 1;
    const x0 = s.x + o.nodeWidth / 2 + 12;
    const y0 = s.y + o.nodeHeight;
    const x3 = t.x + o.nodeWidth / 2 - 12;
    const y3 = t.y + o.nodeHeight;
    const dip = Math.max(y0, y3) + 30 + 18 * backDepth;
    return {
      ...base,
      kind: 'back',
      path: `M${x0},${y0} C${x0},${dip} ${x3},${dip} ${x3},${y3}`,
      labelX: round((x0 + x3) / 2),
      labelY: round((y0 + 3 * dip + 3 * dip + y3) / 8),
    };
  });

  const lowestBack = Math.max(
    0,
    ...edges.filter(e => e.kind === 'back').map(e => e.labelY + 16),
  );
  return {
    width:
      o.margin * 2 +
      ordered.length * o.nodeWidth +
      (ordered.length - 1) * o.columnGap,
    height: Math.max(
      o.margin * 2 + topPad + contentHeight,
      lowestBack + o.margin,
    ),
    nodes,
    edges,
    entityColumn: -minDistance,
  };
}

type Point = [number, number];

/** The point at `t` (0..1) of a cubic Bézier curve. */
function cubicPoint(t: number, p0: Point, p1: Point, p2: Point, p3: Point) {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return [
    a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
    a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
  ] as const;
}
