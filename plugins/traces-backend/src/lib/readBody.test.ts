import { http, HttpResponse } from 'msw';
import { startStallingServer } from '../__testUtils__/stallingServer';
import { setupUpstreamServer } from '../__testUtils__/setupUpstreamServer';
import { fetchUpstream } from './fetchUpstream';
import { readBodyBytes, readBodyJson, type BodyLimits } from './readBody';
import { UpstreamError } from './UpstreamError';

const URL_ = 'http://upstream.test/answer';
const LIMITS: BodyLimits = {
  upstream: 'Tempo',
  what: '/api/search',
  maxBytes: 1024,
  maxBytesSetting: 'traces.limits.maxResponseSizeMb',
  timeoutMs: 300,
  timeoutSetting: 'traces.tempo.timeout',
};

/** A body that sends its first bytes, then nothing, never ending. */
function stalledBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"traces":['));
    },
  });
}

describe('readBody', () => {
  const server = setupUpstreamServer();

  async function read(handler: () => Response, limits = LIMITS) {
    server.use(http.get(URL_, handler));
    const response = await fetchUpstream({
      upstream: 'Tempo',
      url: new URL(URL_),
      headers: {},
      timeoutMs: limits.timeoutMs,
    });
    return readBodyJson(response, limits).then(
      value => ({ value }),
      (error: Error) => ({ error }),
    );
  }

  it('parses a JSON answer under the limit', async () => {
    const result = await read(() => HttpResponse.json({ traces: [] }));
    expect(result).toEqual({ value: { traces: [] } });
  });

  it('refuses a body declared over the limit without reading it', async () => {
    const result = await read(
      () =>
        new HttpResponse(stalledBody(), {
          headers: { 'Content-Length': String(80 * 1024 * 1024) },
        }),
      { ...LIMITS, maxBytes: 32 * 1024 * 1024 },
    );
    const error = (result as { error: UpstreamError }).error;
    expect(error.statusCode).toBe(502);
    expect(error.message).toBe(
      'Tempo: /api/search sent an answer over 32 MB (80 MB), the most traces.limits.maxResponseSizeMb allows; narrow the request or raise the setting',
    );
  });

  it('stops reading a body that grows past the limit', async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 512;
        controller.enqueue(new Uint8Array(512).fill(0x20));
      },
    });
    const result = await read(() => new HttpResponse(endless));
    const error = (result as { error: UpstreamError }).error;
    expect(error.statusCode).toBe(502);
    expect(error.message).toMatch(
      /^Tempo: \/api\/search sent an answer over 1 KB, the most traces\.limits\.maxResponseSizeMb allows/,
    );
    // Cancelled: the stream is not pulled on without end.
    expect(sent).toBeLessThan(100 * 1024);
  });

  it('says what came instead of JSON without echoing it', async () => {
    const result = await read(
      () =>
        new HttpResponse('<html>secret proxy page</html>', {
          headers: { 'Content-Type': 'text/html' },
        }),
    );
    const error = (result as { error: UpstreamError }).error;
    expect(error.statusCode).toBe(502);
    expect(error.message).toBe(
      'Tempo: /api/search answered with invalid JSON (30 characters, content-type text/html)',
    );
  });

  it('reads bytes up to exactly the limit', async () => {
    server.use(http.get(URL_, () => new HttpResponse(new Uint8Array(1024))));
    const response = await fetchUpstream({
      upstream: 'Tempo',
      url: new URL(URL_),
      headers: {},
      timeoutMs: 10_000,
    });
    expect((await readBodyBytes(response, LIMITS)).byteLength).toBe(1024);
  });
});

describe('readBody of a stalled answer', () => {
  it('names the stall as a 504 of the upstream, not as invalid JSON', async () => {
    const server = await startStallingServer();
    try {
      const response = await fetchUpstream({
        upstream: 'Tempo',
        url: new URL(`${server.url}/api/search`),
        headers: {},
        timeoutMs: 300,
      });
      const error = (await readBodyJson(response, LIMITS).catch(
        e => e,
      )) as UpstreamError;
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error.statusCode).toBe(504);
      expect(error.message).toBe(
        'Tempo: /api/search stopped sending its answer: not finished within 300 ms (traces.tempo.timeout), 11 bytes received',
      );
    } finally {
      await server.close();
    }
  });
});
