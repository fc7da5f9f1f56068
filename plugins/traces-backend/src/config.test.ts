import { SecretScrubber } from './lib/scrubSecrets';
import { ConfigReader } from '@backstage/config';
import { readTracesOptions } from './config';

const read = (traces: object) =>
  readTracesOptions(new ConfigReader({ traces }));

describe('readTracesOptions', () => {
  it('leaves Tempo undefined while baseUrl is unset', () => {
    expect(readTracesOptions(new ConfigReader({})).tempo).toBeUndefined();
    expect(read({ tempo: { baseUrl: '' } }).tempo).toBeUndefined();
  });

  it('reads Tempo options with defaults', () => {
    expect(read({ tempo: { baseUrl: 'http://tempo:3200/' } })).toEqual({
      tempo: {
        baseUrl: 'http://tempo:3200',
        headers: {},
        timeoutMs: 30000,
        scrubber: expect.any(SecretScrubber),
        tenant: undefined,
        traceTimeoutMs: 120000,
        maxTraceBytes: 1024 * 1024 * 1024,
        maxResponseBytes: 32 * 1024 * 1024,
      },
      defaults: {},
      cache: {
        ttlMs: 600000,
        maxBytes: 256 * 1024 * 1024,
        maxTraceBytes: 64 * 1024 * 1024,
      },
      largeTraces: {
        windowThreshold: 50000,
        windowSpans: 10000,
        firstWindowSpans: 3000,
        memoryBytes: 1536 * 1024 * 1024,
        wholeMaxSpans: 100000,
        maxTraceBytes: 1024 * 1024 * 1024,
      },
      limits: {
        maxRangeSeconds: 168 * 3600,
        maxMetricsRangeSeconds: 24 * 3600,
        maxMetricsPoints: 11_000,
        maxResults: 500,
        maxSpansPerSpanSet: 100,
        maxQueryLength: 4096,
        maxResponseBytes: 32 * 1024 * 1024,
        maxConcurrentRequests: 64,
        maxConcurrentRequestsPerUser: 16,
        accessCacheTtlMs: 5000,
      },
    });
  });

  it('reads the limits of one request and of concurrent requests', () => {
    const options = read({
      tempo: { baseUrl: 'http://tempo:3200' },
      limits: {
        maxMetricsPoints: 2000,
        maxSpansPerSpanSet: 10,
        maxResponseSizeMb: 8,
        maxConcurrentRequests: 20,
        maxConcurrentRequestsPerUser: 4,
        accessCacheTtl: '2s',
      },
    });
    expect(options.limits).toMatchObject({
      maxMetricsPoints: 2000,
      maxSpansPerSpanSet: 10,
      maxResponseBytes: 8 * 1024 * 1024,
      maxConcurrentRequests: 20,
      maxConcurrentRequestsPerUser: 4,
      accessCacheTtlMs: 2000,
    });
    expect(options.tempo?.maxResponseBytes).toBe(8 * 1024 * 1024);
    expect(() => read({ limits: { maxConcurrentRequests: 0 } })).toThrow(
      /must be positive, got 0/,
    );
  });

  it('keeps a path prefix, builds auth headers and reads timeouts', () => {
    const bearer = read({
      tempo: {
        baseUrl: 'https://tempo.example.com/tempo',
        auth: { bearerToken: 'abc' },
        headers: { 'X-Extra': '1' },
        timeout: '5s',
        tenant: 'acme',
      },
    }).tempo!;
    expect(bearer.baseUrl).toBe('https://tempo.example.com/tempo');
    expect(bearer.headers).toEqual({
      'X-Extra': '1',
      Authorization: 'Bearer abc',
    });
    expect(bearer.timeoutMs).toBe(5000);
    expect(bearer.traceTimeoutMs).toBe(120000);
    expect(bearer.tenant).toBe('acme');

    const basic = read({
      tempo: {
        baseUrl: 'http://t',
        auth: { username: 'u', password: 'p' },
        timeout: { seconds: 2 },
      },
    }).tempo!;
    expect(basic.headers.Authorization).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
    expect(basic.timeoutMs).toBe(2000);
  });

  it('moves credentials out of the URL so they never appear in messages', () => {
    const tempo = read({
      tempo: { baseUrl: 'https://user:pa%40ss@tempo.example.com' },
    }).tempo!;
    expect(tempo.baseUrl).toBe('https://tempo.example.com');
    expect(tempo.headers.Authorization).toBe(
      `Basic ${Buffer.from('user:pa@ss').toString('base64')}`,
    );
  });

  it('reads default filters with configurable attribute names', () => {
    expect(read({ environment: 'prod', cluster: 'eu-1' }).defaults).toEqual({
      environment: { attribute: 'deployment.environment', value: 'prod' },
      cluster: { attribute: 'k8s.cluster.name', value: 'eu-1' },
    });
    expect(
      read({
        environment: 'prod',
        attributes: { environment: 'deployment.environment.name' },
      }).defaults.environment,
    ).toEqual({ attribute: 'deployment.environment.name', value: 'prod' });
  });

  it('reads or disables the trace cache', () => {
    expect(
      read({ cache: { ttl: '2m', maxSizeMb: 10, maxTraceSizeMb: 1 } }).cache,
    ).toEqual({
      ttlMs: 120000,
      maxBytes: 10 * 1024 * 1024,
      maxTraceBytes: 1024 * 1024,
    });
    expect(read({ cache: { enabled: false } }).cache).toBeUndefined();
  });

  it('reads the large-trace settings', () => {
    const options = read({
      tempo: { baseUrl: 'http://t', traceTimeout: '5m' },
      largeTraces: {
        windowThreshold: 1000,
        windowSpans: 200.5,
        memoryMb: 64,
        maxTraceSizeMb: 8,
        wholeMaxSpans: 5000,
      },
    });
    expect(options.largeTraces).toEqual({
      windowThreshold: 1000,
      windowSpans: 200,
      firstWindowSpans: 200,
      memoryBytes: 64 * 1024 * 1024,
      wholeMaxSpans: 5000,
      maxTraceBytes: 8 * 1024 * 1024,
    });
    expect(options.tempo).toMatchObject({
      traceTimeoutMs: 300000,
      maxTraceBytes: 8 * 1024 * 1024,
    });
  });

  it('reads the largest answer read from Tempo', () => {
    expect(
      read({ tempo: { baseUrl: 'http://t' }, limits: { maxResponseSizeMb: 2 } })
        .tempo?.maxResponseBytes,
    ).toBe(2 * 1024 * 1024);
  });

  it.each([
    [{ tempo: { baseUrl: 'ftp://tempo' } }, /must be an http\(s\) URL/],
    [{ tempo: { baseUrl: 'not a url' } }, /must be an http\(s\) URL/],
    [
      { tempo: { baseUrl: 'http://t', timeout: 'soon' } },
      /timeout must look like/,
    ],
    [
      {
        tempo: {
          baseUrl: 'http://t',
          auth: { bearerToken: 'a', username: 'b' },
        },
      },
      /either bearerToken or username/,
    ],
    [
      { tempo: { baseUrl: 'http://t', tenant: 'team a' } },
      /^traces\.tempo\.tenant: the character " " \(U\+0020\) is not allowed/,
    ],
    [
      { environment: 'prod\u0000' },
      /^traces\.environment: TraceQL string values cannot contain the NUL character$/,
    ],
    [
      { cluster: 'eu', attributes: { cluster: 'k8s\u0000cluster' } },
      /^traces\.cluster: TraceQL attribute names cannot contain the NUL character$/,
    ],
    [{ limits: { maxResults: 0 } }, /must be positive/],
    [{ largeTraces: { windowSpans: -1 } }, /must be positive/],
  ])('rejects %j', (traces, message) => {
    expect(() => read(traces)).toThrow(message);
  });
});
