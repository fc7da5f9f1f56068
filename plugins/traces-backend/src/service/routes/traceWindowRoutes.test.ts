import request from 'supertest';
import { http, HttpResponse } from 'msw';
import {
  COMPACT_TRACE_MEDIA_TYPE,
  decodeCompactTrace,
  type Trace,
} from '@backstage-traces/plugin-traces-common';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import { encodeTraceByIdResponse } from '../../__testUtils__/tempoProto';
import { tempoTraceV2 } from '../../__testUtils__/tempoTraceBuilder';
import { WINDOW_TRACE, wideTree } from '../../__testUtils__/compactTraces';
import {
  startTracesBackend,
  TEMPO_CONFIG,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

const id = (n: number) => n.toString(16).padStart(16, '0');

/** 1 + 4 + 16 + 64 = 85 spans; windowed above 50 spans, 12 per window. */
const SPANS = wideTree(4, 3, n => n === 85, true);
const CONFIG = {
  traces: {
    ...TEMPO_CONFIG.traces,
    largeTraces: { windowThreshold: 50, windowSpans: 12 },
  },
};

function compactBody(res: request.Response): Trace {
  expect(res.headers['content-type']).toContain(COMPACT_TRACE_MEDIA_TYPE);
  return decodeCompactTrace(JSON.parse(res.text));
}

describe('windowed traces', () => {
  const tempo = setupUpstreamServer();
  let fetches: number;

  beforeEach(() => {
    fetches = 0;
    tempo.use(
      http.get(`${TEMPO_URL}/api/v2/traces/:id`, () => {
        fetches += 1;
        return new HttpResponse(
          encodeTraceByIdResponse(tempoTraceV2(WINDOW_TRACE, SPANS)),
          { headers: { 'Content-Type': 'application/protobuf' } },
        );
      }),
    );
  });

  it('opens a trace over the threshold with its first window', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const res = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}`)
      .set('Accept', COMPACT_TRACE_MEDIA_TYPE);
    expect(res.status).toBe(200);
    const trace = compactBody(res);
    expect(trace.spans).toHaveLength(12);
    expect(trace.spanCount).toBe(85);
    expect(trace.window).toMatchObject({
      totalSpans: 85,
      errorCount: 1,
      windowSpans: 12,
    });
    const loaded = new Set(trace.spans.map(span => span.spanId));
    // The error span (the last one, at the deepest level) came with its ancestors.
    expect(loaded.has(id(85))).toBe(true);
    const parentMissing = trace.spans.filter(
      span => span.parentSpanId && !loaded.has(span.parentSpanId),
    );
    expect(parentMissing).toEqual([]);
    const root = trace.spans.find(span => span.spanId === id(1))!;
    expect(root.subtree).toEqual({ children: 4, descendants: 84, errors: 1 });
    expect(trace.window!.criticalPath.length).toBeGreaterThan(0);
  });

  it('windows the JSON answer too, and serves small traces whole', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const json = await request(app).get(`/api/traces/traces/${WINDOW_TRACE}`);
    expect(json.body.spans).toHaveLength(12);
    expect(json.body.window.totalSpans).toBe(85);

    const whole = await startTracesBackend({
      config: {
        traces: { ...CONFIG.traces, largeTraces: { windowThreshold: 100 } },
      },
    });
    const res = await request(whole).get(`/api/traces/traces/${WINDOW_TRACE}`);
    expect(res.body.spans).toHaveLength(85);
    expect(res.body.window).toBeUndefined();
  });

  it('sends a trace over the threshold whole when asked, up to wholeMaxSpans', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const whole = compactBody(
      await request(app)
        .get(`/api/traces/traces/${WINDOW_TRACE}`)
        .query({ whole: 'true' })
        .set('Accept', COMPACT_TRACE_MEDIA_TYPE),
    );
    expect(whole.spans).toHaveLength(85);
    expect(whole.window).toBeUndefined();

    const capped = await startTracesBackend({
      config: {
        traces: {
          ...CONFIG.traces,
          largeTraces: { ...CONFIG.traces.largeTraces, wholeMaxSpans: 80 },
        },
      },
    });
    const res = await request(capped)
      .get(`/api/traces/traces/${WINDOW_TRACE}`)
      .query({ whole: 'true' })
      .set('Accept', COMPACT_TRACE_MEDIA_TYPE);
    expect(compactBody(res).window?.totalSpans).toBe(85);
    expect(compactBody(res).spans).toHaveLength(12);

    const bad = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}`)
      .query({ whole: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('whole');
  });

  it('loads a focused span with its ancestors in the first window', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const res = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}`)
      .query({ focus: id(30).toUpperCase() })
      .set('Accept', COMPACT_TRACE_MEDIA_TYPE);
    const ids = compactBody(res).spans.map(span => span.spanId);
    expect(ids).toContain(id(30));
  });

  it('pages through a subtree with continuations, from the kept trace', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    await request(app).get(`/api/traces/traces/${WINDOW_TRACE}`);
    const first = compactBody(
      await request(app)
        .get(`/api/traces/traces/${WINDOW_TRACE}/subtree/${id(2)}`)
        .set('Accept', COMPACT_TRACE_MEDIA_TYPE),
    );
    // Span 2 has 4 children with 4 children each: 20 spans, 12 per window.
    expect(first.spans).toHaveLength(12);
    expect(first.window!.continuation).toBeUndefined();
    expect(first.spans.filter(s => s.parentSpanId === id(2))).toHaveLength(4);

    const root = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}/subtree/${id(1)}`)
      .query({ from: '2' })
      .set('Accept', COMPACT_TRACE_MEDIA_TYPE);
    const children = compactBody(root).spans.filter(
      span => span.parentSpanId === id(1),
    );
    // Children 3 and 4 of the root (from index 2 on).
    expect(children.map(span => span.spanId)).toEqual([id(44), id(65)]);
    expect(fetches).toBe(1);
  });

  it('continues a cut list of children where the last answer stopped', async () => {
    const app = await startTracesBackend({
      config: {
        traces: {
          ...CONFIG.traces,
          largeTraces: { windowThreshold: 50, windowSpans: 3 },
        },
      },
    });
    const res = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}/subtree/${id(1)}`)
      .set('Accept', COMPACT_TRACE_MEDIA_TYPE);
    expect(compactBody(res).window!.continuation).toEqual({
      spanId: id(1),
      from: 3,
    });
  });

  it('answers 404 for a span not in the trace and 400 for bad input', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const missing = await request(app).get(
      `/api/traces/traces/${WINDOW_TRACE}/subtree/${'f'.repeat(16)}`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      `Span ${'f'.repeat(16)} is not in trace ${WINDOW_TRACE}`,
    );
    const badSpan = await request(app).get(
      `/api/traces/traces/${WINDOW_TRACE}/subtree/xyz`,
    );
    expect(badSpan.status).toBe(400);
    expect(badSpan.body.error.message).toMatch(
      /'spanId': must be 16 hexadecimal characters/,
    );
    const badFrom = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}/subtree/${id(1)}`)
      .query({ from: '-1' });
    expect(badFrom.status).toBe(400);
    const badFocus = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}`)
      .query({ focus: 'nope' });
    expect(badFocus.status).toBe(400);
  });

  it('scopes subtrees to the entity like the trace itself', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const res = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}/subtree/${id(1)}`)
      .query({ entityRef: 'component:default/billing' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/has no spans of/);
  });

  it('windows a PARTIAL answer and still says it is partial', async () => {
    tempo.use(
      http.get(
        `${TEMPO_URL}/api/v2/traces/:id`,
        () =>
          new HttpResponse(
            encodeTraceByIdResponse({
              ...tempoTraceV2(WINDOW_TRACE, SPANS),
              status: 'PARTIAL',
              message: 'trace exceeds max size (max bytes: 5000000)',
            }),
            { headers: { 'Content-Type': 'application/protobuf' } },
          ),
      ),
    );
    const app = await startTracesBackend({ config: CONFIG });
    const trace = compactBody(
      await request(app)
        .get(`/api/traces/traces/${WINDOW_TRACE}`)
        .set('Accept', COMPACT_TRACE_MEDIA_TYPE),
    );
    expect(trace.spans).toHaveLength(12);
    expect(trace).toMatchObject({
      partial: true,
      partialMessage: 'trace exceeds max size (max bytes: 5000000)',
    });
    const below = compactBody(
      await request(app)
        .get(`/api/traces/traces/${WINDOW_TRACE}/subtree/${id(2)}`)
        .set('Accept', COMPACT_TRACE_MEDIA_TYPE),
    );
    expect(below.partial).toBe(true);
  });

  it('refuses a Tempo answer over the size limit before decoding it', async () => {
    const app = await startTracesBackend({
      config: {
        traces: { ...CONFIG.traces, largeTraces: { maxTraceSizeMb: 0.001 } },
      },
    });
    const res = await request(app).get(`/api/traces/traces/${WINDOW_TRACE}`);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(
      /^Tempo: \/api\/v2\/traces\/\w+ sent an answer over 1 KB.*, the most traces\.largeTraces\.maxTraceSizeMb allows/,
    );
  });
});
