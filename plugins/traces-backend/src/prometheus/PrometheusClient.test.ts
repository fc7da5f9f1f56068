import { SecretScrubber } from '../lib/scrubSecrets';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { fixtureResponse } from '../__testUtils__/tempoFixtures';
import { UpstreamError } from '../lib/UpstreamError';
import { PrometheusClient } from './PrometheusClient';
import { neverAnswers } from '../__testUtils__/neverAnswers';

const escapeRegExp = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PROMETHEUS_URL = 'http://prometheus.test:9090/prefix';

describe('PrometheusClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let sent: Request[];

  function prometheusAnswers(response: () => Response | Promise<Response>) {
    sent = [];
    server.use(
      http.get(`${PROMETHEUS_URL}/api/v1/query`, ({ request }) => {
        sent.push(request);
        return response();
      }),
    );
  }

  const client = (timeoutMs = 5000, maxResponseBytes = 1024 * 1024) =>
    new PrometheusClient(
      {
        baseUrl: PROMETHEUS_URL,
        headers: { Authorization: 'Bearer p-token' },
        timeoutMs,
        maxResponseBytes,
        scrubber: SecretScrubber.fromHeaders({
          Authorization: 'Bearer p-token',
        }),
      },
      mockServices.logger.mock(),
    );

  it('sends an instant query at the given time and parses the vector', async () => {
    prometheusAnswers(() =>
      HttpResponse.json({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            {
              metric: { client: 'frontend', server: 'orders-api' },
              value: [1795549450, '1234.5'],
            },
            {
              metric: { client: 'user', server: 'frontend' },
              value: [1795549450, 'NaN'],
            },
            {
              metric: { client: 'a', server: 'b' },
              value: [1795549450, '+Inf'],
            },
          ],
        },
      }),
    );
    const samples = await client().queryVector(
      'sum(up{job="a b"})',
      1795549450,
    );

    const url = new URL(sent[0].url);
    expect(url.pathname).toBe('/prefix/api/v1/query');
    expect(url.searchParams.get('query')).toBe('sum(up{job="a b"})');
    expect(url.searchParams.get('time')).toBe('1795549450');
    expect(sent[0].headers.get('authorization')).toBe('Bearer p-token');
    expect(samples[0]).toEqual({
      metric: { client: 'frontend', server: 'orders-api' },
      value: 1234.5,
    });
    expect(samples[1].value).toBeNaN();
    expect(samples[2].value).toBe(Infinity);
  });

  it('answers an empty list for an empty vector', async () => {
    prometheusAnswers(() =>
      HttpResponse.json({
        status: 'success',
        data: { resultType: 'vector', result: [] },
      }),
    );
    await expect(client().queryVector('up', 1)).resolves.toEqual([]);
  });

  it.each([
    [
      'a PromQL 400 (our bug) with Prometheus’s own text',
      502,
      () =>
        HttpResponse.json(
          {
            status: 'error',
            errorType: 'bad_data',
            error:
              'invalid parameter "query": 1:13: parse error: unexpected "}"',
          },
          { status: 400 },
        ),
      'Prometheus: rejected the query (HTTP 400, bad_data): invalid parameter "query": 1:13: parse error: unexpected "}"',
    ],
    [
      'an execution error (422)',
      502,
      () =>
        HttpResponse.json(
          {
            status: 'error',
            errorType: 'execution',
            error: 'query processing would load too many samples into memory',
          },
          { status: 422 },
        ),
      'Prometheus: could not execute the query: query processing would load too many samples into memory',
    ],
    [
      'a query timeout (503 timeout)',
      504,
      () =>
        HttpResponse.json(
          {
            status: 'error',
            errorType: 'timeout',
            error: 'query timed out in expression evaluation',
          },
          { status: 503 },
        ),
      'Prometheus: query timed out: query timed out in expression evaluation',
    ],
    [
      'an unavailable store (plain 503)',
      503,
      () => new HttpResponse('Service Unavailable', { status: 503 }),
      'Prometheus: is unavailable: Service Unavailable',
    ],
    [
      'rate limiting (429)',
      503,
      () => new HttpResponse('too many outstanding requests', { status: 429 }),
      'Prometheus: is rate limiting queries: too many outstanding requests',
    ],
    [
      'refused credentials (401)',
      502,
      () => new HttpResponse('Unauthorized', { status: 401 }),
      "Prometheus: refused the plugin's credentials (HTTP 401: Unauthorized); check traces.prometheus.auth and headers",
    ],
    [
      'a wrong path (404)',
      502,
      () => new HttpResponse('404 page not found', { status: 404 }),
      /^Prometheus: \/api\/v1\/query does not exist \(HTTP 404\); check traces\.prometheus\.baseUrl/,
    ],
    [
      'an HTML error page from a proxy (500)',
      502,
      () => new HttpResponse('<html>oops</html>', { status: 500 }),
      'Prometheus: answered HTTP 500: <html>oops</html>',
    ],
    [
      'a body that is not JSON',
      502,
      () => new HttpResponse('<html>', { status: 200 }),
      /^Prometheus: \/api\/v1\/query answered with invalid JSON/,
    ],
    [
      'an answer over traces.limits.maxResponseSizeMb (1 MB here)',
      502,
      () =>
        HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [],
            padding: 'x'.repeat(2 ** 20),
          },
        }),
      /^Prometheus: \/api\/v1\/query sent an answer over 1 MB( \(\S+ MB\))?, the most traces\.limits\.maxResponseSizeMb allows/,
    ],
    [
      'a matrix instead of a vector',
      502,
      () =>
        HttpResponse.json({
          status: 'success',
          data: { resultType: 'matrix', result: [] },
        }),
      "Prometheus: expected an instant vector from /api/v1/query, got resultType 'matrix'",
    ],
    [
      'a connection failure',
      503,
      () => HttpResponse.error(),
      /^Prometheus: cannot reach http:\/\/prometheus\.test:9090 /,
    ],
  ])('maps %s to %i', async (_, statusCode, response, message) => {
    prometheusAnswers(response);
    const error = await client()
      .queryVector('up', 1)
      .catch(e => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.statusCode).toBe(statusCode);
    expect(error.message).toMatch(
      typeof message === 'string'
        ? new RegExp(`^${escapeRegExp(message)}$`)
        : message,
    );
    expect(error.message).not.toContain('p-token');
  });

  it('answers 504 when Prometheus is slower than the timeout', async () => {
    server.use(http.get(`${PROMETHEUS_URL}/api/v1/query`, neverAnswers));
    const error = await client(100)
      .queryVector('up', 1)
      .catch(e => e);
    expect(error.statusCode).toBe(504);
    expect(error.message).toBe(
      'Prometheus: no answer within 100 ms from http://prometheus.test:9090',
    );
  });

  describe('queryExemplars', () => {
    function exemplarsAnswer(response: () => Response) {
      sent = [];
      server.use(
        http.get(`${PROMETHEUS_URL}/api/v1/query_exemplars`, ({ request }) => {
          sent.push(request);
          return response();
        }),
      );
    }

    it('reads a real answer: series labels, trace ID labels, values and times', async () => {
      exemplarsAnswer(() =>
        fixtureResponse('query-exemplars-spanmetrics.json', 'prometheus'),
      );
      const series = await client().queryExemplars(
        'traces_spanmetrics_latency_bucket{service=~"frontend|orders-api"}',
        1796044419,
        1796045019,
      );
      const url = new URL(sent[0].url);
      expect(url.pathname).toBe('/prefix/api/v1/query_exemplars');
      expect(url.searchParams.get('start')).toBe('1796044419');
      expect(url.searchParams.get('end')).toBe('1796045019');
      expect(sent[0].headers.get('authorization')).toBe('Bearer p-token');
      expect(series).toHaveLength(3);
      expect(series[0].seriesLabels).toMatchObject({
        service: 'frontend',
        status_code: 'STATUS_CODE_ERROR',
        le: '0.128',
      });
      expect(series[0].exemplars[0]).toEqual({
        labels: { traceID: '4bf92f3577b34da6a3ce929d0e0e4736' },
        value: 0.12,
        timestamp: 1796045009.092,
      });
    });

    it('answers an empty list when Prometheus keeps no exemplars', async () => {
      exemplarsAnswer(() =>
        fixtureResponse('query-exemplars-empty.json', 'prometheus'),
      );
      await expect(client().queryExemplars('x', 1, 2)).resolves.toEqual([]);
    });

    it('names the endpoint when Prometheus rejects the query', async () => {
      exemplarsAnswer(() =>
        fixtureResponse('error-query-exemplars-bad-query.txt', 'prometheus'),
      );
      const error = await client()
        .queryExemplars('traces_spanmetrics_latency_bucket{', 1, 2)
        .catch(e => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error.statusCode).toBe(502);
      expect(error.message).toBe(
        'Prometheus: rejected the query (HTTP 400, bad_data): 1:35: parse error: unexpected end of input inside braces',
      );
    });
  });
});
