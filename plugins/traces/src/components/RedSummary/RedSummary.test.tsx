import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  MetricsResponse,
  MetricSeries,
} from '@backstage-traces/plugin-traces-common';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MetricsRequest, tracesApiRef } from '../../api';
import recorded from './__fixtures__/orders-api-1h.json';
import { RED_QUERIES } from './redMetrics';
import { RedSummary } from './RedSummary';

const START = 1_763_600_000;
const END = START + 3600;

function series(
  labels: MetricSeries['labels'],
  values: number[],
): MetricSeries {
  return {
    labels,
    name: '',
    samples: values.map((value, i) => ({
      timestampMs: (START + i * 60) * 1000,
      value,
    })),
    exemplars: [],
  };
}

function response(query: string, list: MetricSeries[]): MetricsResponse {
  return { query, start: START, end: END, series: list };
}

async function backendError(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: 502 },
      }),
      { status: 502, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

function fakeApi(
  overrides: Partial<
    Record<keyof typeof RED_QUERIES, () => Promise<MetricsResponse>>
  > = {},
) {
  const queryMetrics = jest.fn(async (request: MetricsRequest) => {
    const key = (
      Object.keys(RED_QUERIES) as Array<keyof typeof RED_QUERIES>
    ).find(k => RED_QUERIES[k] === request.query)!;
    if (overrides[key]) return overrides[key]!();
    switch (key) {
      case 'rate':
        return response(request.query, [
          series({ __name__: 'rate' }, [1, 2, 3]),
        ]);
      case 'errors':
        return response(request.query, [
          series({ __name__: 'rate' }, [0.1, 0.2, 0.3]),
        ]);
      default:
        // Request counts per power-of-two bucket (seconds) per step.
        return response(request.query, [
          series({ __bucket: 0.016777216 }, [2, 0]),
          series({ __bucket: 0.268435456 }, [0, 1]),
          series({ __bucket: 0.536870912 }, [0, 1]),
        ]);
    }
  });
  return { queryMetrics };
}

/** The recorded answers of a real Tempo hour (orders-api, with exemplars). */
function recordedApi() {
  const answer = (list: unknown) => () =>
    Promise.resolve({
      query: '',
      start: recorded.start,
      end: recorded.end,
      series: list as MetricSeries[],
    });
  return fakeApi({
    rate: answer(recorded.rate),
    errors: answer(recorded.errors),
    latency: answer(recorded.latency),
  });
}

describe('RedSummary', () => {
  it('shows rate, error ratio and latency percentiles with sparklines', async () => {
    const api = fakeApi();
    renderInTestApp(
      <RedSummary
        entityRef="component:default/orders"
        range={{ start: START, end: END }}
      />,
      { apis: [[tracesApiRef, api as any]] },
    );

    // 360 spans in the hour: one unit (per minute) for every figure of the card.
    const rate = await screen.findByRole('region', { name: 'Span rate' });
    expect(await within(rate).findByText('6/min')).toBeInTheDocument();
    expect(
      within(rate).getByText(
        '360 spans · peak 180/min · last full minute 180/min',
      ),
    ).toBeInTheDocument();
    expect(
      within(rate).getByRole('img', {
        name: 'Span rate over time: average 6/min, peak 180/min',
      }),
    ).toBeInTheDocument();

    const errors = screen.getByRole('region', { name: 'Errors' });
    expect(within(errors).getByText('10%')).toBeInTheDocument();
    expect(
      within(errors).getByText('36 of 360 spans failed · peak 10%'),
    ).toBeInTheDocument();

    // Percentiles of all four requests together, not an average of the two steps.
    const latency = screen.getByRole('region', {
      name: 'Latency (server spans)',
    });
    expect(within(latency).getByText('16.8ms')).toBeInTheDocument();
    expect(within(latency).getAllByText('537ms')).toHaveLength(2);
    expect(within(latency).getByText(/^of 4 requests/)).toBeInTheDocument();
    expect(
      within(latency).getByRole('img', {
        name: 'Latency over time: p50 16.8ms, p95 537ms, p99 537ms',
      }),
    ).toBeInTheDocument();

    expect(api.queryMetrics).toHaveBeenCalledTimes(3);
    expect(api.queryMetrics).toHaveBeenCalledWith({
      query: RED_QUERIES.latency,
      entityRef: 'component:default/orders',
      start: START,
      end: END,
      step: '60s',
      exemplars: 12,
    });
  });

  it('shows the figures of a real Tempo hour with empty and unfinished steps', async () => {
    const api = recordedApi();
    renderInTestApp(
      <RedSummary
        entityRef="component:default/orders-api"
        range={{ start: recorded.start, end: recorded.end }}
      />,
      { apis: [[tracesApiRef, api as any]] },
    );

    const latency = await screen.findByRole('region', {
      name: 'Latency (server spans)',
    });
    // Every step with requests had a p50 of 33.5-41 ms (the headline once said 1.7 ms).
    expect(await within(latency).findByText('36.7ms')).toBeInTheDocument();
    expect(within(latency).getByText(/^of 48 requests/)).toBeInTheDocument();
    const rate = screen.getByRole('region', { name: 'Span rate' });
    // The running last step (0.7/s so far) is neither the peak nor the last full minute.
    expect(
      within(rate).getByText(
        '182 spans · peak 127/min · last full minute 127/min',
      ),
    ).toBeInTheDocument();
    expect(within(rate).getByText('3.03/min')).toBeInTheDocument();
  });

  it('says when every span so far is in the running step, instead of a peak of 0', async () => {
    const end = recorded.end;
    const answer = (samples: MetricSeries['samples']) => () =>
      Promise.resolve({
        query: '',
        start: end - 3600,
        end,
        series: [{ labels: {}, name: '', samples, exemplars: [] }],
      });
    const api = fakeApi({
      rate: answer([
        { timestampMs: (end - 90) * 1000, value: 0 },
        // The running step: 0.45/s over its first 30 s of 60 is 27 spans.
        { timestampMs: (end - 30) * 1000, value: 0.45 },
      ]),
      errors: answer([]),
      latency: answer([]),
    });
    renderInTestApp(
      <RedSummary
        entityRef="component:default/orders-api"
        range={{ start: end - 3600, end }}
      />,
      { apis: [[tracesApiRef, api as any]] },
    );

    const rate = await screen.findByRole('region', { name: 'Span rate' });
    expect(
      await within(rate).findByText('27 spans · all in the running minute'),
    ).toBeInTheDocument();
    expect(within(rate).queryByText(/peak/)).not.toBeInTheDocument();
  });

  it('shows a failing query inline and keeps the other figures', async () => {
    const error = await backendError(
      'Tempo metrics query failed: metrics-generator disabled',
    );
    const api = fakeApi({ latency: () => Promise.reject(error) });
    renderInTestApp(
      <RedSummary
        entityRef="component:default/orders"
        range={{ start: START, end: END }}
      />,
      { apis: [[tracesApiRef, api as any]] },
    );

    const latency = await screen.findByRole('region', {
      name: 'Latency (server spans)',
    });
    expect(
      await within(latency).findByText(
        'Could not load: Tempo metrics query failed: metrics-generator disabled',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'Span rate' })).getByText(
        '6/min',
      ),
    ).toBeInTheDocument();
  });

  it('says when there is no data, and when a long range was clamped to 24 hours', async () => {
    const empty = (q: string) => () => Promise.resolve(response(q, []));
    const api = fakeApi({
      rate: empty(RED_QUERIES.rate),
      errors: empty(RED_QUERIES.errors),
      latency: empty(RED_QUERIES.latency),
    });
    renderInTestApp(
      <RedSummary
        entityRef="component:default/orders"
        range={{ start: END - 7 * 86400, end: END }}
      />,
      { apis: [[tracesApiRef, api as any]] },
    );

    expect(
      await screen.findAllByText('No spans in this time range'),
    ).toHaveLength(3);
    expect(
      screen.getByText(/Metrics cover the last 24 hours/),
    ).toBeInTheDocument();
    expect(api.queryMetrics).toHaveBeenCalledWith(
      expect.objectContaining({ start: END - 86400, end: END, step: '1800s' }),
    );
  });

  describe('exemplars', () => {
    it('draws a real hour’s exemplars as buttons that open their trace', async () => {
      const api = recordedApi();
      const onOpenTrace = jest.fn();
      renderInTestApp(
        <RedSummary
          entityRef="component:default/orders-api"
          range={{ start: recorded.start, end: recorded.end }}
          onOpenTrace={onOpenTrace}
        />,
        { apis: [[tracesApiRef, api as any]] },
      );

      const latency = await screen.findByRole('region', {
        name: 'Latency (server spans)',
      });
      const slow = await within(latency).findByRole('button', {
        name: /^Open trace d9ebf662 \(.*, took 28\.5ms\)$/,
      });
      const user = userEvent.setup();
      await user.click(slow);
      expect(onOpenTrace).toHaveBeenCalledWith(
        'd9ebf662ed8e6f563beeb701948da620',
        undefined,
      );
      // one marker per exemplar trace of the six
      expect(within(latency).getAllByRole('button')).toHaveLength(6);

      // The rate card's markers sit on the rate of their step; keyboard opens them too.
      const rate = screen.getByRole('region', { name: 'Span rate' });
      const markers = within(rate).getAllByRole('button', {
        name: /^Open trace /,
      });
      expect(markers.length).toBeGreaterThan(0);
      act(() => markers[0].focus());
      expect(
        await screen.findByText(
          `Trace ${recorded.rate[0].exemplars[0].traceId}`,
        ),
      ).toBeInTheDocument();
      await user.keyboard('{Enter}');
      expect(onOpenTrace).toHaveBeenLastCalledWith(
        recorded.rate[0].exemplars[0].traceId,
        undefined,
      );
      expect(markers[0]).toHaveAccessibleName(
        /^Open trace 5e83952e \(.*, span rate 13\/min\)$/,
      );

      const errors = screen.getByRole('region', { name: 'Errors' });
      expect(
        within(errors).getAllByRole('button', { name: /^Open trace / }),
      ).toHaveLength(recorded.errors.flatMap(s => s.exemplars).length);

      expect(api.queryMetrics).toHaveBeenCalledWith(
        expect.objectContaining({ exemplars: 12 }),
      );
    });

    const exemplar = {
      traceId: 'abcdefabcdefabcdefabcdefabcdef12',
      spanId: '00000000000000cd',
      timestampMs: (START + 30) * 1000,
      value: 1,
    };
    const withExemplar = () =>
      fakeApi({
        rate: () =>
          Promise.resolve(
            response(RED_QUERIES.rate, [
              {
                ...series({ __name__: 'rate' }, [1, 2, 3]),
                exemplars: [exemplar],
              },
            ]),
          ),
      });

    it('passes the span of an exemplar on', async () => {
      const onOpenTrace = jest.fn();
      renderInTestApp(
        <RedSummary
          range={{ start: START, end: END }}
          onOpenTrace={onOpenTrace}
        />,
        { apis: [[tracesApiRef, withExemplar() as any]] },
      );
      expect(await screen.findByText('16.8ms')).toBeInTheDocument();
      await userEvent
        .setup()
        .click(screen.getByRole('button', { name: /^Open trace abcdefab/ }));
      expect(onOpenTrace).toHaveBeenCalledWith(
        exemplar.traceId,
        exemplar.spanId,
      );
    });

    it('draws no exemplars without a way to open traces', async () => {
      renderInTestApp(<RedSummary range={{ start: START, end: END }} />, {
        apis: [[tracesApiRef, withExemplar() as any]],
      });
      expect(await screen.findByText('16.8ms')).toBeInTheDocument();
      expect(screen.getByText('6/min')).toBeInTheDocument();
      expect(screen.queryByRole('button')).not.toBeInTheDocument();
    });
  });
});
