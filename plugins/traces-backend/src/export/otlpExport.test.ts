import { randomBytes } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { ConfigReader } from '@backstage/config';
import {
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  compactToOtlpJson,
  decodeCompactTrace,
  otlpJsonToCompact,
  type CompactTrace,
  type Trace,
} from '@backstage-traces/plugin-traces-common';
import { fixtureJson } from '../__testUtils__/tempoFixtures';
import {
  fetchRealTempo,
  findTempo,
  TEMPO_OTLP_TRACES_URL,
} from '../__testUtils__/realTempo';
import { Redactor } from '../redaction/Redactor';
import { EmbeddedStore } from '../embedded/EmbeddedStore';
import { createOtlpReceiver } from '../embedded/receiver/createOtlpReceiver';
import {
  migratedDatabase,
  storeTestDatabases,
} from '../embedded/__testUtils__/storeDatabases';
import { protobufToCompact } from '../tempo/protobufToCompact';
import { tempoJsonToCompact } from '../tempo/tempoJsonToCompact';

/*
 * The browser's "Download" (traces-common `compactToOtlpJson`) writes a file that OTLP/HTTP
 * receivers take as it is: the embedded store's and Tempo's. Each test sends the exported
 * file under a fresh trace ID and reads the trace back.
 */

const redactor = Redactor.fromConfig(new ConfigReader({}));

/** The fixture trace (Tempo's own answer) as the browser holds it, under a new trace ID. */
function exportedTrace(): {
  traceId: string;
  compact: CompactTrace;
  file: string;
} {
  const traceId = randomBytes(16).toString('hex');
  const compact = tempoJsonToCompact(
    '4bf92f3577b34da6a3ce929d0e0e4736',
    fixtureJson('trace-v2.json'),
  )!;
  compact.traceId = traceId;
  return { traceId, compact, file: JSON.stringify(compactToOtlpJson(compact)) };
}

/** The trace with its ID as sent: the comparison is of everything else. */
const decoded = (compact: CompactTrace): Trace => decodeCompactTrace(compact);

const databases = storeTestDatabases();

describe.each(databases.eachSupportedId())(
  'an exported trace file sent to the embedded receiver on %p',
  databaseId => {
    it('is stored and read back as the same trace', async () => {
      const db = await migratedDatabase(
        databases,
        databaseId as TestDatabaseId,
      );
      const store = new EmbeddedStore(db, mockServices.logger.mock());
      const server = express();
      server.use(
        createOtlpReceiver({
          options: { allowLoopback: true, maxRequestBytes: 1024 * 1024 },
          sink: store,
          logger: mockServices.logger.mock(),
        }),
      );
      const { traceId, compact, file } = exportedTrace();
      const response = await request(server)
        .post('/v1/traces')
        .set('Content-Type', 'application/json')
        .send(file);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({});
      const bytes = await store.traceProtobuf(traceId);
      expect(decoded(protobufToCompact(bytes!, traceId, redactor)!)).toEqual(
        decoded(compact),
      );
    });
  },
);

const tempo = findTempo();
const describeWithTempo = tempo.url ? describe : describe.skip;
if (!tempo.url) {
  // eslint-disable-next-line no-console
  console.warn(`Skipping the real-Tempo export test: ${tempo.reason}`);
}

describeWithTempo('an exported trace file sent to the real Tempo', () => {
  it('is accepted by its OTLP/HTTP endpoint and answered back as the same trace', async () => {
    const { traceId, compact, file } = exportedTrace();
    const sent = await fetch(TEMPO_OTLP_TRACES_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: file,
    });
    expect(sent.status).toBe(200);
    // Tempo makes a trace readable once the ingester has it: poll, without a tight deadline.
    let back: CompactTrace | undefined;
    for (let attempt = 0; attempt < 60 && !back; attempt++) {
      const answer = await fetchRealTempo(
        `${tempo.url}/api/v2/traces/${traceId}`,
      );
      if (answer.ok) back = tempoJsonToCompact(traceId, await answer.json());
      if (!back) await new Promise(resolve => setTimeout(resolve, 500));
    }
    expect(back).toBeDefined();
    expect(decoded(back!)).toEqual(decoded(compact));
    // and the file the browser would write from Tempo's answer is the file that was sent
    expect(
      decoded(otlpJsonToCompact(compactToOtlpJson(back!).resourceSpans!)!),
    ).toEqual(decoded(compact));
  }, 60_000);
});
