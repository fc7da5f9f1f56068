import { parser } from '@grafana/lezer-traceql';
import { TraceQLInputError } from './errors';
import type { SyntaxNode } from './analyze';

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=', '=~', '!~']);

/**
 * A filter of tag (autocomplete) requests as its conditions: `{ span.http.route = "/a" && status = error }`.
 * Only conditions joined with `&&`, each a scoped attribute or intrinsic compared with a
 * literal, since Tempo ignores the whole filter otherwise.
 */
export function parseConditionList(q: string | undefined): string[] {
  const text = q?.trim();
  if (!text || text === '{}' || text === '{ }') return [];
  const wrapped = text.startsWith('{') ? text : `{ ${text} }`;
  const tree = parser.parse(wrapped);
  let problem: string | undefined;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) problem ??= 'it is not valid TraceQL';
    },
  });
  const filter = tree.topNode
    .getChild('SpansetPipelineExpression')
    ?.getChild('SpansetPipeline')?.firstChild;
  if (
    problem ||
    filter?.name !== 'SpansetFilter' ||
    filter.to !== wrapped.length
  ) {
    throw invalid(text, problem ?? 'it must be a single { … } filter');
  }
  const conditions: string[] = [];
  const visit = (node: SyntaxNode) => {
    const parts = node.getChildren('FieldExpression');
    if (node.getChild('And') && parts.length === 2) {
      parts.forEach(visit);
      return;
    }
    const op = node.getChild('FieldOp');
    const field = parts[0]?.firstChild;
    const value = parts[1]?.firstChild;
    const opText = op ? wrapped.slice(op.from, op.to) : '';
    if (
      parts.length !== 2 ||
      !COMPARISONS.has(opText) ||
      (field?.name !== 'AttributeField' && field?.name !== 'IntrinsicField') ||
      value?.name !== 'Static'
    ) {
      throw invalid(
        text,
        `'${wrapped.slice(
          node.from,
          node.to,
        )}' is not a comparison of a field with a value (only conditions joined with && are supported)`,
      );
    }
    if (
      field.name === 'AttributeField' &&
      !field.getChild('Identifier')?.prevSibling
    ) {
      throw invalid(
        text,
        `'${wrapped.slice(
          field.from,
          field.to,
        )}' has no scope; write span.… or resource.…`,
      );
    }
    conditions.push(wrapped.slice(node.from, node.to).trim());
  };
  const body = filter.getChild('FieldExpression');
  if (body) visit(body);
  return conditions;
}

function invalid(q: string, why: string) {
  return new TraceQLInputError(`'${q.slice(0, 200)}': ${why}`);
}
