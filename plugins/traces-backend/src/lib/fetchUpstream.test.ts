import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigReader } from '@backstage/config';
import {
  fetchUpstream,
  readErrorText,
  type UpstreamRequest,
} from './fetchUpstream';
import { readBodyJson } from './readBody';
import { SecretScrubber } from './scrubSecrets';
import { readUpstreamConnection } from './upstreamConnection';
import { UpstreamError } from './UpstreamError';

const LIMITS = {
  upstream: 'Tempo',
  what: '/api/search',
  maxBytes: 1024 * 1024,
  maxBytesSetting: 'traces.limits.maxResponseSizeMb',
  timeoutMs: 5_000,
  timeoutSetting: 'traces.tempo.timeout',
};

/** A real server on a free port: Node's client, not an interceptor, is what is tested. */
async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

/** A GET of `url` as the Tempo client sends it, with `extra` overriding the defaults. */
function get(url: string, extra: Partial<UpstreamRequest> = {}) {
  return fetchUpstream({
    upstream: 'Tempo',
    url: new URL(url),
    headers: {},
    timeoutMs: 5_000,
    ...extra,
  });
}

function close(server: Server) {
  server.closeAllConnections();
  return new Promise(resolve => server.close(resolve));
}

describe('fetchUpstream', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });

  it('sends no Accept-Encoding unless asked, and reads a plain answer', async () => {
    let seen: IncomingHttpHeaders = {};
    const up = await serve((req, res) => {
      seen = req.headers;
      res.setHeader('Content-Type', 'application/json');
      res.end('{"traces":[]}');
    });
    server = up.server;
    const response = await fetchUpstream({
      upstream: 'Tempo',
      url: new URL(`${up.url}/api/search?q=%7B%7D`),
      headers: { Accept: 'application/json', 'X-Scope-OrgID': 'team-a' },
      timeoutMs: 5_000,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(await readBodyJson(response, LIMITS)).toEqual({ traces: [] });
    expect(seen['accept-encoding']).toBeUndefined();
    expect(seen['x-scope-orgid']).toBe('team-a');
  });

  it('decodes a gzip answer when compressed answers are configured', async () => {
    let seen: IncomingHttpHeaders = {};
    const up = await serve((req, res) => {
      seen = req.headers;
      res.setHeader('Content-Encoding', 'gzip');
      res.end(gzipSync('{"tagNames":["http.route"]}'));
    });
    server = up.server;
    const connection = readUpstreamConnection(
      new ConfigReader({ baseUrl: up.url, compressedAnswers: true }),
      'traces.tempo',
      LIMITS.maxBytes,
    )!;
    const response = await fetchUpstream({
      upstream: 'Tempo',
      url: new URL(`${connection.baseUrl}/api/search/tags`),
      headers: connection.headers,
      timeoutMs: connection.timeoutMs,
    });
    expect(seen['accept-encoding']).toBe('gzip');
    expect(await readBodyJson(response, LIMITS)).toEqual({
      tagNames: ['http.route'],
    });
    // The header value is not a secret to scrub from error texts.
    expect(connection.scrubber.scrub('gzip')).toBe('gzip');
  });

  it('says a gzip body that is not gzip cannot be read (502)', async () => {
    const up = await serve((_req, res) => {
      res.setHeader('Content-Encoding', 'gzip');
      res.end('not gzip at all');
    });
    server = up.server;
    const response = await get(`${up.url}/api/search`);
    const error = (await readBodyJson(response, LIMITS).catch(
      e => e,
    )) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.statusCode).toBe(502);
    expect(error.message).toMatch(
      /^Tempo: \/api\/search answered with a body that cannot be read \(/,
    );
  });

  it('answers 504 naming the upstream when no headers come in time', async () => {
    const up = await serve(() => undefined); // never answers
    server = up.server;
    const error = await get(`${up.url}/api/search`, { timeoutMs: 200 }).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.statusCode).toBe(504);
    expect(error.message).toBe(`Tempo: no answer within 200 ms from ${up.url}`);
  });

  it('answers 503 naming the upstream when nothing listens', async () => {
    const up = await serve(() => undefined);
    await close(up.server); // the port is free again: the connection is refused
    const error = await fetchUpstream({
      upstream: 'Prometheus',
      url: new URL(`${up.url}/api/v1/query`),
      headers: {},
      timeoutMs: 5_000,
    }).catch(e => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.statusCode).toBe(503);
    expect(error.message).toBe(
      `Prometheus: cannot reach ${up.url} (ECONNREFUSED)`,
    );
  });

  it('passes on the caller giving up as an AbortError, not as an upstream failure', async () => {
    const up = await serve(() => undefined);
    server = up.server;
    const controller = new AbortController();
    const pending = get(`${up.url}/api/search`, {
      signal: controller.signal,
    }).catch(e => e);
    controller.abort();
    expect((await pending).name).toBe('AbortError');
  });

  it('reads error texts scrubbed and cut, without reading an endless body', async () => {
    const up = await serve((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.write('token s3cret rejected; ');
      const more = () => {
        if (!res.destroyed) res.write('x'.repeat(16 * 1024), more);
      };
      more();
    });
    server = up.server;
    const response = await get(`${up.url}/api/search`);
    expect(response.ok).toBe(false);
    const text = await readErrorText(
      response,
      SecretScrubber.fromHeaders({}, ['s3cret']),
      40,
    );
    expect(text).toMatch(/^token \S+ rejected; x+…$/);
    expect(text).not.toContain('s3cret');
  });
});

describe('fetchUpstream over HTTPS', () => {
  // A self-signed certificate for 127.0.0.1 (__fixtures__/tls): trusted only where a test says.
  const tls = join(__dirname, '../__fixtures__/tls');
  const cert = readFileSync(join(tls, 'localhost.crt'));
  const key = readFileSync(join(tls, 'localhost.key'));
  let server: https.Server | undefined;
  let url = '';

  beforeEach(async () => {
    server = https.createServer({ cert, key }, (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Content-Encoding', 'gzip');
      res.end(gzipSync('{"traces":[]}'));
    });
    await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    delete https.globalAgent.options.ca;
    if (server) await close(server);
  });

  it('reads an answer from an upstream whose certificate is trusted', async () => {
    // As NODE_EXTRA_CA_CERTS does for a whole backend: Node's global agent trusts the CA.
    https.globalAgent.options.ca = cert;
    const response = await get(`${url}/api/search`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(await readBodyJson(response, LIMITS)).toEqual({ traces: [] });
  });

  it('answers 503 naming the certificate problem when it is not trusted', async () => {
    const error = await get(`${url}/api/search`).catch(e => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.statusCode).toBe(503);
    expect(error.message).toBe(
      `Tempo: cannot reach ${url} (DEPTH_ZERO_SELF_SIGNED_CERT)`,
    );
  });
});
