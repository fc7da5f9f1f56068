import { spanMetricsSelector } from './spanMetricsSelector';

const OPTIONS = { latencyMetric: 'traces_spanmetrics_latency' };
const SCOPE = { serviceNames: ['frontend', 'checkout.v2'] };

describe('spanMetricsSelector', () => {
  it.each([
    ['{ } | rate()', ''],
    ['{ status = error } | rate()', 'status_code="STATUS_CODE_ERROR", '],
    [
      '{ kind = server } | histogram_over_time(duration)',
      'span_kind="SPAN_KIND_SERVER", ',
    ],
    [
      '{ name = "GET /\\"x\\"" && kind = client && status = ok } | count_over_time()',
      'span_name="GET /\\"x\\"", span_kind="SPAN_KIND_CLIENT", status_code="STATUS_CODE_OK", ',
    ],
    [
      '{ resource.service.name = "frontend" } | quantile_over_time(duration, 0.9)',
      'service="frontend", ',
    ],
  ])('maps %s', (query, matchers) => {
    expect(spanMetricsSelector(query, SCOPE, OPTIONS)?.selector).toBe(
      `traces_spanmetrics_latency_bucket{${matchers}service=~"frontend|checkout\\\\.v2"}`,
    );
  });

  it('groups by service only for by (resource.service.name)', () => {
    expect(
      spanMetricsSelector(
        '{ } | rate() by (resource.service.name)',
        SCOPE,
        OPTIONS,
      ),
    ).toMatchObject({ fn: 'rate', byService: true });
    expect(spanMetricsSelector('{ } | rate()', SCOPE, OPTIONS)).toMatchObject({
      byService: false,
    });
  });

  it.each([
    '{ span.http.route = "/x" } | rate()',
    '{ status != error } | rate()',
    '{ status = error || kind = server } | rate()',
    '{ duration > 1s } | rate()',
    '{ .service.name = "frontend" } | rate()',
    '{ } | rate() by (span.http.route)',
    '{ } | rate() by (resource.service.name, kind)',
    '{ kind = server } >> { status = error } | rate()',
    '{ } | select(span.http.route)',
    'not traceql',
  ])('leaves %s to the store', query => {
    expect(spanMetricsSelector(query, SCOPE, OPTIONS)).toBeUndefined();
  });

  it('adds every filter of the scope, under the metrics-generator’s label names', () => {
    expect(
      spanMetricsSelector(
        '{ } | rate()',
        {
          serviceNames: ['orders-api'],
          serviceNamespace: 'shop',
          environment: { attribute: 'deployment.environment', value: 'prod' },
          cluster: { attribute: 'k8s.cluster.name', value: 'eu-1' },
        },
        { ...OPTIONS, extraSelector: 'source="tempo"' },
      )?.selector,
    ).toBe(
      'traces_spanmetrics_latency_bucket{service=~"orders-api", service_namespace="shop", deployment_environment="prod", k8s_cluster_name="eu-1", source="tempo"}',
    );
  });

  it('never maps a tenant’s scope (Prometheus has no tenants here)', () => {
    expect(
      spanMetricsSelector(
        '{ } | rate()',
        { serviceNames: ['orders-api'], tenant: 'team-shop' },
        OPTIONS,
      ),
    ).toBeUndefined();
  });
});
