import { render, waitFor } from '@testing-library/react';
import { ApiProvider } from '@backstage/core-app-api';
import type { ApiHolder, ApiRef } from '@backstage/core-plugin-api';
import { MemoryRouter } from 'react-router-dom';
import { tracesApiRef } from '../../api';
import { TracePrefetch } from './TracePrefetch';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function renderAt(path: string) {
  const tracesApi = { getTrace: jest.fn(() => new Promise(() => {})) };
  const get = jest.fn((ref: ApiRef<unknown>) =>
    ref.id === tracesApiRef.id ? tracesApi : undefined,
  );
  const apis = { get } as unknown as ApiHolder;
  render(
    <ApiProvider apis={apis}>
      <MemoryRouter initialEntries={[path]}>
        <TracePrefetch />
      </MemoryRouter>
    </ApiProvider>,
  );
  return { get, tracesApi };
}

describe('TracePrefetch', () => {
  it('starts the trace request of a trace link the app was opened at', async () => {
    const { tracesApi } = renderAt(`/traces/trace/${TRACE_ID}`);
    await waitFor(() =>
      expect(tracesApi.getTrace).toHaveBeenCalledWith(
        expect.objectContaining({ traceId: TRACE_ID }),
      ),
    );
  });

  it('creates no API elsewhere, so the fetch API is made after browser telemetry wraps fetch', () => {
    const { get } = renderAt('/catalog');
    expect(get).not.toHaveBeenCalledWith(tracesApiRef);
  });
});
