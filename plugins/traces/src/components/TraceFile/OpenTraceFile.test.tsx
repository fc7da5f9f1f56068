import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  decodeCompactTrace,
  parseTraceFile,
  type Trace,
} from '@backstage-traces/plugin-traces-common';
import { tracesApiRef } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import { checkoutTrace, TRACE_ID } from '../TraceView/testTraces';
import { traceAsOtlpJson } from './downloadTrace';
import { OpenTraceFile } from './OpenTraceFile';

// jsdom has no layout or canvas: give elements a size so the waterfall renders rows.
beforeAll(() => {
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1200);
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => null);
});

function renderOpener() {
  const api = fakeTracesApi();
  renderInTestApp(<OpenTraceFile />, { apis: [[tracesApiRef, api]] });
  return api;
}

const fileOf = (name: string, text: string) =>
  new File([text], name, { type: 'application/json' });

describe('OpenTraceFile', () => {
  it('opens a picked OTLP file in the trace view, labelled with the file, asking the backend nothing', async () => {
    const api = renderOpener();
    await userEvent.upload(
      await screen.findByLabelText('Trace file'),
      fileOf('incident-42.json', traceAsOtlpJson(checkoutTrace())),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Trace from file incident-42.json',
    });
    expect(within(dialog).getByText(/From file/)).toHaveTextContent(
      'From file incident-42.json (OTLP JSON). Read in the browser; nothing was sent to the server.',
    );
    expect(within(dialog).getByText(TRACE_ID)).toBeInTheDocument();
    expect(
      within(dialog).getByRole('heading', { name: 'frontend: GET /checkout' }),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByRole('row', { name: /^GET cart/ }),
    ).toBeInTheDocument();

    // a span's panel has its details, and no Logs tab: logs are not in the file
    fireEvent.click(within(dialog).getByRole('row', { name: /^GET cart/ }));
    const panel = await within(dialog).findByRole('complementary', {
      name: 'Span GET cart',
    });
    expect(within(panel).getAllByText(/cart is locked/).length).toBeGreaterThan(
      0,
    );
    expect(within(panel).queryByRole('tab', { name: /Logs/ })).toBeNull();

    expect(api.getTrace).not.toHaveBeenCalled();
    expect(api.getLogs).not.toHaveBeenCalled();
    expect(api.getLogCounts).not.toHaveBeenCalled();

    // Escape closes the span panel first, then the dialog
    fireEvent.keyDown(panel, { key: 'Escape' });
    await waitFor(() =>
      expect(
        within(dialog).queryByRole('complementary', { name: 'Span GET cart' }),
      ).toBeNull(),
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    fireEvent.keyDown(within(dialog).getByRole('treegrid'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('opens a dropped file', async () => {
    renderOpener();
    const text = JSON.stringify({
      data: [
        {
          traceID: TRACE_ID,
          spans: [
            {
              traceID: TRACE_ID,
              spanID: '1',
              operationName: 'GET /dropped',
              startTime: 1,
              duration: 2,
              processID: 'p1',
            },
          ],
          processes: { p1: { serviceName: 'shop', tags: [] } },
        },
      ],
    });
    fireEvent.drop(await screen.findByTestId('trace-file-drop'), {
      dataTransfer: { files: [fileOf('jaeger.json', text)] },
    });
    const dialog = await screen.findByRole('dialog', {
      name: 'Trace from file jaeger.json',
    });
    expect(within(dialog).getByText(/\(Jaeger JSON\)/)).toBeInTheDocument();
    expect(
      within(dialog).getByRole('heading', { name: 'shop: GET /dropped' }),
    ).toBeInTheDocument();
  });

  it('says what is wrong with a file that is not a trace, and opens none', async () => {
    renderOpener();
    await userEvent.upload(
      await screen.findByLabelText('Trace file'),
      fileOf('notes.json', '{"hello": "world"}'),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not open notes.json: The file is JSON, but not a trace: expected OTLP JSON ("resourceSpans")',
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('downloads what it shows as OTLP JSON, which opens as the same trace', async () => {
    renderOpener();
    const trace = checkoutTrace();
    await userEvent.upload(
      await screen.findByLabelText('Trace file'),
      fileOf('a.json', traceAsOtlpJson(trace)),
    );
    const dialog = await screen.findByRole('dialog');
    const saved: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:trace';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function clicked(this: HTMLAnchorElement) {
        expect(this.download).toBe(`trace-${TRACE_ID}.otlp.json`);
      });
    fireEvent.click(
      within(dialog).getByRole('button', { name: /^Download the trace/ }),
    );
    expect(click).toHaveBeenCalledTimes(1);
    // Node's Blob under jest (jsdom's FileReader does not take it); browsers have text() too
    const text = await saved[0].text();
    const back = decodeCompactTrace(parseTraceFile(text).trace);
    const shape = (t: Trace) =>
      t.spans.map(span => [
        span.spanId,
        span.parentSpanId,
        span.serviceName,
        span.name,
        span.kind,
        span.status,
        span.startTimeUnixNano,
        span.endTimeUnixNano,
        span.attributes,
      ]);
    expect(back.traceId).toBe(TRACE_ID);
    expect(shape(back)).toEqual(shape(trace));
    click.mockRestore();
  });
});
