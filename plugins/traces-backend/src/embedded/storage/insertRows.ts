import type { Knex } from 'knex';

/** Bound values per statement, under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_BINDINGS = 30_000;

/**
 * Multi-row `INSERT … VALUES (…), (…)` in chunks. knex's own multi-row insert compiles to
 * `SELECT … UNION ALL SELECT …` on SQLite, which SQLite caps at 500 rows per statement.
 */
export async function insertRows(
  db: Knex | Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  suffix = '',
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(MAX_BINDINGS / columns.length));
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const head = `insert into ${table} (${columns.join(',')}) values `;
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
