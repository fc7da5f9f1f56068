import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { readTracesOptions } from '../config';
import { UpstreamError } from '../lib/UpstreamError';
import { Redactor } from '../redaction/Redactor';
import { TempoClient } from '../tempo/TempoClient';
import { TempoTraceStore } from '../tempo/TempoTraceStore';
import { traceOfTempoJson as normalizeTraceResponse } from '../__testUtils__/compactTraces';
import { fixtureJson } from '../__testUtils__/tempoFixtures';
import {
  tempoSearchResponse,
  tempoTraceV2,
} from '../__testUtils__/tempoTraceBuilder';
import {
  forEachConcurrently,
  TraceSampleGraphSource,
} from './traceSampleGraphSource';
import type { EntityAccess } from './types';
import { neverAnswers } from '../__testUtils__/neverAnswers';

const TEMPO = 'http://tempo.test:3200';
const RANGE = { start: 1795545790, end: 1795549450 };

const access = {
  kind: 'entity',
  entityRef: 'component:default/orders-api',
  scope: {
    serviceNames: ['orders-api'],
    serviceNamespace: 'shop',
    tenant: 'team-shop',
  },
} as EntityAccess;

const traceId = (n: number) => `00${String(n).padStart(30, '0')}`;

/** frontend → orders-api → (billing, postgres); `fail` marks the billing call as failed. */
const ordersTrace = (id: string, billingMs: number, fail = false) =>
  tempoTraceV2(
    id,
    [
      { id: 'a1', service: 'frontend', kind: 'SERVER', durationMs: 300 },
      {
        id: 'a2',
        parent: 'a1',
        service: 'frontend',
        kind: 'CLIENT',
        durationMs: 250,
      },
      {
        id: 'b1',
        parent: 'a2',
        service: 'orders-api',
        kind: 'SERVER',
        durationMs: 240,
      },
      {
        id: 'b2',
        parent: 'b1',
        service: 'orders-api',
        kind: 'CLIENT',
        durationMs: billingMs + 5,
        error: fail,
      },
      {
        id: 'c1',
        parent: 'b2',
        service: 'billing',
        kind: 'SERVER',
        durationMs: billingMs,
      },
      {
        id: 'b3',
        parent: 'b1',
        service: 'orders-api',
        kind: 'CLIENT',
        durationMs: 30,
        attributes: {
          'db.system': 'postgresql',
          'db.name': 'shop',
          'server.address': 'db',
          'server.port': 5432,
        },
      },
    ],
    { namespace: 'shop' },
  );

describe('TraceSampleGraphSource', () => {
  const tempo = setupServer();
  registerMswTestHooks(tempo);
  let searches: URL[];
  let fetched: string[];
  let tenants: Array<string | null>;
  let inFlight: number;
  let maxInFlight: number;

  function tempoHas(
    traces: Record<
      string,
      (info: { request: Request }) => Response | Promise<Response>
    >,
    searchIds = Object.keys(traces),
  ) {
    searches = [];
    fetched = [];
    tenants = [];
    inFlight = 0;
    maxInFlight = 0;
    tempo.use(
      http.get(`${TEMPO}/api/search`, ({ request }) => {
        searches.push(new URL(request.url));
        return HttpResponse.json(tempoSearchResponse(searchIds));
      }),
      http.get(`${TEMPO}/api/v2/traces/:id`, async ({ request, params }) => {
        fetched.push(new URL(request.url).toString());
        tenants.push(request.headers.get('x-scope-orgid'));
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await new Promise(resolve => setTimeout(resolve, 10));
          const answer = traces[params.id as string];
          return answer
            ? await answer({ request })
            : HttpResponse.json({ trace: {} });
        } finally {
          inFlight -= 1;
        }
      }),
    );
  }

  function source(
    overrides: {
      sampleTraces?: number;
      timeBudgetMs?: number;
      concurrency?: number;
      firstAnswerMs?: number;
    } = {},
  ) {
    const logger = mockServices.logger.mock();
    const options = readTracesOptions(
      new ConfigReader({ traces: { tempo: { baseUrl: TEMPO } } }),
    );
    const client = new TempoClient(options.tempo!, logger);
    return {
      logger,
      source: new TraceSampleGraphSource({
        traces: new TempoTraceStore({
          client,
          options,
          redactor: Redactor.fromConfig(new ConfigReader({})),
        }),
        options,
        logger,
        sampleTraces: overrides.sampleTraces ?? 50,
        timeBudgetMs: overrides.timeBudgetMs ?? 30_000,
        concurrency: overrides.concurrency,
        // Only the test of early answers has one: a loaded machine must not change the others.
        firstAnswerMs: overrides.firstAnswerMs ?? 600_000,
      }),
    };
  }

  it('builds its test traces exactly like the real Tempo fixture', () => {
    const real = normalizeTraceResponse(
      '4bf92f3577b34da6a3ce929d0e0e4736',
      fixtureJson('trace-v2.json'),
    )!;
    const built = normalizeTraceResponse(
      '4bf92f3577b34da6a3ce929d0e0e4736',
      tempoTraceV2('4bf92f3577b34da6a3ce929d0e0e4736', [
        {
          id: '00f067aa0ba902b7',
          service: 'frontend',
          kind: 'SERVER',
          durationMs: 120,
          error: true,
        },
        {
          id: 'b7ad6b7169203331',
          parent: '00f067aa0ba902b7',
          service: 'frontend',
          kind: 'CLIENT',
          startMs: 5,
          durationMs: 100,
          error: true,
        },
        {
          id: 'c9d8e7f6a5b4c3d2',
          parent: 'b7ad6b7169203331',
          service: 'orders-api',
          kind: 'SERVER',
          startMs: 10,
          durationMs: 90,
          error: true,
        },
        {
          id: '53995c3f42cd8ad8',
          parent: 'c9d8e7f6a5b4c3d2',
          service: 'orders-api',
          kind: 'CLIENT',
          startMs: 20,
          durationMs: 60,
          error: true,
        },
      ]),
    )!;
    const shape = (trace: typeof real) =>
      trace.spans.map(
        ({
          spanId,
          parentSpanId,
          serviceName,
          kind,
          status,
          startMs,
          durationMs,
        }) => ({
          spanId,
          parentSpanId,
          serviceName,
          kind,
          status: status.code,
          startMs,
          durationMs,
        }),
      );
    expect(built.traceId).toBe(real.traceId);
    expect(shape(built)).toEqual(shape(real));
  });

  it('searches the entity’s traces, fetches each and aggregates the calls around its services', async () => {
    tempoHas({
      [traceId(1)]: () => HttpResponse.json(ordersTrace(traceId(1), 40)),
      [traceId(2)]: () => HttpResponse.json(ordersTrace(traceId(2), 80, true)),
      [traceId(3)]: () => HttpResponse.json({ trace: {} }), // gone from Tempo since the search
    });
    const { source: graph } = source({ sampleTraces: 25 });
    const result = await graph.getEdges({ access, ...RANGE, depth: 1 });

    const search = searches[0].searchParams;
    expect(search.get('q')).toBe(
      '{ resource.service.name = "orders-api" && resource.service.namespace = "shop" }',
    );
    expect(search.get('limit')).toBe('25');
    expect(search.get('start')).toBe(String(RANGE.start));
    expect(search.get('end')).toBe(String(RANGE.end));
    expect(fetched.sort()).toEqual(
      [1, 2, 3].map(
        n =>
          `${TEMPO}/api/v2/traces/${traceId(n)}?start=${RANGE.start}&end=${
            RANGE.end
          }`,
      ),
    );
    expect(tenants).toEqual(['team-shop', 'team-shop', 'team-shop']);

    expect(result.source).toBe('traces');
    expect(result.sampledTraces).toBe(2);
    expect(result.edges).toEqual([
      {
        source: 'frontend',
        target: 'orders-api',
        requestCount: 2,
        errorCount: 0,
        latencyP50Ms: 240,
        latencyP95Ms: 240,
        latencyP99Ms: 240,
        lastSeen: 1_795_549_350,
      },
      {
        source: 'orders-api',
        target: 'billing',
        requestCount: 2,
        errorCount: 1,
        latencyP50Ms: 40,
        latencyP95Ms: 80,
        latencyP99Ms: 80,
        lastSeen: 1_795_549_350,
      },
      {
        source: 'orders-api',
        target: 'shop',
        requestCount: 2,
        errorCount: 0,
        latencyP50Ms: 30,
        latencyP95Ms: 30,
        latencyP99Ms: 30,
        lastSeen: 1_795_549_350,
      },
    ]);
    expect(result.namespaces).toEqual(
      new Map([
        ['frontend', 'shop'],
        ['orders-api', 'shop'],
        ['billing', 'shop'],
      ]),
    );
  });

  it('fetches at most six traces at a time', async () => {
    const ids = Array.from({ length: 12 }, (_, n) => traceId(n + 1));
    tempoHas(
      Object.fromEntries(
        ids.map(id => [id, () => HttpResponse.json(ordersTrace(id, 10))]),
      ),
    );
    const result = await source().source.getEdges({
      access,
      ...RANGE,
      depth: 1,
    });
    expect(fetched).toHaveLength(12);
    expect(maxInFlight).toBe(6);
    expect(result.sampledTraces).toBe(12);
  });

  it('leaves out traces over the window threshold without fetching them', async () => {
    tempoHas({
      [traceId(1)]: () => HttpResponse.json(ordersTrace(traceId(1), 40)),
      [traceId(2)]: () => HttpResponse.json(ordersTrace(traceId(2), 40)),
    });
    const search = tempoSearchResponse([traceId(1), traceId(2)]);
    (search.traces[1] as any).serviceStats = {
      'orders-api': { spanCount: 60_000 },
    };
    tempo.use(http.get(`${TEMPO}/api/search`, () => HttpResponse.json(search)));
    const result = await source().source.getEdges({
      access,
      ...RANGE,
      depth: 1,
    });
    expect(fetched).toHaveLength(1);
    expect(fetched[0]).toContain(traceId(1));
    expect(result.sampledTraces).toBe(1);
  });

  it('skips traces that fail, counts them in a warning and aggregates the rest', async () => {
    tempoHas({
      [traceId(1)]: () => HttpResponse.json(ordersTrace(traceId(1), 40)),
      [traceId(2)]: () =>
        new HttpResponse('trace exceeds max size', { status: 422 }),
      [traceId(3)]: () => HttpResponse.error(),
    });
    const { source: graph, logger } = source();
    const result = await graph.getEdges({ access, ...RANGE, depth: 1 });
    expect(result.sampledTraces).toBe(1);
    expect(result.edges[0]).toMatchObject({
      source: 'frontend',
      target: 'orders-api',
      requestCount: 1,
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Service graph of component:default\/orders-api: skipped 2 of 3 sampled traces \(2 failed, 0 not fetched within 30000 ms\); first failure: /,
      ),
    );
  });

  it('answers early from the traces fetched so far, and fetches the rest into the cache', async () => {
    let release!: () => void;
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    tempoHas({
      [traceId(1)]: () => HttpResponse.json(ordersTrace(traceId(1), 40)),
      [traceId(2)]: async () => {
        await held;
        return HttpResponse.json(ordersTrace(traceId(2), 40));
      },
    });
    const { source: graph } = source({ firstAnswerMs: 100 });
    const first = await graph.getEdges({ access, ...RANGE, depth: 1 });
    expect(first.sampledTraces).toBe(1);
    expect(first.pendingTraces).toBe(1);
    expect(first.edges[0]).toMatchObject({ requestCount: 1 });

    // The held fetch goes on after the first answer ...
    expect(inFlight).toBe(1);
    release();
    while (inFlight > 0) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    // ... so a later request covers the whole sample.
    let second = await graph.getEdges({ access, ...RANGE, depth: 1 });
    for (let tries = 0; second.pendingTraces && tries < 20; tries++) {
      second = await graph.getEdges({ access, ...RANGE, depth: 1 });
    }
    expect(second.sampledTraces).toBe(2);
    expect(second.pendingTraces).toBeUndefined();
    expect(second.edges[0]).toMatchObject({ requestCount: 2 });
  }, 60_000);

  it('aggregates what arrived within the time budget', async () => {
    tempoHas({
      [traceId(1)]: () => HttpResponse.json(ordersTrace(traceId(1), 40)),
      // Only the budget can end this one: the answer comes whatever the machine's speed.
      [traceId(2)]: neverAnswers,
    });
    const { source: graph, logger } = source({ timeBudgetMs: 300 });
    const result = await graph.getEdges({ access, ...RANGE, depth: 1 });
    expect(result.sampledTraces).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'skipped 1 of 2 sampled traces (0 failed, 1 not fetched within 300 ms)',
      ),
    );
  });

  it('fails with Tempo’s error when no trace could be fetched, instead of an empty graph', async () => {
    tempoHas({
      [traceId(1)]: () => new HttpResponse('internal error', { status: 500 }),
      [traceId(2)]: () => new HttpResponse('internal error', { status: 500 }),
    });
    const error = await source()
      .source.getEdges({ access, ...RANGE, depth: 1 })
      .catch(e => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.statusCode).toBe(502);
    expect(error.message).toBe('Tempo: answered HTTP 500: internal error');
  });

  it('answers 504 naming Tempo when the budget ran out before any trace arrived', async () => {
    tempoHas({
      [traceId(1)]: neverAnswers,
    });
    const error = await source({ timeBudgetMs: 200 })
      .source.getEdges({ access, ...RANGE, depth: 1 })
      .catch(e => e);
    expect(error.statusCode).toBe(504);
    expect(error.message).toBe(
      'Tempo: fetched none of 1 sampled traces within 200 ms (traces.serviceGraph.sampleTimeout)',
    );
  });

  it('answers an empty sample when the search finds nothing', async () => {
    tempoHas({}, []);
    const result = await source().source.getEdges({
      access,
      ...RANGE,
      depth: 1,
    });
    expect(result).toMatchObject({
      source: 'traces',
      sampledTraces: 0,
      edges: [],
    });
    expect(fetched).toEqual([]);
  });
});

describe('forEachConcurrently', () => {
  it('visits every item once with the given concurrency', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async item => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise(resolve => setTimeout(resolve, 5));
      seen.push(item);
      running -= 1;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('does nothing for no items', async () => {
    const task = jest.fn();
    await forEachConcurrently([], 4, task);
    expect(task).not.toHaveBeenCalled();
  });
});
