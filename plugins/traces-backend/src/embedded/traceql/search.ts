import { InputError } from '@backstage/errors';
import type { Field, FieldExpr, Query, SpansetExpr } from './ast';
import { parseQuery } from './parse';
import { and, or, prefilterOf, type Prefilter } from './prefilter';
import {
  compilePredicate,
  fieldNeeds,
  type SpanPredicate,
  type TraceFacts,
} from './predicate';
import { TraceTree, unionOf } from './structure';
import type {
  ConditionField,
  SpanCondition,
  TraceQLScope,
  TraceQLSpan,
  TraceQLTrace,
} from './types';

export interface SearchPlan {
  /**
   * A necessary condition per span, as OR of ANDs: every span `evaluate` can match satisfies
   * at least one alternative. `[[]]`: any span; `[]`: nothing can match. A store may drop any
   * condition it cannot express; the set stays a superset.
   */
  prefilter: SpanCondition[][];
  /** The prefilter is exactly the query (one spanset filter, every condition expressible). */
  exact: boolean;
  needs: {
    /** evaluate() must see every span of a trace (structural operators). */
    wholeTrace: boolean;
    /** The query reads rootName, rootServiceName or traceDuration. */
    traceFacts: boolean;
    events: boolean;
    links: boolean;
  };
  /** The fields the query names (filters and select()): Tempo returns them on matched spans. */
  fields: ConditionField[];
  /** The matched spansets of one trace: `[]` when it does not match, else one spanset. */
  evaluate(trace: TraceQLTrace): TraceQLSpan[][];
}

const NO_FACTS: TraceFacts = {
  rootName: null,
  rootServiceName: null,
  durationNs: null,
};

class EvalContext {
  readonly spans: readonly TraceQLSpan[];
  readonly facts: TraceFacts;
  private treeCache?: TraceTree;

  constructor(trace: TraceQLTrace, needsFacts: boolean) {
    this.spans = trace.spans;
    this.facts = needsFacts ? factsOf(trace) : NO_FACTS;
  }

  get tree(): TraceTree {
    this.treeCache ??= new TraceTree(this.spans);
    return this.treeCache;
  }
}

function factsOf(trace: TraceQLTrace): TraceFacts {
  let root: TraceQLSpan | undefined;
  let rootName = trace.rootName;
  let rootServiceName = trace.rootServiceName;
  if (rootName === undefined || rootServiceName === undefined) {
    root = trace.spans.find(span => !span.parentSpanId);
    rootName ??= root?.name ?? null;
    rootServiceName ??= root?.serviceName ?? null;
  }
  let durationNs = trace.durationNs;
  if (durationNs === undefined && trace.spans.length > 0) {
    let start = trace.spans[0].startNs;
    for (const span of trace.spans)
      if (span.startNs < start) start = span.startNs;
    let end = 0;
    for (const span of trace.spans) {
      end = Math.max(end, Number(span.startNs - start) + span.durationNs);
    }
    durationNs = end;
  }
  return { rootName, rootServiceName, durationNs: durationNs ?? null };
}

/**
 * Compiles a TraceQL search query for the embedded store, scoped to `scope` as the Tempo path
 * scopes it (`scopeQuery`: the scope condition is ANDed into every spanset filter).
 *
 * @throws InputError for invalid TraceQL and for what the embedded store does not support.
 */
export function compileSearch(
  query: string | undefined,
  scope: TraceQLScope,
): SearchPlan {
  const parsed: Query =
    query === undefined || query.trim() === ''
      ? { spansets: { kind: 'filter' }, select: [] }
      : parseQuery(query);
  if (parsed.metrics) {
    throw new InputError(
      'This is a metrics query (it ends in a metrics function such as rate()); search needs a spanset filter',
    );
  }
  return planSpansets(parsed, scope);
}

/** The plan for the spanset part of a parsed query (search and metrics share it). */
export function planSpansets(parsed: Query, scope: TraceQLScope): SearchPlan {
  const scoped = compileScope(scope);
  const state: CompileState = {
    scope: scoped.predicate,
    structural: false,
    traceFacts: false,
    events: false,
    links: false,
    fields: new Map(),
  };
  const root = compileSpanset(parsed.spansets, state);
  for (const field of parsed.select) noteField(field, state);

  let prefilter = root.prefilter;
  if (scoped.conditions.length > 0) {
    prefilter = and(prefilter, {
      alternatives: [scoped.conditions],
      exact: true,
    });
  }
  const evaluateSpans = root.evaluate;
  const needsFacts = state.traceFacts;
  const structural = state.structural;
  return {
    prefilter: prefilter.alternatives,
    exact: prefilter.exact && parsed.spansets.kind === 'filter',
    needs: {
      wholeTrace: structural,
      traceFacts: needsFacts,
      events: state.events,
      links: state.links,
    },
    fields: [...state.fields.values()],
    evaluate(trace) {
      const context = new EvalContext(trace, needsFacts);
      const spans = evaluateSpans(context);
      return spans.length > 0 ? [spans] : [];
    },
  };
}

interface CompileState {
  scope?: SpanPredicate;
  structural: boolean;
  traceFacts: boolean;
  events: boolean;
  links: boolean;
  fields: Map<string, ConditionField>;
}

interface CompiledSpanset {
  evaluate(context: EvalContext): TraceQLSpan[];
  prefilter: Prefilter;
}

function compileSpanset(
  expr: SpansetExpr,
  state: CompileState,
): CompiledSpanset {
  switch (expr.kind) {
    case 'filter': {
      if (expr.filter) noteFields(expr.filter, state);
      const predicate = expr.filter ? compilePredicate(expr.filter) : undefined;
      const scope = state.scope;
      return {
        prefilter: prefilterOf(expr.filter),
        evaluate: filterEvaluator(scope, predicate),
      };
    }
    case 'pipeline': {
      const source = compileSpanset(expr.source, state);
      let prefilter = source.prefilter;
      const stages = expr.stages.map(stage => {
        noteFields(stage, state);
        prefilter = and(prefilter, prefilterOf(stage));
        return compilePredicate(stage);
      });
      return {
        prefilter,
        evaluate(context) {
          let spans = source.evaluate(context);
          for (const stage of stages) {
            spans = spans.filter(span => stage(span, context.facts));
          }
          return spans;
        },
      };
    }
    case 'and':
    case 'or': {
      const lhs = compileSpanset(expr.lhs, state);
      const rhs = compileSpanset(expr.rhs, state);
      const both = expr.kind === 'and';
      return {
        // The spans to look at are those of either side, whichever the operator.
        prefilter: or(lhs.prefilter, rhs.prefilter),
        evaluate(context) {
          const left = lhs.evaluate(context);
          if (both && left.length === 0) return left;
          const right = rhs.evaluate(context);
          if (both && right.length === 0) return right;
          return unionOf(left, right);
        },
      };
    }
    case 'structural': {
      state.structural = true;
      const lhs = compileSpanset(expr.lhs, state);
      const rhs = compileSpanset(expr.rhs, state);
      const op = expr.op;
      return {
        prefilter: or(lhs.prefilter, rhs.prefilter),
        evaluate(context) {
          const left = lhs.evaluate(context);
          if (left.length === 0) return left;
          const right = rhs.evaluate(context);
          if (right.length === 0) return right;
          return context.tree.relate(op, left, right);
        },
      };
    }
    default:
      throw new Error('unknown spanset expression');
  }
}

function filterEvaluator(
  scope: SpanPredicate | undefined,
  predicate: SpanPredicate | undefined,
): (context: EvalContext) => TraceQLSpan[] {
  if (!scope && !predicate) return context => context.spans.slice();
  if (!scope || !predicate) {
    const test = (scope ?? predicate)!;
    return context => {
      const { spans, facts } = context;
      const out: TraceQLSpan[] = [];
      for (let i = 0; i < spans.length; i++) {
        if (test(spans[i], facts)) out.push(spans[i]);
      }
      return out;
    };
  }
  return context => {
    const { spans, facts } = context;
    const out: TraceQLSpan[] = [];
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i];
      if (scope(span, facts) && predicate(span, facts)) out.push(span);
    }
    return out;
  };
}

function noteFields(expr: FieldExpr, state: CompileState) {
  switch (expr.kind) {
    case 'intrinsic':
    case 'attribute':
      noteField(expr, state);
      break;
    case 'compare':
      noteFields(expr.lhs, state);
      noteFields(expr.rhs, state);
      break;
    case 'and':
    case 'or':
      noteFields(expr.lhs, state);
      noteFields(expr.rhs, state);
      break;
    case 'not':
      noteFields(expr.expr, state);
      break;
    default:
  }
}

function noteField(field: Field, state: CompileState) {
  const needs = fieldNeeds(field);
  if (needs === 'events') state.events = true;
  if (needs === 'links') state.links = true;
  const target = conditionField(field);
  if (target && 'trace' in target) state.traceFacts = true;
  if (target) state.fields.set(JSON.stringify(target), target);
}

export function conditionField(field: Field): ConditionField | undefined {
  if (field.kind === 'intrinsic') {
    switch (field.name) {
      case 'rootName':
      case 'rootServiceName':
      case 'traceDuration':
        return { trace: field.name };
      case 'eventName':
        return undefined;
      default:
        return { intrinsic: field.name };
    }
  }
  if (field.scope === 'event' || field.scope === 'link') return undefined;
  return { scope: field.scope, key: field.name };
}

// ---------------------------------------------------------------------------------------------
// The entity scope

/**
 * The scope as a predicate and as prefilter conditions. It means what `buildScopeCondition` +
 * `scopeQuery` mean on the Tempo path: `resource.service.name` is one of the names, and the
 * namespace, environment and cluster resource attributes equal their values.
 */
export function compileScope(scope: TraceQLScope): {
  predicate?: SpanPredicate;
  conditions: SpanCondition[];
} {
  const conditions: SpanCondition[] = [];
  const checks: SpanPredicate[] = [];
  if (scope.serviceNames) {
    const names = [...new Set(scope.serviceNames)];
    const set = new Set(names);
    conditions.push({
      field: { intrinsic: 'serviceName' },
      op: 'in',
      value: names,
    });
    checks.push(span => set.has(span.serviceName));
  }
  const equalities: Array<[string, string]> = [];
  if (scope.serviceNamespace)
    equalities.push(['service.namespace', scope.serviceNamespace]);
  if (scope.environment)
    equalities.push([scope.environment.attribute, scope.environment.value]);
  if (scope.cluster)
    equalities.push([scope.cluster.attribute, scope.cluster.value]);
  for (const [key, value] of equalities) {
    conditions.push({ field: { scope: 'resource', key }, op: '=', value });
    checks.push(
      span =>
        Object.prototype.hasOwnProperty.call(span.resourceAttributes, key) &&
        span.resourceAttributes[key] === value,
    );
  }
  if (checks.length === 0) return { conditions };
  if (checks.length === 1) return { predicate: checks[0], conditions };
  return {
    predicate: (span, facts) => {
      for (let i = 0; i < checks.length; i++)
        if (!checks[i](span, facts)) return false;
      return true;
    },
    conditions,
  };
}
