import { parser } from '@grafana/lezer-traceql';
import type { SyntaxNode } from './analyze';
import { toWellFormed } from './tempoLexer';

/** How a query uses an attribute or intrinsic. */
export type TraceQLFieldRole =
  /** In a spanset filter: `{ span.x = "a" }`, `{ span.x }`, `{ span.x + 1 > 2 }`. */
  | 'filter'
  /** `by(…)` of a pipeline or a metrics function: the values become labels or groups. */
  | 'group'
  /** `select(…)`: the values come back with the matched spans. */
  | 'select'
  /** `avg(span.x) > 1` and the argument of a metrics function (`quantile_over_time(…)`). */
  | 'aggregate';

/** One attribute or intrinsic in a TraceQL query, as {@link fieldUses} finds it. */
export interface TraceQLFieldUse {
  /** `span`, `resource`, `event`, `link`, `instrumentation`, `parent`; undefined for `.x`. */
  scope?: string;
  /** The attribute name, unquoted (`http.request.header.authorization`), or the intrinsic. */
  name: string;
  /** True for intrinsics (`name`, `status`, `span:statusMessage`, `trace:rootName`, …). */
  intrinsic: boolean;
  /** What the query does with it. */
  role: TraceQLFieldRole;
  /** For filters: the operator applied to the field (`=`, `=~`, `>`, `+`, …), if any. */
  operator?: string;
  /** For filters: whether the field is compared with `nil` (an existence check). */
  comparedToNil?: boolean;
  /** The field's text in the query. */
  text: string;
  /** Where the field starts in the query (UTF-16 offset). */
  from: number;
  /** Where the field ends in the query (UTF-16 offset, exclusive). */
  to: number;
}

const ROLE_OF_ANCESTOR: Record<string, TraceQLFieldRole> = {
  GroupOperation: 'group',
  SelectOperation: 'select',
  Aggregate: 'aggregate',
  MetricsExpression: 'aggregate',
  MetricsOperationQuantileArgs: 'aggregate',
  SpansetFilter: 'filter',
  ScalarFilter: 'aggregate',
};

/**
 * Every attribute and intrinsic a TraceQL query refers to, from the parsed tree, with what the
 * query does with it. For policies such as "never filter on a masked attribute": working on
 * the tree, quoting (`span."x"`), spacing or nesting cannot hide a use.
 */
export function fieldUses(rawQuery: string): TraceQLFieldUse[] {
  const query = toWellFormed(rawQuery);
  const uses: TraceQLFieldUse[] = [];
  parser.parse(query).iterate({
    enter(ref) {
      if (ref.name !== 'AttributeField' && ref.name !== 'IntrinsicField')
        return undefined;
      const node = ref.node;
      const text = query.slice(node.from, node.to);
      const intrinsic = ref.name === 'IntrinsicField';
      const identifier = node.getChild('Identifier');
      const scopeNode = node.firstChild;
      const scope =
        !intrinsic && scopeNode && scopeNode.name !== 'Identifier'
          ? query.slice(scopeNode.from, scopeNode.to)
          : undefined;
      const name = intrinsic
        ? text
        : unquote(
            identifier ? query.slice(identifier.from, identifier.to) : text,
          );
      uses.push({
        ...(scope !== undefined && { scope }),
        name,
        intrinsic,
        ...roleOf(query, node),
        text,
        from: node.from,
        to: node.to,
      });
      return false;
    },
  });
  return uses;
}

function roleOf(
  query: string,
  field: SyntaxNode,
): Pick<TraceQLFieldUse, 'role' | 'operator' | 'comparedToNil'> {
  let role: TraceQLFieldRole = 'filter';
  for (let node = field.parent; node; node = node.parent) {
    const found = ROLE_OF_ANCESTOR[node.name];
    if (found) {
      role = found;
      break;
    }
  }
  if (role !== 'filter') return { role };
  // FieldExpression(field) inside FieldExpression(field op other).
  const own = field.parent;
  const comparison = own?.parent;
  if (!own || comparison?.name !== 'FieldExpression') return { role };
  const op = comparison.getChild('FieldOp');
  if (!op) return { role };
  const operands = comparison.getChildren('FieldExpression');
  const other = operands.find(operand => operand.from !== own.from);
  const otherText = other ? query.slice(other.from, other.to).trim() : '';
  return {
    role,
    operator: query.slice(op.from, op.to),
    comparedToNil: otherText === 'nil',
  };
}

/** `"a \"b\""` → `a "b"` (TraceQL allows only `\"` and `\\` in quoted names). */
function unquote(identifier: string): string {
  if (!identifier.startsWith('"') || !identifier.endsWith('"'))
    return identifier;
  return identifier.slice(1, -1).replace(/\\(["\\])/g, '$1');
}
