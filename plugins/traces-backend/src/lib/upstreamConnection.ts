import { type Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { SecretScrubber } from './scrubSecrets';

/** How to reach one HTTP upstream: where, with which headers, for how long. */
export interface UpstreamConnection {
  /** No trailing slash, no credentials. */
  baseUrl: string;
  /** Header values, including Authorization; never logged or returned. */
  headers: Record<string, string>;
  timeoutMs: number;
  /** Answers over this many bytes are refused (`traces.limits.maxResponseSizeMb`). */
  maxResponseBytes: number;
  /** Removes the header values and credentials above from upstream text (error bodies). */
  scrubber: SecretScrubber;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Reads `<path>.{baseUrl, auth, headers, timeout, compressedAnswers}` (the shape of `traces.tempo` and
 * `traces.prometheus`). Undefined while `baseUrl` is unset or blank. Credentials in the URL
 * move into an Authorization header so that they never end up in error messages.
 */
export function readUpstreamConnection(
  config: Config | undefined,
  path: string,
  maxResponseBytes: number,
): UpstreamConnection | undefined {
  // An unset or empty environment variable means "not configured", not a startup failure.
  const raw = config?.getOptional('baseUrl');
  const baseUrl = typeof raw === 'string' ? raw.trim() : undefined;
  if (!config || !baseUrl) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`${path}.baseUrl must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${path}.baseUrl must be an http(s) URL`);
  }
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
  const username =
    config.getOptionalString('auth.username') ?? (urlUser || undefined);
  const password = config.getOptionalString('auth.password') ?? urlPassword;
  if (bearerToken && username) {
    throw new Error(
      `${path}.auth: configure either bearerToken or username/password, not both`,
    );
  }
  if (bearerToken) headers.Authorization = `Bearer ${bearerToken}`;
  if (username) {
    const encoded = Buffer.from(`${username}:${password ?? ''}`).toString(
      'base64',
    );
    headers.Authorization = `Basic ${encoded}`;
  }

  const scrubber = SecretScrubber.fromHeaders(headers, [bearerToken, password]);
  // Off by default: inside a cluster, bytes cost less than gzip on both sides.
  if (config.getOptionalBoolean('compressedAnswers')) {
    headers['Accept-Encoding'] = 'gzip';
  }

  return {
    baseUrl: url.toString().replace(/\/+$/, ''),
    headers,
    timeoutMs: readTimeoutMs(config, 'timeout', path, DEFAULT_TIMEOUT_MS),
    maxResponseBytes,
    scrubber,
  };
}

/** A duration key as HumanDuration or the compact `'30s'`, `'500ms'`, `'2m'` form. */
export function readTimeoutMs(
  config: Config,
  key: string,
  path: string,
  fallbackMs: number,
): number {
  if (!config.has(key)) return fallbackMs;
  const value = config.getOptional(key);
  let ms: number;
  if (typeof value === 'string') {
    const match = /^(\d+)(ms|s|m)$/.exec(value.trim());
    if (!match) {
      throw new Error(
        `${path}.${key} must look like '30s', '500ms' or '2m', got '${value}'`,
      );
    }
    const unit = { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
    ms = Number(match[1]) * unit;
  } else {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  }
  if (!(ms > 0)) throw new Error(`${path}.${key} must be longer than zero`);
  return ms;
}
