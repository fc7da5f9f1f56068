import {
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { EmbeddedStore } from '../EmbeddedStore';
import { toSpanBatch } from '../ingest/spanRows';
import { toLogBatch } from '../ingest/logRows';
import { decodeLogsRequest, decodeTraceRequest } from '../otlp/decodeRequest';
import {
  migratedDatabase,
  storeTestDatabases,
} from '../__testUtils__/storeDatabases';

const databases = storeTestDatabases();
const HOUR_MS = 3_600_000;
const NOW_MS = Date.UTC(2026, 10, 30, 12);

/** A trace of `spans` spans of 1 s each, starting `hoursAgo` before NOW. */
function traceRequest(index: number, hoursAgo: number, spans: number) {
  const startNs = BigInt(NOW_MS - hoursAgo * HOUR_MS) * 1_000_000n;
  const traceId = index.toString(16).padStart(32, '0');
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }],
        },
        scopeSpans: [
          {
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId,
              spanId: (i + 1).toString(16).padStart(16, '0'),
              ...(i > 0 && { parentSpanId: '0000000000000001' }),
              name: `op-${i}`,
              startTimeUnixNano: String(startNs),
              endTimeUnixNano: String(startNs + 1_000_000_000n),
            })),
          },
        ],
      },
    ],
  };
}

describe.each(databases.eachSupportedId())('retention on %p', databaseId => {
  let db: Knex;
  let store: EmbeddedStore;

  beforeEach(async () => {
    db = await migratedDatabase(databases, databaseId as TestDatabaseId);
    store = new EmbeddedStore(db, mockServices.logger.mock());
  });

  async function ingest(index: number, hoursAgo: number, spans: number) {
    const body = Buffer.from(
      JSON.stringify(traceRequest(index, hoursAgo, spans)),
    );
    await store.writeSpans(toSpanBatch(decodeTraceRequest(body, 'json')));
  }

  const traceIds = async () =>
    (await db('traces').orderBy('trace_id').select('trace_id')).map(t =>
      Number.parseInt(t.trace_id, 16),
    );

  it('deletes whole traces older than maxAge', async () => {
    await ingest(1, 30, 3);
    await ingest(2, 5, 2);
    const result = await store.prune(
      { maxAgeMs: 24 * HOUR_MS, maxSpans: 1000, maxLogRecords: 1000 },
      NOW_MS,
    );
    expect(result.traces).toBe(1);
    expect(await traceIds()).toEqual([2]);
    expect(await db('spans').select('trace_id')).toHaveLength(2);
  });

  it('deletes the oldest traces while more than maxSpans are stored', async () => {
    await ingest(1, 4, 3);
    await ingest(2, 3, 3);
    await ingest(3, 2, 3);
    await ingest(4, 1, 3);
    await store.prune(
      { maxAgeMs: 24 * HOUR_MS, maxSpans: 7, maxLogRecords: 1000 },
      NOW_MS,
    );
    expect(await traceIds()).toEqual([3, 4]);
    expect(await db('spans').select('trace_id')).toHaveLength(6);
  });

  it('deletes logs by age and then the oldest over maxLogRecords', async () => {
    const record = (hoursAgo: number) => ({
      timeUnixNano: String(BigInt(NOW_MS - hoursAgo * HOUR_MS) * 1_000_000n),
      traceId: `${'0'.repeat(31)}1`,
      body: { stringValue: `${hoursAgo}h ago` },
    });
    const body = Buffer.from(
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              { logRecords: [record(30), record(3), record(2), record(1)] },
            ],
          },
        ],
      }),
    );
    await store.writeLogs(toLogBatch(decodeLogsRequest(body, 'json')));
    const result = await store.prune(
      { maxAgeMs: 24 * HOUR_MS, maxSpans: 1000, maxLogRecords: 2 },
      NOW_MS,
    );
    expect(result.logs).toBe(2);
    expect(
      (await db('logs').orderBy('id').select('body')).map(l => l.body),
    ).toEqual(['2h ago', '1h ago']);
  });
});
