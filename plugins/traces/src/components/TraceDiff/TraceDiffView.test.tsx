import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Trace } from '@backstage-traces/plugin-traces-common';
import { tracesApiRef } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import { giveScrollAreasHeight } from '../../testing/scrollAreaHeight';
import { makeTrace, type SpanSpec } from '../TraceView/testTraces';
import { TraceDiffView } from './TraceDiffView';

giveScrollAreasHeight(600);

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const root: SpanSpec = {
  spanId: 'r',
  name: 'GET /checkout',
  serviceName: 'web',
  startMs: 0,
  durationMs: 100,
};
const child = (spanId: string, name: string, durationMs: number): SpanSpec => ({
  spanId,
  parentSpanId: 'r',
  name,
  serviceName: 'api',
  startMs: 1,
  durationMs,
});
const traces: Record<string, Trace> = {
  [A]: makeTrace(
    [root, child('c', 'GET /cache', 5), child('p', 'POST /pay', 10)],
    { traceId: A },
  ),
  [B]: makeTrace(
    [root, child('q', 'SELECT', 30), child('p', 'POST /pay', 60)],
    { traceId: B },
  ),
};

function renderDiff(
  props: { onOpenTrace?: jest.Mock; onCompare?: jest.Mock } = {},
) {
  const api = fakeTracesApi({
    getTrace: async ({ traceId }) => {
      const trace = traces[traceId];
      if (trace) return trace;
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'no such trace' },
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        ) as any,
      );
    },
  });
  renderInTestApp(
    <TraceDiffView
      traceIdA={A}
      traceIdB={B}
      onCompare={props.onCompare ?? jest.fn()}
      onOpenTrace={props.onOpenTrace}
    />,
    { apis: [[tracesApiRef, api]] },
  );
  return api;
}

const rowTexts = () =>
  within(screen.getByRole('treegrid'))
    .getAllByRole('row')
    .map(row => row.textContent);

describe('TraceDiffView', () => {
  it('shows the merged tree, largest change first, with labelled changes', async () => {
    renderDiff();
    const tree = await screen.findByRole('treegrid');
    const rows = within(tree).getAllByRole('row');
    expect(rows).toHaveLength(4);
    const texts = rowTexts();
    expect(texts[0]).toContain('GET /checkout');
    expect(texts[0]).toContain('unchanged');
    // POST /pay: +50 ms, SELECT: +30 ms, GET /cache: −5 ms
    expect(texts[1]).toMatch(/POST \/pay.*slower.*10ms → 60ms/);
    expect(texts[2]).toMatch(/SELECT.*only in B/);
    expect(texts[3]).toMatch(/GET \/cache.*only in A/);
    expect(screen.getByText('− 1 only in A')).toBeInTheDocument();
    expect(screen.getByText('+ 1 only in B')).toBeInTheDocument();
    expect(screen.getByText('▲▼ 1 changed')).toBeInTheDocument();
  });

  it('collapses a subtree and hides what did not change', async () => {
    renderDiff();
    await screen.findByRole('treegrid');
    await userEvent.click(screen.getByRole('button', { name: 'Collapse' }));
    expect(rowTexts()).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Expand' }));
    expect(rowTexts()).toHaveLength(4);
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Hide unchanged' }),
    );
    // the unchanged root stays: something below it changed
    expect(rowTexts()).toHaveLength(4);
  });

  it('opens a span of either trace', async () => {
    const onOpenTrace = jest.fn();
    renderDiff({ onOpenTrace });
    await screen.findByRole('treegrid');
    await userEvent.click(
      screen.getByRole('button', { name: 'Open POST /pay in trace B' }),
    );
    expect(onOpenTrace).toHaveBeenCalledWith(B, 'p');
    expect(
      screen.queryByRole('button', { name: 'Open SELECT in trace A' }),
    ).not.toBeInTheDocument();
  });

  it('says which trace was not found', async () => {
    const onCompare = jest.fn();
    renderInTestApp(
      <TraceDiffView
        traceIdA={A}
        traceIdB={'c'.repeat(32)}
        onCompare={onCompare}
      />,
      {
        apis: [
          [
            tracesApiRef,
            fakeTracesApi({
              getTrace: async ({ traceId }) => {
                if (traces[traceId]) return traces[traceId];
                throw await ResponseError.fromResponse(
                  new Response('{}', { status: 404 }) as any,
                );
              },
            }),
          ],
        ],
      },
    );
    expect(
      await screen.findByText(/Trace B \(c{32}\) was not found/),
    ).toBeInTheDocument();
    // the form takes a pasted pair
    const b = screen.getByRole('textbox', { name: 'Trace B' });
    expect(
      screen.queryByText(/Trace A .* was not found/),
    ).not.toBeInTheDocument();
    await userEvent.clear(b);
    await userEvent.type(b, B);
    await userEvent.click(screen.getByRole('button', { name: 'Compare' }));
    expect(onCompare).toHaveBeenCalledWith(A, B);
  });
});
