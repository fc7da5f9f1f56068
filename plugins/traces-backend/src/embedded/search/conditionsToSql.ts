import type { Knex } from 'knex';
import type { ConditionField, SpanCondition } from '../traceql';
import type { StoredSource } from '../read/SourceCache';
import { matchValue } from './matchValue';
import type { Sql, SqlDialect } from './sqlDialect';

/** The WHERE clause of a prefilter, and whether it is exactly the prefilter. */
export interface PrefilterSql extends Sql {
  /** Every condition was translated as written (none dropped or widened). */
  exact: boolean;
  /** The clause reads the `traces` row (`t.`): join it. */
  joinsTraces: boolean;
}

const COLUMNS: Record<string, string> = {
  name: 's.name',
  status: 's.status_code',
  kind: 's.kind',
  duration: 's.duration_ns',
  serviceName: 's.service_name',
};

const TRACE_COLUMNS: Record<string, string> = {
  rootName: 't.root_span_name',
  rootServiceName: 't.root_service_name',
  traceDuration: '(t.end_ns - t.start_ns)',
};

const ORDERING = new Set(['<', '<=', '>', '>=']);

/**
 * A prefilter (OR of ANDs of span conditions) as SQL over `spans s` (and `traces t`).
 * Conditions on resource attributes are decided against the stored sources here and become
 * `s.source_id in (…)`; what SQL cannot say exactly (regexes, ordering of strings, arrays) is
 * widened or dropped, which keeps a superset for the evaluator. Undefined when nothing can
 * match.
 */
export function prefilterToSql(
  alternatives: ReadonlyArray<readonly SpanCondition[]>,
  dialect: SqlDialect,
  sources: readonly StoredSource[],
): PrefilterSql | undefined {
  const parts: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  let exact = true;
  let joinsTraces = false;
  for (const conditions of alternatives) {
    const clauses: string[] = [];
    let impossible = false;
    for (const condition of conditions) {
      const translated = conditionToSql(condition, dialect, sources);
      if (translated === 'never') {
        impossible = true;
        break;
      }
      if (!translated) {
        exact = false;
        continue;
      }
      if (!translated.exact) exact = false;
      if (translated.joinsTraces) joinsTraces = true;
      clauses.push(`(${translated.sql})`);
      bindings.push(...translated.bindings);
    }
    if (impossible) continue;
    if (clauses.length === 0) {
      // An alternative without conditions matches every span.
      return { sql: '1 = 1', bindings: [], exact, joinsTraces: false };
    }
    parts.push(clauses.join(' and '));
  }
  if (parts.length === 0) return undefined;
  return {
    sql: parts.map(p => `(${p})`).join(' or '),
    bindings,
    exact,
    joinsTraces,
  };
}

type Translated =
  | (Sql & { exact: boolean; joinsTraces?: boolean })
  | undefined
  | 'never';

function conditionToSql(
  condition: SpanCondition,
  dialect: SqlDialect,
  sources: readonly StoredSource[],
): Translated {
  const { field } = condition;
  if ('intrinsic' in field) {
    if (field.intrinsic === 'statusMessage') {
      return columnCondition("coalesce(s.status_message, '')", condition);
    }
    return columnCondition(COLUMNS[field.intrinsic], condition);
  }
  if ('trace' in field) {
    const translated = columnCondition(TRACE_COLUMNS[field.trace], condition);
    if (!translated || translated === 'never') return translated;
    return { ...translated, joinsTraces: true };
  }
  if (field.scope === 'resource') {
    return sourceCondition(field, condition, sources);
  }
  const span = attributeCondition(
    's.attributes',
    field.key,
    condition,
    dialect,
  );
  if (field.scope === 'span') return span;
  // Unscoped: the span's attribute, or the resource's when the span has none.
  const resource = sourceCondition(field, condition, sources);
  if (span === 'never') return resource;
  if (resource === 'never') return span && { ...span, exact: false };
  if (!span || !resource) return undefined;
  return {
    sql: `(${span.sql}) or (${resource.sql})`,
    bindings: [...span.bindings, ...resource.bindings],
    exact: false,
  };
}

function columnCondition(column: string, condition: SpanCondition): Translated {
  if (condition.op === 'in') {
    if (condition.value.length === 0) return 'never';
    return {
      sql: `${column} in (${condition.value.map(() => '?').join(',')})`,
      bindings: [...condition.value],
      exact: true,
    };
  }
  const { op, value } = condition;
  if (op === '=~' || op === '!~') return undefined;
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'string' && ORDERING.has(op)) return undefined;
  return {
    sql: `${column} ${op === '!=' ? '<>' : op} ?`,
    bindings: [value],
    exact: true,
  };
}

function attributeCondition(
  column: string,
  key: string,
  condition: SpanCondition,
  dialect: SqlDialect,
): Translated {
  // Array values match element-wise in TraceQL: keep them for the evaluator.
  const array = dialect.isType(column, key, 'array');
  if (!array) return undefined;
  const widen = (sql: Sql | undefined): Translated =>
    sql && {
      sql: `(${sql.sql}) or (${array.sql})`,
      bindings: [...sql.bindings, ...array.bindings],
      exact: false,
    };
  if (condition.op === 'in') {
    if (condition.value.length === 0) return 'never';
    const text = dialect.text(column, key);
    return widen(
      text && {
        sql: `${text.sql} in (${condition.value.map(() => '?').join(',')})`,
        bindings: [...text.bindings, ...condition.value],
      },
    );
  }
  const { op, value } = condition;
  if (op === '=~' || op === '!~') return undefined;
  if (typeof value === 'boolean') {
    if (op !== '=' && op !== '!=') return undefined;
    return widen(dialect.isBoolean(column, key, op === '=' ? value : !value));
  }
  if (typeof value === 'string' && ORDERING.has(op)) return undefined;
  const read =
    typeof value === 'number'
      ? dialect.number(column, key)
      : dialect.text(column, key);
  return widen(
    read && {
      sql: `${read.sql} ${op === '!=' ? '<>' : op} ?`,
      bindings: [...read.bindings, value],
    },
  );
}

/** A resource condition as the set of sources it holds for. */
function sourceCondition(
  field: Extract<ConditionField, { key: string }>,
  condition: SpanCondition,
  sources: readonly StoredSource[],
): Translated {
  const ids: number[] = [];
  let exact = true;
  for (const source of sources) {
    const match = matchValue(source.resourceAttributes[field.key], condition);
    if (match === undefined) exact = false;
    if (match !== false) ids.push(source.id);
  }
  if (ids.length === 0) return 'never';
  return {
    sql: `s.source_id in (${ids.map(() => '?').join(',')})`,
    bindings: ids,
    exact,
  };
}
