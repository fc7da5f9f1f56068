import { mockApis } from '@backstage/frontend-test-utils';

const mockFaro = { api: { pushLog: jest.fn() } };
const mockInitializeFaro = jest.fn((_config: unknown) => mockFaro);
const mockWebInstrumentations = [{ name: 'web-instrumentation' }];
const mockTracingInstrumentation = jest.fn();

jest.mock('@grafana/faro-web-sdk', () => ({
  initializeFaro: (config: unknown) => mockInitializeFaro(config),
  getWebInstrumentations: () => mockWebInstrumentations,
}));

const mockOtlpTransport = jest.fn();
jest.mock('@grafana/faro-transport-otlp-http', () => ({
  OtlpHttpTransport: function OtlpHttpTransport(options: unknown) {
    mockOtlpTransport(options);
  },
}));

jest.mock('@grafana/faro-web-tracing', () => ({
  TracingInstrumentation: function TracingInstrumentation(options: unknown) {
    mockTracingInstrumentation(options);
  },
}));

const backend = { baseUrl: 'http://localhost:7007' };

/** A fresh copy of the module, so each test starts with Faro not started. */
async function loadFaroModule() {
  return import('./faro');
}

describe('faro telemetry', () => {
  beforeEach(() => {
    jest.resetModules();
    jest.clearAllMocks();
  });

  describe('readFaroSettings', () => {
    it('is off when app.faro.url is not configured', async () => {
      const { readFaroSettings } = await loadFaroModule();

      expect(readFaroSettings(mockApis.config({ data: { backend } }))).toBe(
        undefined,
      );
      expect(
        readFaroSettings(
          mockApis.config({
            data: { backend, app: { faro: { appName: 'x', url: '  ' } } },
          }),
        ),
      ).toBe(undefined);
    });

    it('reads the configured settings', async () => {
      const { readFaroSettings } = await loadFaroModule();

      const settings = readFaroSettings(
        mockApis.config({
          data: {
            backend,
            app: {
              faro: {
                url: 'https://faro.example.com/collect/abc',
                appName: 'portal',
                environment: 'staging',
              },
            },
          },
        }),
      );

      expect(settings).toEqual({
        protocol: 'faro',
        url: 'https://faro.example.com/collect/abc',
        appName: 'portal',
        environment: 'staging',
        propagateTraceHeaderCorsUrls: [expect.any(RegExp)],
      });
    });

    it('sends OTLP to the embedded receiver of the backend by default', async () => {
      const { readFaroSettings } = await loadFaroModule();

      expect(
        readFaroSettings(
          mockApis.config({
            data: { backend, app: { faro: { protocol: 'otlp' } } },
          }),
        ),
      ).toMatchObject({
        protocol: 'otlp',
        url: 'http://localhost:7007/api/traces',
      });
      expect(
        readFaroSettings(
          mockApis.config({
            data: {
              backend,
              app: {
                faro: { protocol: 'otlp', url: 'http://collector:4318' },
              },
            },
          }),
        ),
      ).toMatchObject({ protocol: 'otlp', url: 'http://collector:4318' });
    });

    it('is off, with a warning, for an unknown protocol', async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
      const { readFaroSettings } = await loadFaroModule();

      expect(
        readFaroSettings(
          mockApis.config({
            data: {
              backend,
              app: { faro: { protocol: 'zipkin', url: 'http://z' } },
            },
          }),
        ),
      ).toBe(undefined);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('"zipkin"'));
      warn.mockRestore();
    });

    it('defaults the app name to the catalog service name', async () => {
      const { readFaroSettings, DEFAULT_FARO_APP_NAME } =
        await loadFaroModule();

      const settings = readFaroSettings(
        mockApis.config({
          data: { backend, app: { faro: { url: 'https://faro.example.com' } } },
        }),
      );

      expect(DEFAULT_FARO_APP_NAME).toBe('backstage-traces');
      expect(settings?.appName).toBe('backstage-traces');
      expect(settings).not.toHaveProperty('environment');
    });
  });

  describe('urlPrefixPattern', () => {
    it('matches the backend base URL and everything under it', async () => {
      const { urlPrefixPattern } = await loadFaroModule();
      const pattern = urlPrefixPattern('http://localhost:7007/');

      expect(pattern.test('http://localhost:7007')).toBe(true);
      expect(pattern.test('http://localhost:7007/api/traces/search')).toBe(
        true,
      );
      expect(pattern.test('http://localhost:7007?x=1')).toBe(true);
      expect(pattern.test('http://localhost:70070/api')).toBe(false);
      expect(
        pattern.test('http://evil.example.com/http://localhost:7007'),
      ).toBe(false);
      expect(pattern.test('https://faro.example.com/collect')).toBe(false);
    });

    it('escapes regular expression characters in the base URL', async () => {
      const { urlPrefixPattern } = await loadFaroModule();
      const pattern = urlPrefixPattern('https://backstage.example.com/api+v1');

      expect(pattern.test('https://backstage.example.com/api+v1/catalog')).toBe(
        true,
      );
      expect(pattern.test('https://backstageXexample.com/api+v1')).toBe(false);
    });
  });

  describe('initFaro', () => {
    it('does not load or initialise the SDK without config', async () => {
      const { initFaro } = await loadFaroModule();

      await expect(
        initFaro(mockApis.config({ data: { backend } })),
      ).resolves.toBeUndefined();

      expect(mockInitializeFaro).not.toHaveBeenCalled();
      expect(mockTracingInstrumentation).not.toHaveBeenCalled();
    });

    it('initialises Faro with web and tracing instrumentations', async () => {
      const { initFaro } = await loadFaroModule();

      const faro = await initFaro(
        mockApis.config({
          data: {
            backend,
            app: {
              faro: {
                url: 'https://faro.example.com/collect/abc',
                environment: 'production',
              },
            },
          },
        }),
      );

      expect(faro).toBe(mockFaro);
      expect(mockInitializeFaro).toHaveBeenCalledTimes(1);
      expect(mockInitializeFaro).toHaveBeenCalledWith({
        url: 'https://faro.example.com/collect/abc',
        app: { name: 'backstage-traces', environment: 'production' },
        instrumentations: [...mockWebInstrumentations, expect.any(Object)],
      });

      expect(mockTracingInstrumentation).toHaveBeenCalledTimes(1);
      const [{ instrumentationOptions }] =
        mockTracingInstrumentation.mock.calls[0];
      const [pattern] = instrumentationOptions.propagateTraceHeaderCorsUrls;
      expect(pattern.test('http://localhost:7007/api/catalog/entities')).toBe(
        true,
      );
      expect(pattern.test('https://faro.example.com/collect/abc')).toBe(false);
    });

    it('sends spans over OTLP/HTTP with the otlp protocol', async () => {
      const { initFaro } = await loadFaroModule();

      await initFaro(
        mockApis.config({
          data: { backend, app: { faro: { protocol: 'otlp' } } },
        }),
      );

      expect(mockOtlpTransport).toHaveBeenCalledWith({
        tracesURL: 'http://localhost:7007/api/traces/v1/traces',
      });
      const [options] = mockInitializeFaro.mock.calls[0] as [
        Record<string, unknown>,
      ];
      expect(options).not.toHaveProperty('url');
      expect(options.transports).toEqual([expect.any(Object)]);
    });

    it('initialises only once per page', async () => {
      const { initFaro } = await loadFaroModule();
      const config = mockApis.config({
        data: { backend, app: { faro: { url: 'https://faro.example.com' } } },
      });

      const [first, second] = await Promise.all([
        initFaro(config),
        initFaro(config),
      ]);
      const third = await initFaro(config);

      expect(first).toBe(mockFaro);
      expect(second).toBe(mockFaro);
      expect(third).toBe(mockFaro);
      expect(mockInitializeFaro).toHaveBeenCalledTimes(1);
    });

    it('keeps the app running when the SDK fails to start', async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
      mockInitializeFaro.mockImplementationOnce(() => {
        throw new Error('collector URL is invalid');
      });
      const { initFaro } = await loadFaroModule();

      await expect(
        initFaro(
          mockApis.config({
            data: { backend, app: { faro: { url: 'not a url' } } },
          }),
        ),
      ).resolves.toBeUndefined();

      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('collector URL is invalid'),
      );
      warn.mockRestore();
    });
  });
});
