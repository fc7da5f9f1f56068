import type { ConfigApi } from '@backstage/frontend-plugin-api';
import type { Faro } from '@grafana/faro-web-sdk';

/**
 * The Faro app name used when `app.faro.appName` is not set. It matches the
 * `opentelemetry.io/service-name` annotation of this app's own catalog entity
 * (catalog-info.yaml), so browser spans show up on its Traces tab.
 */
export const DEFAULT_FARO_APP_NAME = 'backstage-traces';

/** Frontend telemetry settings, read from the `app.faro` config block. */
export interface FaroSettings {
  /** The Faro collector endpoint that receives logs, errors, vitals and spans. */
  url: string;
  /** Reported as the Faro app name and the `service.name` of browser spans. */
  appName: string;
  /** Reported as the Faro app environment, when set. */
  environment?: string;
  /**
   * Cross-origin URLs that receive the W3C `traceparent` header, so that
   * backend spans join the browser's trace. Same-origin requests always do.
   */
  propagateTraceHeaderCorsUrls: RegExp[];
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Matches every URL under `baseUrl`: the base URL itself and anything below
 * it, but not a sibling that merely shares the prefix (`http://host:70070`).
 */
export function urlPrefixPattern(baseUrl: string): RegExp {
  const base = escapeRegExp(baseUrl.replace(/\/+$/, ''));
  return new RegExp(`^${base}(?:[/?#]|$)`);
}

/**
 * Reads the Faro settings from config. Returns `undefined` when
 * `app.faro.url` is not configured, which keeps telemetry switched off.
 */
export function readFaroSettings(config: ConfigApi): FaroSettings | undefined {
  const url = config.getOptionalString('app.faro.url')?.trim();
  if (!url) {
    return undefined;
  }
  const backendBaseUrl = config.getOptionalString('backend.baseUrl');
  const environment = config.getOptionalString('app.faro.environment');
  return {
    url,
    appName:
      config.getOptionalString('app.faro.appName')?.trim() ||
      DEFAULT_FARO_APP_NAME,
    ...(environment ? { environment } : {}),
    propagateTraceHeaderCorsUrls: backendBaseUrl
      ? [urlPrefixPattern(backendBaseUrl)]
      : [],
  };
}

async function startFaro(settings: FaroSettings): Promise<Faro> {
  // Loaded on demand: installations without a collector do not download the
  // SDK and the OpenTelemetry web instrumentations at all.
  const [
    { initializeFaro, getWebInstrumentations },
    { TracingInstrumentation },
  ] = await Promise.all([
    import('@grafana/faro-web-sdk'),
    import('@grafana/faro-web-tracing'),
  ]);

  return initializeFaro({
    url: settings.url,
    app: {
      name: settings.appName,
      ...(settings.environment ? { environment: settings.environment } : {}),
    },
    instrumentations: [
      ...getWebInstrumentations(),
      new TracingInstrumentation({
        instrumentationOptions: {
          propagateTraceHeaderCorsUrls: settings.propagateTraceHeaderCorsUrls,
        },
      }),
    ],
  });
}

let faroInstance: Promise<Faro | undefined> | undefined;

/**
 * Starts Grafana Faro (web instrumentations plus OpenTelemetry tracing) when
 * `app.faro.url` is configured, and does nothing otherwise.
 *
 * Faro patches global `fetch`, `XMLHttpRequest` and `console`, so it is
 * started at most once per page; later calls return the first result.
 * Telemetry never breaks the app: a failure to load or start the SDK is
 * logged and resolves to `undefined`.
 */
export function initFaro(config: ConfigApi): Promise<Faro | undefined> {
  if (faroInstance) {
    return faroInstance;
  }
  const settings = readFaroSettings(config);
  if (!settings) {
    return Promise.resolve(undefined);
  }
  faroInstance = startFaro(settings).catch(error => {
    // eslint-disable-next-line no-console
    console.warn(`Frontend telemetry (Grafana Faro) is disabled: ${error}`);
    return undefined;
  });
  return faroInstance;
}
