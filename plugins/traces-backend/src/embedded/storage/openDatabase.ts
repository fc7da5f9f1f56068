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
  await tuneSqlite(db);
  if (!database.migrations?.skip) {
    await migrateStore(db);
  }
  return db;
}

export async function migrateStore(db: Knex): Promise<void> {
  await db.migrate.latest({ directory: MIGRATIONS });
}

/**
 * A file-backed SQLite database in write-ahead-log mode with `synchronous = NORMAL`: each
 * ingest transaction then appends to the log instead of syncing the whole journal, and reads
 * do not wait for writes. No effect on PostgreSQL or in-memory SQLite.
 */
export async function tuneSqlite(db: Knex): Promise<void> {
  if (db.client.config.client !== 'better-sqlite3') return;
  const filename = db.client.config.connection?.filename;
  if (!filename || filename === ':memory:') return;
  await db.raw('PRAGMA journal_mode = WAL');
  await db.raw('PRAGMA synchronous = NORMAL');
}
