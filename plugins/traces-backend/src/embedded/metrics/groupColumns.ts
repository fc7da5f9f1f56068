import type { Knex } from 'knex';
import type { ConditionField, TraceQLValue } from '../traceql';
import type { StoredSource } from '../read/SourceCache';
import type { SqlDialect } from '../search/sqlDialect';

const COLUMNS: Record<string, string> = {
  name: 's.name',
  status: 's.status_code',
  kind: 's.kind',
  duration: 's.duration_ns',
  statusMessage: "coalesce(s.status_message, '')",
  serviceName: 's.service_name',
};

/** One `by(…)` field as selected SQL columns, and how to read its value back from a row. */
export interface GroupColumn {
  /** Select expressions, aliased `g<i>_<n>`. */
  select: string[];
  bindings: Knex.RawBinding[];
  /** The aliases to group by. */
  groupBy: string[];
  read(
    row: Record<string, unknown>,
    sources: Map<number, StoredSource>,
  ): TraceQLValue;
}

/**
 * The `by(…)` fields as SQL, for counting spans grouped in the database. Undefined when a
 * field cannot be grouped in SQL (trace-level intrinsics, keys the dialect cannot address).
 */
export function groupColumns(
  fields: readonly ConditionField[],
  dialect: SqlDialect,
): GroupColumn[] | undefined {
  const columns: GroupColumn[] = [];
  for (const [index, field] of fields.entries()) {
    const alias = `g${index}`;
    if ('trace' in field) return undefined;
    if ('intrinsic' in field) {
      const column = COLUMNS[field.intrinsic];
      columns.push({
        select: [`${column} as ${alias}`],
        bindings: [],
        groupBy: [alias],
        // PostgreSQL hands bigint columns over as text.
        read:
          field.intrinsic === 'duration'
            ? row => Number(row[alias])
            : row => scalar(row[alias]),
      });
      continue;
    }
    const source = {
      select: [`s.source_id as ${alias}_s`],
      groupBy: [`${alias}_s`],
    };
    const resourceValue = (
      row: Record<string, unknown>,
      sources: Map<number, StoredSource>,
    ) =>
      (sources.get(Number(row[`${alias}_s`]))?.resourceAttributes[field.key] ??
        null) as TraceQLValue;
    if (field.scope === 'resource') {
      columns.push({ ...source, bindings: [], read: resourceValue });
      continue;
    }
    const span = spanValue(dialect, field.key, alias);
    if (!span) return undefined;
    if (field.scope === 'span') {
      columns.push({ ...span, read: row => span.read(row) });
      continue;
    }
    columns.push({
      select: [...span.select, ...source.select],
      bindings: span.bindings,
      groupBy: [...span.groupBy, ...source.groupBy],
      read: (row, sources) => {
        const own = span.read(row);
        return own === null ? resourceValue(row, sources) : own;
      },
    });
  }
  return columns;
}

function spanValue(dialect: SqlDialect, key: string, alias: string) {
  if (dialect.name === 'postgres') {
    return {
      select: [`((s.attributes)::jsonb -> ?)::text as ${alias}_v`],
      bindings: [key] as Knex.RawBinding[],
      groupBy: [`${alias}_v`],
      read: (row: Record<string, unknown>) => jsonValue(row[`${alias}_v`]),
    };
  }
  if (/["\\]/.test(key)) return undefined;
  const path = `$."${key}"`;
  return {
    select: [
      `json_extract(s.attributes, ?) as ${alias}_v`,
      `json_type(s.attributes, ?) as ${alias}_t`,
    ],
    bindings: [path, path] as Knex.RawBinding[],
    groupBy: [`${alias}_v`, `${alias}_t`],
    read: (row: Record<string, unknown>) => {
      const value = row[`${alias}_v`];
      switch (row[`${alias}_t`]) {
        case 'true':
          return true;
        case 'false':
          return false;
        case 'array':
        case 'object':
          return jsonValue(value);
        case null:
        case undefined:
        case 'null':
          return null;
        default:
          return scalar(value);
      }
    },
  };
}

function jsonValue(text: unknown): TraceQLValue {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text) as TraceQLValue;
  } catch {
    return null;
  }
}

function scalar(value: unknown): TraceQLValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  )
    return value;
  return String(value);
}
