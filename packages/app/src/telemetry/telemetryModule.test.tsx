import { AppRootElementBlueprint } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import { initFaro } from './faro';
import { telemetryModule } from './telemetryModule';

jest.mock('./faro', () => ({
  initFaro: jest.fn(async () => undefined),
}));

const mockInitFaro = initFaro as jest.MockedFunction<typeof initFaro>;

// Mounts next to the telemetry element, in the same commit: once it is on
// screen, the telemetry element's effects have run too.
const readyMarker = AppRootElementBlueprint.make({
  name: 'ready-marker',
  params: { element: <div>app root ready</div> },
});

const faroConfig = { url: 'https://faro.example.com/collect/abc' };

describe('telemetryModule', () => {
  afterEach(() => {
    jest.clearAllMocks();
  });

  it('starts telemetry from the app root with the app config', async () => {
    renderTestApp({
      features: [telemetryModule],
      extensions: [readyMarker],
      config: { app: { faro: faroConfig } },
    });

    await waitFor(() => expect(mockInitFaro).toHaveBeenCalledTimes(1));
    const [config] = mockInitFaro.mock.calls[0];
    expect(config.getOptionalString('app.faro.url')).toBe(faroConfig.url);
  });

  it('can be disabled through app config', async () => {
    renderTestApp({
      features: [telemetryModule],
      extensions: [readyMarker],
      config: {
        app: {
          faro: faroConfig,
          extensions: [{ 'app-root-element:app/faro-telemetry': false }],
        },
      },
    });

    expect(await screen.findByText('app root ready')).toBeInTheDocument();
    expect(mockInitFaro).not.toHaveBeenCalled();
  });
});
