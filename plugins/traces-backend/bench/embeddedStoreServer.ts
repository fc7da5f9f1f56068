/*
 * The embedded store's OTLP receiver alone, over a file-backed SQLite database: the process
 * whose ingest rate and RSS `embedded-store.bench.ts` measures.
 *   node --import ../../bench/register.mjs bench/embeddedStoreServer.ts <sqlite file> <port>
 */
import express from 'express';
import knexFactory from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import { EmbeddedStore } from '../src/embedded/EmbeddedStore';
import { createOtlpReceiver } from '../src/embedded/receiver/createOtlpReceiver';
import { migrateStore, tuneSqlite } from '../src/embedded/storage/openDatabase';

const [file, port] = process.argv.slice(2);
const db = knexFactory({
  client: 'better-sqlite3',
  connection: { filename: file },
  useNullAsDefault: true,
});
async function serve() {
  await tuneSqlite(db);
  await migrateStore(db);
  const logger = mockServices.rootLogger({ level: 'warn' });
  const app = express();
  app.use(
    '/api/traces',
    createOtlpReceiver({
      options: { allowLoopback: true, maxRequestBytes: 64 * 1024 * 1024 },
      sink: new EmbeddedStore(db, logger),
      logger,
    }),
  );
  app.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
}

serve().catch(error => {
  console.error(error);
  process.exit(1);
});
