import type { Knex } from 'knex';

/** Bound values per statement, under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_BINDINGS = 30_000;

/** The part of a better-sqlite3 connection used here. */
interface SqliteConnection {
  prepare(sql: string): { run(...values: unknown[]): unknown };
}

const statements = new WeakMap<
  object,
  Map<string, ReturnType<SqliteConnection['prepare']>>
>();

/**
 * Inserts rows. On SQLite (better-sqlite3), one prepared single-row statement run per row on
 * the transaction's connection: SQLite parses a statement of thousands of value tuples slower
 * than it runs a prepared one a thousand times. Elsewhere, multi-row `INSERT … VALUES (…),
 * (…)` in chunks (knex's own multi-row insert compiles to `UNION ALL` selects on SQLite,
 * capped at 500 rows).
 */
export async function insertRows(
  db: Knex | Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  suffix = '',
): Promise<void> {
  if (rows.length === 0) return;
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const head = `insert into ${table} (${columns.join(',')}) values `;
  if (db.client.config.client === 'better-sqlite3') {
    const connection =
      (await db.client.acquireConnection()) as SqliteConnection;
    try {
      const statement = prepared(connection, head + tuple + suffix);
      for (const row of rows) statement.run(...row.map(sqliteValue));
    } finally {
      await db.client.releaseConnection(connection);
    }
    return;
  }
  const perChunk = Math.max(1, Math.floor(MAX_BINDINGS / columns.length));
  for (let from = 0; from < rows.length; from += perChunk) {
    const chunk = rows.slice(from, from + perChunk);
    const bindings: unknown[] = [];
    for (const row of chunk) for (const value of row) bindings.push(value);
    await db.raw(
      head + new Array(chunk.length).fill(tuple).join(',') + suffix,
      bindings as Knex.RawBinding[],
    );
  }
}

function prepared(connection: SqliteConnection, sql: string) {
  let byConnection = statements.get(connection);
  if (!byConnection) statements.set(connection, (byConnection = new Map()));
  let statement = byConnection.get(sql);
  if (!statement) byConnection.set(sql, (statement = connection.prepare(sql)));
  return statement;
}

/** better-sqlite3 binds numbers, bigints, strings, Buffers and null; no booleans. */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}
