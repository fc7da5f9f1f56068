import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import {
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import { decodeCompactTrace } from '@backstage-traces/plugin-traces-common';
import type {
  TraceScope,
  TraceStore,
} from '@backstage-traces/plugin-traces-node';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import { fixtureJson } from '../../__testUtils__/tempoFixtures';
import { Redactor } from '../../redaction/Redactor';
import { TempoTraceStore } from '../../tempo/TempoTraceStore';
import { EmbeddedStore } from '../EmbeddedStore';
import { EmbeddedTraceStore } from '../EmbeddedTraceStore';
import { toSpanBatch } from '../ingest/spanRows';
import { decodeTraceRequest } from '../otlp/decodeRequest';
import {
  migratedDatabase,
  storeTestDatabases,
} from '../__testUtils__/storeDatabases';
import {
  RECORDED_TEMPO_URL,
  recordedTempoHandlers,
} from '../__testUtils__/recordedTempo';

/*
 * One contract for both trace stores: the same TraceStore requests give the same answers from
 * the embedded store and from the Tempo store. The spans are the three OTLP requests of
 * __fixtures__/tempo. Tempo's side is its recorded 2.7.2 answers to those requests (msw,
 * always), and the real Tempo of ../shared/upstreams when it runs (fresh IDs and times, and a
 * resource attribute of this run that both stores are scoped to).
 */

const databases = storeTestDatabases();
/** `traces.largeTraces` defaults. */
const LARGE_TRACES = {
  windowThreshold: 50_000,
  windowSpans: 10_000,
  memoryBytes: 1536 * 2 ** 20,
  maxTraceBytes: 1024 * 2 ** 20,
};
const redactor = Redactor.fromConfig(new ConfigReader({}));
const REQUESTS = [
  'otlp-request-1.json',
  'otlp-request-2.json',
  'otlp-request-3.json',
];
const ERROR_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
/** Epoch seconds of the fixtures' first span. */
const FIXTURE_START = 1795549349;

/** The data one suite runs on. */
interface Dataset {
  scope: TraceScope;
  /** Search range around the spans, epoch seconds. */
  range: { start: number; end: number };
  /** Metrics range: the fixtures' recorded one, or the last 10 minutes. */
  metrics: (recorded: { start: number; end: number }) => {
    start: number;
    end: number;
  };
  traceId: (fixtureId: string) => string;
  requests: object[];
}

const SEARCHES: Array<[string, number]> = [
  ['{resource.service.name="frontend"}', 20],
  ['{status=error}', 20],
  ['{span.http.route="/api/orders/{id}"}', 2],
  ['{resource.service.name="does-not-exist"}', 20],
];

const ALL_TRACES = [
  '5b8efff798038103d269b633813fc60c',
  ERROR_TRACE,
  '00f067aa0ba902b7d0c6e1b8e4f3a2c1',
];

/** Query, recorded range, step, and the traces with spans it counts (its exemplars' only). */
const METRICS: Array<
  [string, { start: number; end: number }, number, string[]]
> = [
  [
    '{resource.service.name="frontend"} | rate() by (span.http.route)',
    { start: 1795548796, end: 1795549396 },
    60,
    ALL_TRACES,
  ],
  [
    '{} | count_over_time() by (resource.service.name)',
    { start: 1795548805, end: 1795549405 },
    60,
    ALL_TRACES,
  ],
  [
    '{status=error} | rate() by (resource.service.name)',
    { start: 1795548805, end: 1795549405 },
    60,
    [ERROR_TRACE],
  ],
  [
    '{kind=server} | quantile_over_time(duration, 0.5, 0.9) by (resource.service.name)',
    { start: 1795548805, end: 1795549405 },
    300,
    ALL_TRACES,
  ],
];
/** Exemplars asked for per series: fewer than either store has for some series. */
const EXEMPLARS = 1;

async function embeddedStore(databaseId: TestDatabaseId, requests: object[]) {
  const db = await migratedDatabase(databases, databaseId);
  const writer = new EmbeddedStore(db, mockServices.logger.mock());
  for (const request of requests) {
    const body = Buffer.from(JSON.stringify(request));
    await writer.writeSpans(toSpanBatch(decodeTraceRequest(body, 'json')));
  }
  return new EmbeddedTraceStore(db, redactor, LARGE_TRACES);
}

function tempoStore(baseUrl: string): TraceStore {
  return TempoTraceStore.fromConfig(
    new ConfigReader({
      traces: { tempo: { baseUrl, timeout: '60s' }, cache: { enabled: false } },
    }),
    {
      logger: mockServices.logger.mock(),
      cache: mockServices.cache.mock(),
      redactor,
    },
  )!;
}

/** Exemplars are spans each store samples for itself (Tempo leaves some series without). */
function withoutExemplars(series: Array<{ exemplars: unknown[] }>) {
  return series.map(({ exemplars: _, ...rest }) => rest);
}

function contract(
  stores: () => { embedded: TraceStore; tempo: TraceStore },
  data: () => Dataset,
  options: { tags: boolean },
) {
  it.each(SEARCHES)('searches %s (limit %d) alike', async (query, limit) => {
    const { embedded, tempo } = stores();
    const request = { scope: data().scope, query, limit, ...data().range };
    const [ours, theirs] = await Promise.all([
      embedded.searchTraces(request),
      tempo.searchTraces(request),
    ]);
    expect(ours.traces).toEqual(theirs.traces);
    expect(ours.query).toBe(theirs.query);
  });

  it('reads a trace by ID alike, whole and as the trace view opens it', async () => {
    const { embedded, tempo } = stores();
    const request = { traceId: data().traceId(ERROR_TRACE) };
    expect(decodeCompactTrace(await embedded.getTrace(request))).toEqual(
      decodeCompactTrace(await tempo.getTrace(request)),
    );
    expect(decodeCompactTrace(await embedded.getTraceWindow(request))).toEqual(
      decodeCompactTrace(await tempo.getTraceWindow(request)),
    );
  });

  it('answers NotFoundError for an unknown trace alike', async () => {
    const { embedded, tempo } = stores();
    const request = { traceId: randomBytes(16).toString('hex') };
    await expect(embedded.getTrace(request)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(tempo.getTrace(request)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it.each(METRICS)(
    'answers %s alike',
    async (query, recordedRange, stepSeconds, counted) => {
      const { embedded, tempo } = stores();
      const request = {
        scope: data().scope,
        query,
        stepSeconds,
        exemplars: EXEMPLARS,
        ...data().metrics(recordedRange),
      };
      const [ours, theirs] = await Promise.all([
        embedded.queryMetricsRange(request),
        tempo.queryMetricsRange(request),
      ]);
      expect(withoutExemplars(ours.series)).toEqual(
        withoutExemplars(theirs.series),
      );
      expect(ours.query).toBe(theirs.query);

      // Exemplars: the same shape from both, capped per series, spans the query counts.
      const traceIds = new Set(counted.map(data().traceId));
      const { start, end } = request;
      for (const answer of [ours, theirs]) {
        expect(answer.series.some(s => s.exemplars.length > 0)).toBe(true);
        for (const series of answer.series) {
          expect(series.exemplars.length).toBeLessThanOrEqual(EXEMPLARS);
          for (const exemplar of series.exemplars) {
            expect(Object.keys(exemplar).sort()).toEqual(
              expect.arrayContaining(['timestampMs', 'traceId', 'value']),
            );
            expect(traceIds).toContain(exemplar.traceId);
            expect(exemplar.timestampMs).toBeGreaterThanOrEqual(
              (start - stepSeconds) * 1000,
            );
            expect(exemplar.timestampMs).toBeLessThan(
              (end + stepSeconds) * 1000,
            );
            expect(Number.isFinite(exemplar.value)).toBe(true);
            // Both read the span's duration when the query does, and only then.
            const readsDuration = query.includes('duration');
            expect(exemplar.durationMs === undefined).toBe(!readsDuration);
            expect(exemplar.value).toBeCloseTo(
              readsDuration ? exemplar.durationMs! / 1000 : exemplar.value,
            );
            expect(exemplar.durationMs ?? 1).toBeGreaterThan(0);
          }
        }
      }
    },
  );

  if (!options.tags) return;

  it.each([undefined, 'resource' as const])(
    'lists tags (scope %s) alike',
    async tagScope => {
      const { embedded, tempo } = stores();
      const request = { scope: data().scope, tagScope, ...data().range };
      expect(await embedded.getTags(request)).toEqual(
        await tempo.getTags(request),
      );
    },
  );

  it.each([
    'resource.service.name',
    'span.http.route',
    'status',
    'span.http.response.status_code',
    'span.nope',
  ])('lists the values of %s alike', async tag => {
    const { embedded, tempo } = stores();
    const request = { scope: data().scope, tag, ...data().range };
    expect(await embedded.getTagValues(request)).toEqual(
      await tempo.getTagValues(request),
    );
  });
}

describe.each(databases.eachSupportedId())(
  'TraceStore contract on %p',
  databaseId => {
    describe('embedded store = Tempo’s recorded answers', () => {
      const upstream = setupUpstreamServer();
      let embedded: TraceStore;
      const tempo = tempoStore(RECORDED_TEMPO_URL);

      beforeAll(async () => {
        embedded = await embeddedStore(
          databaseId as TestDatabaseId,
          REQUESTS.map(name => fixtureJson(name)),
        );
      });
      beforeEach(() => upstream.use(...recordedTempoHandlers()));

      contract(
        () => ({ embedded, tempo }),
        () => ({
          scope: {},
          range: { start: FIXTURE_START - 9, end: FIXTURE_START + 11 },
          metrics: recorded => recorded,
          traceId: id => id,
          requests: [],
        }),
        { tags: true },
      );
    });
  },
);

const REAL_TEMPO =
  process.env.TRACES_CONTRACT_TEMPO_URL ?? 'http://127.0.0.1:3200';
const REAL_TEMPO_OTLP =
  process.env.TRACES_CONTRACT_TEMPO_OTLP ?? 'http://127.0.0.1:4318/v1/traces';

/** Synchronous, so the suite can be skipped while Jest collects tests. */
function realTempoReady(): boolean {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `fetch(${JSON.stringify(
        `${REAL_TEMPO}/ready`,
      )}).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
    ],
    { timeout: 10_000 },
  );
  return probe.status === 0;
}

const realTempo = realTempoReady();
if (!realTempo) {
  // eslint-disable-next-line no-console
  console.info(
    `TraceStore contract against the real Tempo skipped: nothing ready at ${REAL_TEMPO} (start ../shared/upstreams/start.sh to run it)`,
  );
}

(realTempo ? describe : describe.skip)(
  'TraceStore contract: embedded store = the real Tempo',
  () => {
    const run = randomBytes(4).toString('hex');
    // The fixtures' spans ten seconds ago (Tempo's metrics-generator drops spans older than
    // its 30 s ingestion slack), under fresh trace IDs, tagged with this run.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const shiftNs = BigInt(nowSeconds - 10 - FIXTURE_START) * 1_000_000_000n;
    const traceId = (id: string) => `${run}${id.slice(8)}`;
    const requests = REQUESTS.map(name => {
      const request = fixtureJson(name);
      for (const batch of request.resourceSpans) {
        batch.resource.attributes.push({
          key: 'contract.run',
          value: { stringValue: run },
        });
        for (const scopeSpans of batch.scopeSpans) {
          for (const span of scopeSpans.spans) {
            span.traceId = traceId(span.traceId);
            for (const key of ['startTimeUnixNano', 'endTimeUnixNano']) {
              span[key] = String(BigInt(span[key]) + shiftNs);
            }
            for (const event of span.events ?? []) {
              event.timeUnixNano = String(BigInt(event.timeUnixNano) + shiftNs);
            }
          }
        }
      }
      return request;
    });
    const data: Dataset = {
      scope: { environment: { attribute: 'contract.run', value: run } },
      range: { start: nowSeconds - 600, end: nowSeconds + 60 },
      metrics: () => ({ start: nowSeconds - 600, end: nowSeconds + 60 }),
      traceId,
      requests,
    };
    let embedded: TraceStore;
    const tempo = tempoStore(REAL_TEMPO);

    beforeAll(async () => {
      for (const request of requests) {
        const response = await fetch(REAL_TEMPO_OTLP, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(request),
        });
        if (!response.ok) {
          throw new Error(
            `Tempo's OTLP receiver answered HTTP ${response.status}`,
          );
        }
      }
      embedded = await embeddedStore('SQLITE_3', requests);
      // Tempo makes spans searchable asynchronously: wait until it has all three traces.
      for (let attempt = 0; attempt < 60; attempt++) {
        const found = await tempo
          .searchTraces({
            scope: data.scope,
            query: '{}',
            limit: 20,
            ...data.range,
          })
          .then(
            answer => answer.traces.length,
            () => 0,
          );
        if (found === 3) break;
        await new Promise(resolve => setTimeout(resolve, 1000));
      }
      // …and its metrics (the metrics-generator's local blocks) a little later.
      for (let attempt = 0; attempt < 60; attempt++) {
        const counted = await tempo
          .queryMetricsRange({
            scope: data.scope,
            query: '{} | count_over_time()',
            stepSeconds: 60,
            ...data.metrics({ start: 0, end: 0 }),
          })
          .then(
            answer =>
              answer.series.some(series =>
                series.samples.some(s => s.value > 0),
              ),
            () => false,
          );
        if (counted) break;
        await new Promise(resolve => setTimeout(resolve, 1000));
      }
    }, 180_000);

    contract(
      () => ({ embedded, tempo }),
      () => data,
      { tags: false },
    );
  },
);
