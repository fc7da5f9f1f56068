import { http, HttpResponse } from 'msw';
import { fixtureResponse } from '../../__testUtils__/tempoFixtures';

/** Where the recorded Tempo answers are served (msw). */
export const RECORDED_TEMPO_URL = 'http://recorded-tempo.test:3200';

const SEARCHES: Record<string, string> = {
  '{resource.service.name="frontend"}': 'search-by-service.json',
  '{status=error}': 'search-errors.json',
  '{span.http.route="/api/orders/{id}"}': 'search-by-http-route.json',
  '{resource.service.name="does-not-exist"}': 'search-no-results.json',
};

const TAG_VALUES: Record<string, string> = {
  'resource.service.name': 'tag-values-service-name.json',
  'span.http.route': 'tag-values-http-route.json',
  status: 'tag-values-status.json',
  'span.http.response.status_code': 'tag-values-http-status-code.json',
  'span.nope': 'tag-values-unknown-tag.json',
};

const METRICS: Record<string, string> = {
  '{resource.service.name="frontend"} | rate() by (span.http.route)':
    'metrics-query-range.json',
  '{} | count_over_time() by (resource.service.name)':
    'metrics-query-range-count-by-service.json',
  '{status=error} | rate() by (resource.service.name)':
    'metrics-query-range-error-rate.json',
  '{kind=server} | quantile_over_time(duration, 0.5, 0.9) by (resource.service.name)':
    'metrics-query-range-quantile.json',
};

/**
 * Tempo 2.7.2's recorded answers (`__fixtures__/tempo`) for the requests the contract tests
 * make, byte for byte; anything else is a 404, which fails the test that asked.
 */
export function recordedTempoHandlers() {
  const fixture = (name: string | undefined) =>
    name
      ? fixtureResponse(name)
      : new HttpResponse('no recorded answer', { status: 404 });
  return [
    http.get(`${RECORDED_TEMPO_URL}/api/search`, ({ request }) =>
      fixture(SEARCHES[new URL(request.url).searchParams.get('q') ?? '']),
    ),
    http.get(`${RECORDED_TEMPO_URL}/api/v2/traces/:traceId`, ({ params }) =>
      fixture(
        params.traceId === '4bf92f3577b34da6a3ce929d0e0e4736'
          ? 'trace-v2.json'
          : 'trace-v2-not-found.txt',
      ),
    ),
    http.get(`${RECORDED_TEMPO_URL}/api/v2/search/tags`, ({ request }) =>
      fixture(
        new URL(request.url).searchParams.get('scope') === 'resource'
          ? 'tags-v2-scope-resource.json'
          : 'tags-v2.json',
      ),
    ),
    http.get(
      `${RECORDED_TEMPO_URL}/api/v2/search/tag/:tag/values`,
      ({ params }) => fixture(TAG_VALUES[String(params.tag)]),
    ),
    http.get(`${RECORDED_TEMPO_URL}/api/metrics/query_range`, ({ request }) =>
      fixture(METRICS[new URL(request.url).searchParams.get('q') ?? '']),
    ),
  ];
}
