import type { StoreHealth } from '@backstage-traces/plugin-traces-common';
import type { Knex } from 'knex';

/** `ok` while the store's table can be read, else `down` with the database's reason. */
export async function databaseHealth(
  db: Knex,
  table: string,
  store: string,
): Promise<StoreHealth> {
  try {
    await db(table).select(db.raw('1')).limit(1);
    return { store, status: 'ok' };
  } catch (error) {
    return {
      store,
      status: 'down',
      message: `The database cannot be read: ${(error as Error).message}`,
    };
  }
}
