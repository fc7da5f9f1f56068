import type { TracesApi } from '@backstage-traces/plugin-traces-common';
import { loadTrace, prefetchTrace } from './traceRequests';

describe('prefetchTrace / loadTrace', () => {
  const trace = { traceId: 'a' } as any;
  const apiWith = () => {
    const getTrace = jest.fn().mockResolvedValue(trace);
    return { api: { getTrace } as unknown as TracesApi, getTrace };
  };

  it('hands the early request to the view that asks for the same trace, once', async () => {
    const { api, getTrace } = apiWith();
    prefetchTrace(api, {
      traceId: 'ABC',
      entityRef: 'Component:default/web',
    });
    prefetchTrace(api, { traceId: 'abc', entityRef: 'component:default/web' });
    expect(getTrace).toHaveBeenCalledTimes(1);

    await expect(
      loadTrace(api, { traceId: 'abc', entityRef: 'component:default/web' }),
    ).resolves.toBe(trace);
    expect(getTrace).toHaveBeenCalledTimes(1);

    // Taken: a retry asks again.
    await loadTrace(api, {
      traceId: 'abc',
      entityRef: 'component:default/web',
    });
    expect(getTrace).toHaveBeenCalledTimes(2);
  });

  it('does not hand it to a request for something else', async () => {
    const { api, getTrace } = apiWith();
    prefetchTrace(api, { traceId: 'def', entityRef: 'component:default/web' });
    await loadTrace(api, {
      traceId: 'def',
      entityRef: 'component:default/web',
      focusSpanId: '00f067aa0ba902b7',
    });
    expect(getTrace).toHaveBeenCalledTimes(2);
    prefetchTrace(api, { traceId: 'def' });
    await loadTrace(api, { traceId: 'def', whole: true });
    expect(getTrace).toHaveBeenCalledTimes(4);
  });

  it('passes a failure on to the view, and only there', async () => {
    const getTrace = jest.fn().mockRejectedValue(new Error('403'));
    const api = { getTrace } as unknown as TracesApi;
    prefetchTrace(api, { traceId: 'f00' });
    await expect(loadTrace(api, { traceId: 'f00' })).rejects.toThrow('403');
  });
});
