import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { EmbeddedStore } from '../EmbeddedStore';
import { toLogBatch } from '../ingest/logRows';
import { decodeLogsRequest } from '../otlp/decodeRequest';
import {
  migratedDatabase,
  storeTestDatabases,
} from '../__testUtils__/storeDatabases';
import { mockServices } from '@backstage/backend-test-utils';
import { EmbeddedLogStore } from './EmbeddedLogStore';

const databases = storeTestDatabases();
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const BASE_MS = 1795549349000;

function record(
  i: number,
  spanId: string,
  severityNumber: number,
  text?: string,
) {
  return {
    timeUnixNano: String(BigInt(BASE_MS + i) * 1_000_000n + 123n),
    observedTimeUnixNano: String(BigInt(BASE_MS + i + 1) * 1_000_000n),
    severityNumber,
    ...(text && { severityText: text }),
    body: { stringValue: `line ${i}` },
    traceId: TRACE,
    spanId,
    attributes: [{ key: 'thread', value: { intValue: String(i) } }],
  };
}

describe.each(databases.eachSupportedId())(
  'EmbeddedLogStore on %p',
  databaseId => {
    let db: Knex;
    let logs: EmbeddedLogStore;
    const window = { start: BASE_MS - 1000, end: BASE_MS + 60_000 };

    beforeAll(async () => {
      db = await migratedDatabase(databases, databaseId as TestDatabaseId);
      const store = new EmbeddedStore(db, mockServices.logger.mock());
      const request = {
        resourceLogs: [
          {
            resource: {
              attributes: [
                { key: 'service.name', value: { stringValue: 'orders-api' } },
                { key: 'service.namespace', value: { stringValue: 'shop' } },
              ],
            },
            scopeLogs: [
              {
                scope: { name: 'logback', version: '1.5' },
                logRecords: [
                  record(0, 'eee19b7ec3c1b174', 9),
                  record(1, 'eee19b7ec3c1b174', 17, 'ERROR'),
                  record(2, 'b7ad6b7169203331', 13),
                  record(3, 'b7ad6b7169203331', 0, 'DEBUG'),
                  record(4, 'b7ad6b7169203331', 9),
                ],
              },
            ],
          },
        ],
      };
      await store.writeLogs(
        toLogBatch(
          decodeLogsRequest(Buffer.from(JSON.stringify(request)), 'json'),
        ),
      );
      logs = new EmbeddedLogStore(db);
    });

    it('pages through a trace’s logs in time order with a cursor', async () => {
      const first = await logs.getLogs({
        traceId: TRACE,
        window,
        limit: 2,
        order: 'asc',
      });
      expect(first.total).toBe(5);
      expect(first.logs.map(l => l.message)).toEqual(['line 0', 'line 1']);
      expect(first.logs[1]).toEqual({
        id: expect.any(String),
        timestamp: '2026-11-24T19:42:29.001000123Z',
        message: 'line 1',
        severity: 'ERROR',
        severityNumber: 17,
        serviceName: 'orders-api',
        traceId: TRACE,
        spanId: 'eee19b7ec3c1b174',
        fields: {
          'attributes.thread': 1,
          'resource.service.namespace': 'shop',
          'instrumentationScope.name': 'logback',
          'instrumentationScope.version': '1.5',
          observedTimestamp: '2026-11-24T19:42:29.002Z',
        },
      });
      const second = await logs.getLogs({
        traceId: TRACE,
        window,
        limit: 2,
        order: 'asc',
        cursor: first.nextCursor,
      });
      expect(second.logs.map(l => l.message)).toEqual(['line 2', 'line 3']);
      const third = await logs.getLogs({
        traceId: TRACE,
        limit: 2,
        order: 'asc',
        cursor: second.nextCursor,
      });
      expect(third.logs.map(l => l.message)).toEqual(['line 4']);
      expect(third.nextCursor).toBeUndefined();
    });

    it('reads one span’s logs newest first, and refuses a cursor of another query', async () => {
      const page = await logs.getLogs({
        traceId: TRACE,
        spanId: 'b7ad6b7169203331',
        window,
        limit: 2,
        order: 'desc',
      });
      expect(page.logs.map(l => l.message)).toEqual(['line 4', 'line 3']);
      expect(page.logs[0].severity).toBe('INFO');
      await expect(
        logs.getLogs({
          traceId: TRACE,
          window,
          limit: 2,
          order: 'asc',
          cursor: page.nextCursor,
        }),
      ).rejects.toThrow(/different query/);
    });

    it('counts logs per span with the highest severity', async () => {
      expect(await logs.getLogCounts({ traceId: TRACE, window })).toEqual({
        counts: {
          eee19b7ec3c1b174: { count: 2, highestSeverity: 'ERROR' },
          b7ad6b7169203331: { count: 3, highestSeverity: 'WARN' },
        },
      });
      expect(
        await logs.getLogCounts({
          traceId: TRACE,
          window: { start: 0, end: 1000 },
        }),
      ).toEqual({ counts: {} });
    });

    it('is healthy while the database answers', async () => {
      expect(await logs.getHealth()).toEqual({
        store: 'Embedded store',
        status: 'ok',
      });
    });
  },
);
