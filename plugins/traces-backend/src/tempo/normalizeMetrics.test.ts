import { fixtureJson } from '../__testUtils__/tempoFixtures';
import { normalizeMetricsResponse } from './normalizeMetrics';

describe('normalizeMetricsResponse', () => {
  it('reads typed labels, fills omitted zero samples and keeps exemplar trace IDs', () => {
    const { series } = normalizeMetricsResponse(
      fixtureJson('metrics-query-range-quantile.json'),
    );
    const frontendP50 = series.find(
      s =>
        s.labels['resource.service.name'] === 'frontend' && s.labels.p === 0.5,
    )!;
    expect(frontendP50.name).toBe(
      '{p="0.5", resource.service.name="frontend"}',
    );
    expect(frontendP50.samples.slice(0, 3)).toEqual([
      { timestampMs: 1795548600000, value: 0 },
      { timestampMs: 1795548900000, value: 0 },
      { timestampMs: 1795549200000, value: 0.10652868130999084 },
    ]);
    expect(frontendP50.exemplars[0]).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      timestampMs: 1795549349534,
      value: 0.09,
      // from the exemplar's `duration` label, "90ms"
      durationMs: 90,
    });
  });

  it('pads exemplar trace IDs with stripped leading zeros', () => {
    const { series } = normalizeMetricsResponse(
      fixtureJson('metrics-query-range-count-by-service.json'),
    );
    const traceIds = series.flatMap(s => s.exemplars.map(e => e.traceId));
    expect(traceIds).toContain('00f067aa0ba902b7d0c6e1b8e4f3a2c1');
    expect(traceIds.every(id => id?.length === 32)).toBe(true);
  });

  it('names unlabelled series by their __name__ label', () => {
    const { series } = normalizeMetricsResponse(
      fixtureJson('metrics-query-range-no-step.json'),
    );
    expect(series).toHaveLength(1);
    expect(series[0].labels).toEqual({ __name__: 'rate' });
  });

  it('reports partial results', () => {
    const result = normalizeMetricsResponse({
      series: [],
      status: 'PARTIAL',
      message: 'Response exceeds maximum series limit of 1000',
    });
    expect(result).toEqual({
      series: [],
      partial: true,
      partialMessage: 'Response exceeds maximum series limit of 1000',
    });
  });
});
