import type { StructuralOp } from './ast';
import type { TraceQLSpan } from './types';

type Relation = '>>' | '>' | '<<' | '<' | '~';

const ROOT = -1;
/** Not reachable from a root (a missing parent on the way up): Tempo gives such spans no nested set. */
const DETACHED = -2;

/**
 * The parent links of one trace, as Tempo's nested-set model sees them
 * (tempodb/encoding/vparquet4/nested_set_model.go): only spans reachable from a root take part in
 * structural relations, and all roots of a trace count as siblings.
 */
export class TraceTree {
  private readonly index = new Map<TraceQLSpan, number>();
  /** Parent position, ROOT, or DETACHED. */
  private readonly parent: Int32Array;

  constructor(spans: readonly TraceQLSpan[]) {
    const byId = new Map<string, number>();
    spans.forEach((span, i) => {
      this.index.set(span, i);
      if (!byId.has(span.spanId)) byId.set(span.spanId, i);
    });
    const parent = new Int32Array(spans.length);
    spans.forEach((span, i) => {
      const parentId = span.parentSpanId;
      if (!parentId) {
        parent[i] = ROOT;
      } else {
        const p = byId.get(parentId);
        parent[i] = p === undefined || p === i ? DETACHED : p;
      }
    });
    // A span is detached when its chain of parents does not reach a root (or loops).
    const state = new Int8Array(spans.length); // 0 unknown, 1 attached, 2 detached
    const path: number[] = [];
    for (let i = 0; i < spans.length; i++) {
      let node = i;
      const seen = new Set<number>();
      while (state[node] === 0 && parent[node] >= 0 && !seen.has(node)) {
        seen.add(node);
        path.push(node);
        node = parent[node];
      }
      let attached: boolean;
      if (state[node] !== 0) attached = state[node] === 1;
      else if (seen.has(node)) attached = false;
      else {
        attached = parent[node] === ROOT;
        state[node] = attached ? 1 : 2;
      }
      for (const p of path) state[p] = attached ? 1 : 2;
      path.length = 0;
    }
    for (let i = 0; i < spans.length; i++) {
      if (state[i] === 2) parent[i] = DETACHED;
    }
    this.parent = parent;
  }

  private position(span: TraceQLSpan): number {
    return this.index.get(span) ?? -1;
  }

  private parentOf(position: number): number {
    return position < 0 ? DETACHED : this.parent[position];
  }

  /**
   * Tempo's SpansetOperation for a structural operator: the right-hand spans related to the
   * left-hand ones (negated: not related), or for the union forms both sides' related spans.
   */
  relate(
    op: StructuralOp,
    lhs: TraceQLSpan[],
    rhs: TraceQLSpan[],
  ): TraceQLSpan[] {
    const base = op.replace(/^[!&]/, '') as Relation;
    if (op.startsWith('&')) {
      const right = this.filterRelated(base, lhs, rhs, false);
      const left = this.filterRelated(inverse(base), rhs, lhs, false);
      return unionOf(right, left);
    }
    return this.filterRelated(base, lhs, rhs, op.startsWith('!'));
  }

  private filterRelated(
    op: Relation,
    lhs: TraceQLSpan[],
    candidates: TraceQLSpan[],
    negated: boolean,
  ): TraceQLSpan[] {
    const marks = this.marks(op, lhs);
    // A span is not its own sibling.
    const left = op === '~' ? new Set(lhs) : undefined;
    return candidates.filter(
      span => this.test(op, marks, left, span) !== negated,
    );
  }

  /**
   * Marks from which `test` answers in O(depth): the left-hand spans themselves (descendant,
   * child), their ancestors (ancestor), their parents (parent), or the number of them under each
   * parent (sibling).
   */
  private marks(op: Relation, lhs: TraceQLSpan[]): Int32Array {
    const marks = new Int32Array(this.parent.length + 1); // last slot: the roots' shared parent
    for (const span of lhs) {
      const position = this.position(span);
      if (position < 0 || this.parent[position] === DETACHED) continue;
      switch (op) {
        case '>>':
        case '>':
          marks[position] = 1;
          break;
        case '<':
          if (this.parent[position] >= 0) marks[this.parent[position]] = 1;
          break;
        case '<<':
          for (
            let p = this.parent[position];
            p >= 0 && marks[p] === 0;
            p = this.parent[p]
          ) {
            marks[p] = 1;
          }
          break;
        case '~':
          marks[this.siblingKey(position)]++;
          break;
        default:
      }
    }
    return marks;
  }

  private siblingKey(position: number): number {
    const parent = this.parent[position];
    return parent === ROOT ? this.parent.length : parent;
  }

  private test(
    op: Relation,
    marks: Int32Array,
    left: Set<TraceQLSpan> | undefined,
    span: TraceQLSpan,
  ): boolean {
    const position = this.position(span);
    if (position < 0 || this.parentOf(position) === DETACHED) return false;
    switch (op) {
      case '>': {
        const parent = this.parent[position];
        return parent >= 0 && marks[parent] === 1;
      }
      case '>>':
        for (let p = this.parent[position]; p >= 0; p = this.parent[p]) {
          if (marks[p] === 1) return true;
        }
        return false;
      case '<':
      case '<<':
        return marks[position] === 1;
      case '~': {
        const key = this.siblingKey(position);
        return marks[key] - (left?.has(span) ? 1 : 0) > 0;
      }
      default:
        return false;
    }
  }
}

function inverse(op: Relation): Relation {
  switch (op) {
    case '>>':
      return '<<';
    case '<<':
      return '>>';
    case '>':
      return '<';
    case '<':
      return '>';
    default:
      return '~';
  }
}

export function unionOf(a: TraceQLSpan[], b: TraceQLSpan[]): TraceQLSpan[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const seen = new Set(a);
  const out = a.slice();
  for (const span of b) if (!seen.has(span)) out.push(span);
  return out;
}
