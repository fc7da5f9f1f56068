import type { Knex } from 'knex';

/** A piece of SQL with its bindings. */
export interface Sql {
  sql: string;
  bindings: Knex.RawBinding[];
}

export type JsonType = 'string' | 'number' | 'boolean' | 'array';

/**
 * How SQLite and PostgreSQL read one key of a JSON attributes column. Keys are bound, never
 * spliced into the SQL.
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** True when the value under `key` has this JSON type. */
  isType(column: string, key: string, type: JsonType): Sql | undefined;
  /** The value under `key` as text (strings), or NULL for other types. */
  text(column: string, key: string): Sql | undefined;
  /** The value under `key` as a number, or NULL for other types. */
  number(column: string, key: string): Sql | undefined;
  /** The value under `key` is the JSON boolean `value`. */
  isBoolean(column: string, key: string, value: boolean): Sql | undefined;
}

/** SQLite's JSON1 functions (built into better-sqlite3). */
const sqlite: SqlDialect = {
  name: 'sqlite',
  isType(column, key, type) {
    const path = sqlitePath(key);
    if (!path) return undefined;
    const types = {
      string: "('text')",
      number: "('integer','real')",
      boolean: "('true','false')",
      array: "('array')",
    }[type];
    return { sql: `json_type(${column}, ?) in ${types}`, bindings: [path] };
  },
  text(column, key) {
    const path = sqlitePath(key);
    if (!path) return undefined;
    return {
      sql: `(case when json_type(${column}, ?) = 'text' then json_extract(${column}, ?) end)`,
      bindings: [path, path],
    };
  },
  number(column, key) {
    const path = sqlitePath(key);
    if (!path) return undefined;
    return {
      sql: `(case when json_type(${column}, ?) in ('integer','real') then json_extract(${column}, ?) end)`,
      bindings: [path, path],
    };
  },
  isBoolean(column, key, value) {
    const path = sqlitePath(key);
    if (!path) return undefined;
    return {
      sql: `json_type(${column}, ?) = ?`,
      bindings: [path, value ? 'true' : 'false'],
    };
  },
};

/** `$."key"`; keys with quotes or backslashes are left to the evaluator. */
function sqlitePath(key: string): string | undefined {
  return /["\\]/.test(key) ? undefined : `$."${key}"`;
}

/** PostgreSQL's jsonb operators on the attributes text. */
const postgres: SqlDialect = {
  name: 'postgres',
  isType(column, key, type) {
    const name = {
      string: 'string',
      number: 'number',
      boolean: 'boolean',
      array: 'array',
    }[type];
    return {
      sql: `jsonb_typeof((${column})::jsonb -> ?) = '${name}'`,
      bindings: [key],
    };
  },
  text(column, key) {
    return {
      sql: `(case when jsonb_typeof((${column})::jsonb -> ?) = 'string' then (${column})::jsonb ->> ? end)`,
      bindings: [key, key],
    };
  },
  number(column, key) {
    return {
      sql: `(case when jsonb_typeof((${column})::jsonb -> ?) = 'number' then ((${column})::jsonb ->> ?)::double precision end)`,
      bindings: [key, key],
    };
  },
  isBoolean(column, key, value) {
    return {
      sql: `((${column})::jsonb -> ?) = ?::jsonb`,
      bindings: [key, value ? 'true' : 'false'],
    };
  },
};

export function dialectOf(db: Knex): SqlDialect {
  const client = String(db.client.config.client ?? '');
  return client === 'pg' || client === 'postgres' || client === 'postgresql'
    ? postgres
    : sqlite;
}
