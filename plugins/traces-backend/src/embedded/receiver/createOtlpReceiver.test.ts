import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import type { Knex } from 'knex';
import {
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import { fixtureJson } from '../../__testUtils__/tempoFixtures';
import { EmbeddedStore } from '../EmbeddedStore';
import { otlp } from '../otlp/schema';
import {
  migratedDatabase,
  storeTestDatabases,
} from '../__testUtils__/storeDatabases';
import {
  createOtlpReceiver,
  type OtlpReceiverOptions,
} from './createOtlpReceiver';

const databases = storeTestDatabases();

const REQUESTS = [
  'otlp-request-1.json',
  'otlp-request-2.json',
  'otlp-request-3.json',
];

/** The fixture request as protobuf bytes, encoded by protobufjs from its JSON. */
function protobufOf(json: any): Buffer {
  const copy = structuredClone(json);
  for (const rs of copy.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans)
        for (const key of ['traceId', 'spanId', 'parentSpanId'])
          if (span[key]) span[key] = Buffer.from(span[key], 'hex');
  const message = otlp.ExportTraceServiceRequest.fromObject(copy);
  return Buffer.from(otlp.ExportTraceServiceRequest.encode(message).finish());
}

function logsRequest(records: object[]) {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'orders-api' } },
          ],
        },
        scopeLogs: [{ scope: { name: 'app' }, logRecords: records }],
      },
    ],
  };
}

/** POSTs the bytes as they are (superagent would JSON-encode a Buffer sent as JSON). */
function post(
  server: express.Express,
  path: string,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  const req = request(server).post(path).set('Content-Type', type);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  return req
    .serialize((data: unknown) => data as string)
    .responseType('blob')
    .send(body as any);
}

/** The answer body: JSON, or the protobuf message `type`. */
function answer(response: request.Response, type = otlp.RpcStatus): any {
  const body = response.body as Buffer;
  return response.headers['content-type']?.startsWith('application/json')
    ? JSON.parse(body.toString('utf8'))
    : type.toObject(type.decode(body), { longs: String });
}

describe.each(databases.eachSupportedId())(
  'OTLP receiver on %p',
  databaseId => {
    let db: Knex;
    let store: EmbeddedStore;

    beforeAll(async () => {
      db = await migratedDatabase(databases, databaseId as TestDatabaseId);
      store = new EmbeddedStore(db, mockServices.logger.mock());
    });

    beforeEach(async () => {
      await db('spans').delete();
      await db('traces').delete();
      await db('logs').delete();
    });

    function app(options: Partial<OtlpReceiverOptions> = {}) {
      const server = express();
      server.use(
        createOtlpReceiver({
          options: {
            allowLoopback: true,
            maxRequestBytes: 64 * 1024,
            ...options,
          },
          sink: store,
          logger: mockServices.logger.mock(),
        }),
      );
      return server;
    }

    const spanCount = async () =>
      Number((await db('spans').count({ n: '*' }))[0].n);

    it('stores OTLP/JSON requests and answers an empty ExportTraceServiceResponse', async () => {
      for (const name of REQUESTS) {
        const response = await post(
          app(),
          '/v1/traces',
          'application/json',
          JSON.stringify(fixtureJson(name)),
        );
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(answer(response)).toEqual({});
      }
      expect(await spanCount()).toBe(12);
      const trace = await db('traces')
        .where('trace_id', '4bf92f3577b34da6a3ce929d0e0e4736')
        .first();
      expect(trace).toMatchObject({
        root_service_name: 'frontend',
        root_span_name: 'GET /api/orders/{id}',
      });
      expect(Number(trace.span_count)).toBe(4);
      expect(Number(trace.error_count)).toBe(4);
      const rows = await db('spans')
        .where('trace_id', '4bf92f3577b34da6a3ce929d0e0e4736')
        .select('service_name', 'attributes');
      expect(rows.map(r => r.service_name).sort()).toEqual([
        'frontend',
        'frontend',
        'orders-api',
        'orders-api',
      ]);
      expect(rows.map(r => JSON.parse(r.attributes)['db.system'])).toContain(
        'postgresql',
      );
    });

    it('stores gzip-compressed protobuf and answers in protobuf', async () => {
      const body = gzipSync(protobufOf(fixtureJson('otlp-request-2.json')));
      const response = await post(
        app(),
        '/v1/traces',
        'application/x-protobuf',
        body,
        {
          'Content-Encoding': 'gzip',
        },
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(
        /^application\/x-protobuf/,
      );
      expect(answer(response, otlp.ExportTraceServiceResponse)).toEqual({});
      expect(await spanCount()).toBe(4);
    });

    it('rejects spans with invalid IDs one by one as a partial success', async () => {
      const json = fixtureJson('otlp-request-1.json');
      json.resourceSpans[0].scopeSpans[0].spans[0].traceId = 'abcd';
      json.resourceSpans[1].scopeSpans[0].spans[0].spanId = '0000000000000000';
      const response = await post(
        app(),
        '/v1/traces',
        'application/json',
        JSON.stringify(json),
      );
      expect(response.status).toBe(200);
      expect(answer(response)).toEqual({
        partialSuccess: {
          rejectedSpans: '2',
          errorMessage: expect.stringContaining('trace_id'),
        },
      });
      expect(await spanCount()).toBe(2);
    });

    it.each([
      [
        'invalid JSON',
        'application/json',
        '{"resourceSpans": [',
        /not valid JSON/,
      ],
      ['an empty JSON body', 'application/json', '', /not valid JSON/],
      ['a JSON array', 'application/json', '[]', /must be a JSON/],
      [
        'wrong JSON types',
        'application/json',
        '{"resourceSpans": 5}',
        /resourceSpans: array expected/,
      ],
      [
        'a span that is not an object',
        'application/json',
        '{"resourceSpans": [{"scopeSpans": [{"spans": ["x"]}]}]}',
        /array of objects expected/,
      ],
      [
        'span attributes that are not a list',
        'application/json',
        '{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": {"a": 1}}]}]}]}',
        /Span\.attributes: array expected/,
      ],
      [
        'truncated protobuf',
        'application/x-protobuf',
        protobufOf(fixtureJson('otlp-request-1.json')).subarray(0, 40),
        /not a valid protobuf/,
      ],
      [
        'garbage protobuf',
        'application/x-protobuf',
        Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
        /not a valid protobuf/,
      ],
    ])(
      'answers 400 with a Status for %s and writes nothing',
      async (_, type, body, message) => {
        const response = await post(app(), '/v1/traces', type, body);
        expect(response.status).toBe(400);
        expect(answer(response)).toEqual({
          code: 3,
          message: expect.stringMatching(message),
        });
        expect(await spanCount()).toBe(0);
      },
    );

    it('answers 400 for a body that is not gzip although it says so', async () => {
      const response = await post(
        app(),
        '/v1/traces',
        'application/json',
        '{"resourceSpans": []}',
        {
          'Content-Encoding': 'gzip',
        },
      );
      expect(response.status).toBe(400);
      expect(answer(response).message).toMatch(/cannot be read/);
    });

    it('answers 413 for bodies over the limit, also once decompressed', async () => {
      const big = JSON.stringify({
        resourceSpans: [],
        padding: 'x'.repeat(100_000),
      });
      const plain = await post(app(), '/v1/traces', 'application/json', big);
      const gzipped = await post(
        app(),
        '/v1/traces',
        'application/json',
        gzipSync(big),
        {
          'Content-Encoding': 'gzip',
        },
      );
      expect(gzipSync(big).length).toBeLessThan(64 * 1024);
      for (const response of [plain, gzipped]) {
        expect(response.status).toBe(413);
        expect(answer(response)).toEqual({
          code: 8,
          message: expect.stringContaining('maxRequestSize'),
        });
      }
      expect(await spanCount()).toBe(0);
    });

    it('answers 415 for other content types and encodings', async () => {
      const text = await post(app(), '/v1/traces', 'text/plain', 'hello');
      expect(text.status).toBe(415);
      expect(answer(text).message).toMatch(/application\/x-protobuf/);
      const zstd = await post(app(), '/v1/traces', 'application/json', '{}', {
        'Content-Encoding': 'zstd',
      });
      expect(zstd.status).toBe(415);
      expect(answer(zstd).message).toMatch(/zstd/);
    });

    it('accepts other senders only with the ingest token', async () => {
      const body = JSON.stringify(fixtureJson('otlp-request-3.json'));
      const closed = await post(
        app({ allowLoopback: false }),
        '/v1/traces',
        'application/json',
        body,
      );
      expect(closed.status).toBe(403);
      expect(answer(closed).message).toMatch(/traces\.embedded\.ingest\.token/);

      const guarded = app({ allowLoopback: false, token: 's3cret' });
      const wrong = await post(
        guarded,
        '/v1/traces',
        'application/json',
        body,
        {
          Authorization: 'Bearer nope',
        },
      );
      expect(wrong.status).toBe(401);
      expect(await spanCount()).toBe(0);
      const right = await post(
        guarded,
        '/v1/traces',
        'application/json',
        body,
        {
          Authorization: 'Bearer s3cret',
        },
      );
      expect(right.status).toBe(200);
      expect(await spanCount()).toBeGreaterThan(0);
    });

    it('stores log records of traces and rejects those without a trace ID', async () => {
      const response = await post(
        app(),
        '/v1/logs',
        'application/json',
        JSON.stringify(
          logsRequest([
            {
              timeUnixNano: '1795549349530000000',
              severityNumber: 17,
              severityText: 'ERROR',
              body: { stringValue: 'connection refused' },
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: 'eee19b7ec3c1b174',
              attributes: [
                { key: 'db.system', value: { stringValue: 'postgresql' } },
              ],
            },
            {
              timeUnixNano: '1795549349530000000',
              body: { stringValue: 'no trace' },
            },
          ]),
        ),
      );
      expect(response.status).toBe(200);
      expect(answer(response)).toEqual({
        partialSuccess: {
          rejectedLogRecords: '1',
          errorMessage: expect.stringContaining('trace_id'),
        },
      });
      const logs = await db('logs').select();
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatchObject({
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: 'eee19b7ec3c1b174',
        severity_text: 'ERROR',
        body: 'connection refused',
        service_name: 'orders-api',
      });
    });
  },
);
