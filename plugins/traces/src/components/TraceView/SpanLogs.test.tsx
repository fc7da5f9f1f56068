import { useState } from 'react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MASKED_VALUE,
  type LogRecord,
  type LogsResponse,
} from '@backstage-traces/plugin-traces-common';
import { tracesApiRef, TracesHealthProvider } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import { SpanLogs, type LogScope } from './SpanLogs';
import { TRACE_ID } from './testTraces';

const SPAN = 'aaaaaaaaaaaaaaa3';

function log(i: number, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    id: `log-${i}`,
    timestamp: new Date(Date.UTC(2026, 10, 24, 12, 0, 0, 10 * i)).toISOString(),
    severity: 'INFO',
    message: `message ${i}`,
    serviceName: 'cart',
    traceId: TRACE_ID,
    spanId: SPAN,
    fields: { 'http.route': '/cart', 'user.email': MASKED_VALUE },
    ...extra,
  };
}

const page = (
  logs: LogRecord[],
  nextCursor?: string,
  total?: number,
): LogsResponse => ({
  logs,
  nextCursor,
  total,
  start: '2026-11-24T11:55:00Z',
  end: '2026-11-24T12:05:00Z',
});

async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      {
        status,
        headers: { 'content-type': 'application/json' },
      },
    ) as any,
  );
}

function Harness(props: { onSelectSpan?: (id: string) => void }) {
  const [scope, setScope] = useState<LogScope>('span');
  return (
    <SpanLogs
      traceId={TRACE_ID}
      spanId={SPAN}
      entityRef="component:default/cart"
      scope={scope}
      onScopeChange={setScope}
      traceStartMs={Date.UTC(2026, 10, 24, 12, 0, 0)}
      hasSpan={id => id.startsWith('aaaa')}
      onSelectSpan={props.onSelectSpan}
    />
  );
}

function renderLogs(
  getLogs: (...args: any[]) => Promise<LogsResponse>,
  onSelectSpan?: jest.Mock,
) {
  const api = fakeTracesApi({ getLogs });
  renderInTestApp(<Harness onSelectSpan={onSelectSpan} />, {
    apis: [[tracesApiRef, api]],
  });
  return api;
}

describe('SpanLogs', () => {
  it('loads the logs of the span with severity, time and message', async () => {
    const api = renderLogs(async () =>
      page(
        [
          log(1, {
            severity: 'ERROR',
            message: 'cart locked by another checkout',
          }),
        ],
        undefined,
        1,
      ),
    );
    expect(
      await screen.findByText('cart locked by another checkout'),
    ).toBeInTheDocument();
    expect(screen.getByText('ERROR')).toHaveAttribute('data-level', 'error');
    expect(screen.getByText('Showing 1 of 1 logs')).toBeInTheDocument();
    expect(api.getLogs).toHaveBeenCalledWith({
      traceId: TRACE_ID,
      spanId: SPAN,
      entityRef: 'component:default/cart',
      limit: 50,
      cursor: undefined,
      order: 'asc',
    });
  });

  it('expands a log to all its fields, masked ones marked', async () => {
    renderLogs(async () => page([log(1)]));
    await userEvent.click(
      await screen.findByRole('button', { name: /Show all fields of the log/ }),
    );
    const list = within(screen.getByLabelText('Log fields'));
    expect(list.getByText('http.route')).toBeInTheDocument();
    expect(list.getByText('/cart')).toBeInTheDocument();
    expect(list.getByText('user.email').nextElementSibling).toHaveTextContent(
      'masked',
    );
    expect(list.getByText('log.id').nextElementSibling).toHaveTextContent(
      'log-1',
    );
  });

  it('pages with "Load more" using the cursor', async () => {
    const api = renderLogs(async request =>
      request.cursor === 'page-2'
        ? page([log(3)], undefined, 3)
        : page([log(1), log(2)], 'page-2', 3),
    );
    expect(await screen.findByText('message 2')).toBeInTheDocument();
    expect(screen.getByText('Showing 2 of 3 logs')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('message 3')).toBeInTheDocument();
    expect(screen.getByText('message 1')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
    expect(api.getLogs).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'page-2' }),
    );
  });

  it('switches to the logs of the whole trace', async () => {
    const api = renderLogs(async request =>
      page(
        request.spanId
          ? [log(1)]
          : [
              log(1),
              log(2, { serviceName: 'payments', spanId: 'aaaaaaaaaaaaaaa5' }),
            ],
      ),
    );
    await screen.findByText('message 1');
    await userEvent.click(
      screen.getByRole('button', { name: 'Logs for this trace' }),
    );
    expect(await screen.findByText('message 2')).toBeInTheDocument();
    expect(api.getLogs).toHaveBeenLastCalledWith(
      expect.objectContaining({ spanId: undefined }),
    );
    expect(screen.getByText('payments')).toBeInTheDocument();
  });

  it('links a log of another span to that span', async () => {
    const onSelectSpan = jest.fn();
    renderLogs(
      async () => page([log(2, { spanId: 'aaaaaaaaaaaaaaa5' })]),
      onSelectSpan,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: /Show all fields/ }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Show its span in the waterfall' }),
    );
    expect(onSelectSpan).toHaveBeenCalledWith('aaaaaaaaaaaaaaa5');
  });

  it('says when there are no logs', async () => {
    renderLogs(async () => page([]));
    expect(
      await screen.findByText(
        'No logs carry this span ID. Try the logs of the whole trace.',
      ),
    ).toBeInTheDocument();
  });

  it("explains that logs are unavailable with the backend's message on 503", async () => {
    const error = await responseError(
      503,
      'OpenSearch is not configured: set traces.opensearch.baseUrl',
    );
    renderLogs(async () => {
      throw error;
    });
    expect(
      await screen.findByText('Info: Logs are not available'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /OpenSearch is not configured: set traces.opensearch.baseUrl/,
      ),
    ).toBeInTheDocument();
  });

  it('asks for no logs when /health said there is no log store, and says why', async () => {
    const api = fakeTracesApi();
    renderInTestApp(
      <TracesHealthProvider
        value={{
          traces: { status: 'ok', store: 'Tempo' },
          logs: {
            store: 'OpenSearch',
            status: 'disabled',
            message:
              'OpenSearch is not configured: set traces.opensearch.baseUrl',
          },
        }}
      >
        <Harness />
      </TracesHealthProvider>,
      { apis: [[tracesApiRef, api]] },
    );
    expect(
      await screen.findByText('Info: Logs are not available'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/set traces.opensearch.baseUrl/),
    ).toBeInTheDocument();
    expect(api.getLogs).not.toHaveBeenCalled();
  });

  it('shows other errors and retries', async () => {
    const error = await responseError(
      502,
      'OpenSearch answered 500: search_phase_execution_exception',
    );
    let calls = 0;
    renderLogs(async () => {
      calls++;
      if (calls === 1) throw error;
      return page([log(1)]);
    });
    expect(
      await screen.findByText('Error: Could not load logs'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/search_phase_execution_exception/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('message 1')).toBeInTheDocument();
  });

  it('keeps loaded logs when a further page fails, and retries that page', async () => {
    const error = await responseError(504, 'OpenSearch timed out');
    let failed = false;
    renderLogs(async request => {
      if (request.cursor && !failed) {
        failed = true;
        throw error;
      }
      return request.cursor ? page([log(2)]) : page([log(1)], 'next');
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more' }),
    );
    expect(
      await screen.findByText(/Could not load more logs: OpenSearch timed out/),
    ).toBeInTheDocument();
    expect(screen.getByText('message 1')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() =>
      expect(screen.getByText('message 2')).toBeInTheDocument(),
    );
  });
});
