import {
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { migrateStore } from '../storage/openDatabase';

const POSTGRES: TestDatabaseId[] = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
];

/**
 * SQLite always, plus every PostgreSQL whose connection string is set
 * (`BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING`; `.ci/run` starts one). Explicit
 * IDs: with CI=true, TestDatabases would otherwise try to start PostgreSQL in Docker.
 */
export function storeTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  for (const id of POSTGRES) {
    if (
      process.env[
        `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
      ]
    ) {
      ids.push(id);
    }
  }
  return TestDatabases.create({ ids });
}

/** A fresh database of `id` with the store's tables. */
export async function migratedDatabase(
  databases: TestDatabases,
  id: TestDatabaseId,
): Promise<Knex> {
  const db = await databases.init(id);
  await migrateStore(db);
  return db;
}
