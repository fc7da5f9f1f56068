import { SecretScrubber } from '../lib/scrubSecrets';
import { ConfigReader } from '@backstage/config';
import { DEFAULT_METRIC_NAMES, readServiceGraphOptions } from './config';

const read = (traces: object) =>
  readServiceGraphOptions(new ConfigReader({ traces }));

describe('readServiceGraphOptions', () => {
  it('uses sampled traces with defaults while Prometheus is not configured', () => {
    expect(readServiceGraphOptions(new ConfigReader({}))).toEqual({
      prometheus: undefined,
      sampleTraces: 50,
      sampleTimeoutMs: 20_000,
    });
    expect(read({ prometheus: { baseUrl: ' ' } }).prometheus).toBeUndefined();
    expect(
      read({ serviceGraph: { sampleTraces: 10, sampleTimeout: '5s' } }),
    ).toMatchObject({
      sampleTraces: 10,
      sampleTimeoutMs: 5000,
    });
    expect(
      read({ serviceGraph: { sampleTimeout: { minutes: 1 } } }).sampleTimeoutMs,
    ).toBe(60_000);
  });

  it('reads Prometheus with metrics-generator names by default', () => {
    expect(
      read({ prometheus: { baseUrl: 'http://prometheus:9090/' } }).prometheus,
    ).toEqual({
      connection: {
        baseUrl: 'http://prometheus:9090',
        headers: {},
        timeoutMs: 30_000,
        maxResponseBytes: 32 * 1024 * 1024,
        scrubber: expect.any(SecretScrubber),
      },
      metrics: DEFAULT_METRIC_NAMES,
      labels: { client: 'client', server: 'server' },
    });
  });

  it('reads auth, headers, timeout, names and the extra selector', () => {
    const prometheus = read({
      prometheus: {
        baseUrl: 'https://user:p%40ss@mimir.example.com/prometheus',
        headers: { 'X-Scope-OrgID': 'team-a' },
        timeout: '10s',
        metrics: {
          requestTotal: 'traces_service_graph_request_total',
          requestServerSeconds: 'sg_server_seconds',
        },
        labels: { client: 'client_service_name' },
        extraSelector: 'cluster="eu-1",',
      },
    }).prometheus!;
    expect(prometheus.connection).toEqual({
      baseUrl: 'https://mimir.example.com/prometheus',
      headers: {
        'X-Scope-OrgID': 'team-a',
        Authorization: `Basic ${Buffer.from('user:p@ss').toString('base64')}`,
      },
      timeoutMs: 10_000,
      maxResponseBytes: 32 * 1024 * 1024,
      scrubber: expect.any(SecretScrubber),
    });
    expect(prometheus.connection.scrubber.scrub('echo user:p@ss')).toBe(
      'echo [masked]',
    );
    expect(prometheus.metrics).toEqual({
      ...DEFAULT_METRIC_NAMES,
      requestServerSeconds: 'sg_server_seconds',
    });
    expect(prometheus.labels).toEqual({
      client: 'client_service_name',
      server: 'server',
    });
    expect(prometheus.extraSelector).toBe('cluster="eu-1"');

    const bearer = read({
      prometheus: { baseUrl: 'http://p', auth: { bearerToken: 't' } },
    });
    expect(bearer.prometheus!.connection.headers).toEqual({
      Authorization: 'Bearer t',
    });
  });

  it.each([
    [
      { prometheus: { baseUrl: 'ftp://p' } },
      /traces\.prometheus\.baseUrl must be an http\(s\) URL/,
    ],
    [
      {
        prometheus: {
          baseUrl: 'http://p',
          auth: { bearerToken: 't', username: 'u' },
        },
      },
      /traces\.prometheus\.auth: configure either/,
    ],
    [
      { prometheus: { baseUrl: 'http://p', timeout: 'soon' } },
      /traces\.prometheus\.timeout must look like/,
    ],
    [
      {
        prometheus: {
          baseUrl: 'http://p',
          metrics: { requestTotal: 'up{job="x"}' },
        },
      },
      /metrics\.requestTotal is not a valid metric name/,
    ],
    [
      {
        prometheus: { baseUrl: 'http://p', labels: { server: 'service.name' } },
      },
      /labels\.server is not a valid label name/,
    ],
    [
      { prometheus: { baseUrl: 'http://p', labels: { client: 'server' } } },
      /must differ/,
    ],
    [
      {
        prometheus: { baseUrl: 'http://p', extraSelector: '{cluster="eu-1"}' },
      },
      /without braces/,
    ],
    [
      { serviceGraph: { sampleTraces: 0 } },
      /sampleTraces must be a whole number from 1 to 500/,
    ],
    [
      { serviceGraph: { sampleTraces: 2.5 } },
      /sampleTraces must be a whole number/,
    ],
    [
      { serviceGraph: { sampleTimeout: '0s' } },
      /sampleTimeout must be longer than zero/,
    ],
  ])('rejects %j', (traces, message) => {
    expect(() => read(traces)).toThrow(message);
  });
});
