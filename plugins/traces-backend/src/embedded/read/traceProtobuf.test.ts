import { ConfigReader } from '@backstage/config';
import {
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  decodeCompactTrace,
  encodeCompactTrace,
} from '@backstage-traces/plugin-traces-common';
import type { Knex } from 'knex';
import { fixtureJson } from '../../__testUtils__/tempoFixtures';
import { Redactor } from '../../redaction/Redactor';
import { redactCompactTrace } from '../../redaction/redactCompactTrace';
import { traceOfTempoJson as normalizeTraceResponse } from '../../__testUtils__/compactTraces';
import { protobufToCompact } from '../../tempo/protobufToCompact';
import { EmbeddedStore } from '../EmbeddedStore';
import { decodeTraceRequest } from '../otlp/decodeRequest';
import { toSpanBatch } from '../ingest/spanRows';
import {
  migratedDatabase,
  storeTestDatabases,
} from '../__testUtils__/storeDatabases';

const databases = storeTestDatabases();
const redactor = Redactor.fromConfig(new ConfigReader({}));

describe.each(databases.eachSupportedId())('trace by ID on %p', databaseId => {
  let db: Knex;
  let store: EmbeddedStore;

  beforeAll(async () => {
    db = await migratedDatabase(databases, databaseId as TestDatabaseId);
    store = new EmbeddedStore(db, mockServices.logger.mock());
    for (const name of [
      'otlp-request-1.json',
      'otlp-request-2.json',
      'otlp-request-3.json',
    ]) {
      const body = Buffer.from(JSON.stringify(fixtureJson(name)));
      await store.writeSpans(toSpanBatch(decodeTraceRequest(body, 'json')));
    }
  });

  it('gives the trace Tempo gives for the same spans', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const bytes = await store.traceProtobuf(traceId);
    const embedded = decodeCompactTrace(
      protobufToCompact(bytes!, traceId, redactor)!,
    );
    const tempo = decodeCompactTrace(
      redactCompactTrace(
        encodeCompactTrace(
          normalizeTraceResponse(traceId, fixtureJson('trace-v2.json'))!,
        ),
        redactor,
      ),
    );
    expect(embedded).toEqual(tempo);
    expect(embedded.spanCount).toBe(4);
  });

  it('keeps a span sent twice once', async () => {
    const body = Buffer.from(
      JSON.stringify(fixtureJson('otlp-request-3.json')),
    );
    await store.writeSpans(toSpanBatch(decodeTraceRequest(body, 'json')));
    const traceId = '00f067aa0ba902b7d0c6e1b8e4f3a2c1';
    const trace = decodeCompactTrace(
      protobufToCompact(
        (await store.traceProtobuf(traceId))!,
        traceId,
        redactor,
      )!,
    );
    expect(new Set(trace.spans.map(s => s.spanId)).size).toBe(
      trace.spans.length,
    );
    expect(trace.traceId).toBe(traceId);
  });

  it('has nothing for unknown traces', async () => {
    expect(
      await store.traceProtobuf('0123456789abcdef0123456789abcdef'),
    ).toBeUndefined();
  });
});
