import type { ConfigApi } from '@backstage/frontend-plugin-api';
import type { Faro } from '@grafana/faro-web-sdk';

/**
 * The Faro app name used when `app.faro.appName` is not set. It matches the
 * `opentelemetry.io/service-name` annotation of this app's own catalog entity
 * (catalog-info.yaml), so browser spans show up on its Traces tab.
 */
export const DEFAULT_FARO_APP_NAME = 'backstage-traces';

/**
 * How telemetry leaves the browser: `faro` sends Faro's own payloads (logs,
 * errors, web vitals and spans) to a Faro collector; `otlp` sends the spans as
 * OTLP/JSON to an OTLP/HTTP receiver, such as the traces backend's embedded
 * store in development.
 */
export type FaroProtocol = 'faro' | 'otlp';

/** Frontend telemetry settings, read from the `app.faro` config block. */
export interface FaroSettings {
  protocol: FaroProtocol;
  /**
   * `faro`: the Faro collector endpoint. `otlp`: the OTLP/HTTP base URL, to
   * which `/v1/traces` is appended.
   */
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

/** Where the backend's embedded store receives OTLP (`/v1/traces`, `/v1/logs`). */
export function embeddedReceiverUrl(backendBaseUrl: string): string {
  return `${backendBaseUrl.replace(/\/+$/, '')}/api/traces`;
}

/**
 * Reads the Faro settings from config. Returns `undefined`, which keeps
 * telemetry switched off, when there is nowhere to send it: no `app.faro.url`
 * with the `faro` protocol (the default). With `protocol: otlp` the URL
 * defaults to the backend's embedded receiver.
 */
export function readFaroSettings(config: ConfigApi): FaroSettings | undefined {
  const protocol = config.getOptionalString('app.faro.protocol') ?? 'faro';
  if (protocol !== 'faro' && protocol !== 'otlp') {
    // eslint-disable-next-line no-console
    console.warn(
      `Frontend telemetry is off: app.faro.protocol must be "faro" or "otlp", not "${protocol}"`,
    );
    return undefined;
  }
  const backendBaseUrl = config.getOptionalString('backend.baseUrl');
  const url =
    config.getOptionalString('app.faro.url')?.trim() ||
    (protocol === 'otlp' && backendBaseUrl
      ? embeddedReceiverUrl(backendBaseUrl)
      : undefined);
  if (!url) {
    return undefined;
  }
  const environment = config.getOptionalString('app.faro.environment');
  return {
    protocol,
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
  // Faro's experimental OTLP transport. Only spans: the embedded store keeps
  // log records of traces, and most browser logs belong to none.
  const destination =
    settings.protocol === 'otlp'
      ? {
          transports: [
            new (
              await import('@grafana/faro-transport-otlp-http')
            ).OtlpHttpTransport({
              tracesURL: `${settings.url.replace(/\/+$/, '')}/v1/traces`,
            }),
          ],
        }
      : { url: settings.url };

  return initializeFaro({
    ...destination,
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
 * there is somewhere to send telemetry (see `readFaroSettings`), and does
 * nothing otherwise.
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
