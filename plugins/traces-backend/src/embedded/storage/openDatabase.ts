import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const MIGRATIONS = resolvePackagePath(
  '@backstage-traces/plugin-traces-backend',
  'migrations',
);

/** The plugin's database with the store's tables migrated to the latest version. */
export async function openDatabase(database: DatabaseService): Promise<Knex> {
  const db = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateStore(db);
  }
  return db;
}

export async function migrateStore(db: Knex): Promise<void> {
  await db.migrate.latest({ directory: MIGRATIONS });
}
