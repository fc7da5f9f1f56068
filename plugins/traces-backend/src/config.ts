import { type Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

export interface TempoOptions {
  baseUrl: string;
  tenant?: string;
  /** Header values, including Authorization; never logged or returned. */
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface TracesOptions {
  /** Undefined while `traces.tempo.baseUrl` is unset. */
  tempo?: TempoOptions;
  defaults: {
    environment?: { attribute: string; value: string };
    cluster?: { attribute: string; value: string };
  };
  /** Undefined when `traces.cache.enabled` is false. */
  cache?: { ttlMs: number; maxBytes: number; maxTraceBytes: number };
  limits: {
    maxRangeSeconds: number;
    maxMetricsRangeSeconds: number;
    maxResults: number;
    maxQueryLength: number;
  };
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Reads `traces.*` once into a typed options object; `config.d.ts` is the contract. */
export function readTracesOptions(root: Config): TracesOptions {
  const config = root.getOptionalConfig('traces');
  const tempo = readTempoOptions(config?.getOptionalConfig('tempo'));
  const environment = config?.getOptionalString('environment')?.trim();
  const cluster = config?.getOptionalString('cluster')?.trim();
  const limits = config?.getOptionalConfig('limits');
  const cache = config?.getOptionalConfig('cache');

  return {
    tempo,
    defaults: {
      ...(environment && {
        environment: {
          attribute:
            config?.getOptionalString('attributes.environment') ??
            'deployment.environment',
          value: environment,
        },
      }),
      ...(cluster && {
        cluster: {
          attribute:
            config?.getOptionalString('attributes.cluster') ??
            'k8s.cluster.name',
          value: cluster,
        },
      }),
    },
    ...(cache?.getOptionalBoolean('enabled') !== false && {
      cache: {
        ttlMs: cache?.has('ttl') ? readDuration(cache, 'ttl') : 10 * 60_000,
        maxBytes: positive(cache?.getOptionalNumber('maxSizeMb'), 256) * 1024 * 1024,
        maxTraceBytes: positive(cache?.getOptionalNumber('maxTraceSizeMb'), 64) * 1024 * 1024,
      },
    }),
    limits: {
      maxRangeSeconds:
        positive(limits?.getOptionalNumber('maxRangeHours'), 168) * 3600,
      maxMetricsRangeSeconds:
        positive(limits?.getOptionalNumber('maxMetricsRangeHours'), 24) * 3600,
      maxResults: positive(limits?.getOptionalNumber('maxResults'), 500),
      maxQueryLength: positive(limits?.getOptionalNumber('maxQueryLength'), 4096),
    },
  };
}

function readTempoOptions(config: Config | undefined): TempoOptions | undefined {
  // An unset or empty TEMPO_URL means "not configured", not a startup failure.
  const raw = config?.getOptional('baseUrl');
  const baseUrl = typeof raw === 'string' ? raw.trim() : undefined;
  if (!config || !baseUrl) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error('traces.tempo.baseUrl must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('traces.tempo.baseUrl must be an http(s) URL');
  }
  // Credentials in the URL would end up in error messages; move them into a header.
  const urlUser = decodeURIComponent(url.username);
  const urlPassword = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';

  const headers: Record<string, string> = {};
  const extra = config.getOptionalConfig('headers');
  for (const name of extra?.keys() ?? []) {
    headers[name] = extra!.getString(name);
  }
  const bearerToken = config.getOptionalString('auth.bearerToken');
  const username = config.getOptionalString('auth.username') ?? (urlUser || undefined);
  const password = config.getOptionalString('auth.password') ?? urlPassword;
  if (bearerToken && username) {
    throw new Error(
      'traces.tempo.auth: configure either bearerToken or username/password, not both',
    );
  }
  if (bearerToken) headers.Authorization = `Bearer ${bearerToken}`;
  if (username) {
    const encoded = Buffer.from(`${username}:${password ?? ''}`).toString(
      'base64',
    );
    headers.Authorization = `Basic ${encoded}`;
  }

  return {
    baseUrl: url.toString().replace(/\/+$/, ''),
    tenant: config.getOptionalString('tenant')?.trim() || undefined,
    headers,
    timeoutMs: readTimeout(config),
  };
}

function readTimeout(config: Config): number {
  if (!config.has('timeout')) return DEFAULT_TIMEOUT_MS;
  return readDuration(config, 'timeout');
}

/** A HumanDuration object or the compact '30s' / '500ms' / '2m' form, in milliseconds. */
function readDuration(config: Config, key: string): number {
  const value = config.getOptional(key);
  if (typeof value === 'string') {
    // Accept the compact "30s" / "2m" form besides HumanDuration objects.
    const match = /^(\d+)(ms|s|m)$/.exec(value.trim());
    if (!match) {
      throw new Error(
        `${key} must look like '30s', '500ms' or '2m', got '${value}'`,
      );
    }
    const unit = { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
    return Number(match[1]) * unit;
  }
  return durationToMilliseconds(readDurationFromConfig(config, { key }));
}

function positive(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new Error(`traces.limits values must be positive, got ${value}`);
  return value;
}
