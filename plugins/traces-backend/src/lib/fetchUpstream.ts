import type { SecretScrubber } from './scrubSecrets';
import { UpstreamError } from './UpstreamError';

export interface UpstreamRequest {
  upstream: string;
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * fetch() with a timeout, turning network failures into UpstreamErrors: a refused or
 * unresolvable connection is 503, a timeout 504. HTTP status handling is the caller's.
 */
export async function fetchUpstream(
  request: UpstreamRequest,
): Promise<Response> {
  const { upstream, url, headers, timeoutMs } = request;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal
    ? AbortSignal.any([timeout, request.signal])
    : timeout;
  try {
    return await fetch(url, { headers, signal });
  } catch (error) {
    if (timeout.aborted) {
      throw new UpstreamError(
        upstream,
        504,
        `no answer within ${timeoutMs} ms from ${safeOrigin(url)}`,
      );
    }
    throw new UpstreamError(
      upstream,
      503,
      `cannot reach ${safeOrigin(url)} (${describeNetworkError(error)})`,
    );
  }
}

/** Origin only: paths may carry query text, and userinfo must never be echoed. */
export function safeOrigin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  return (
    cause?.code ??
    cause?.message ??
    (error as Error)?.message ??
    'network error'
  );
}

/**
 * Reads at most `limit` characters of an error body, for messages and logs, with the
 * connection's credentials scrubbed first (an echoing upstream or proxy sends them back;
 * scrubbing before cutting keeps a secret from surviving as a prefix).
 */
export async function readErrorText(
  response: Response,
  scrubber: SecretScrubber,
  limit = 500,
): Promise<string> {
  const text = scrubber.scrub(await response.text().catch(() => '')).trim();
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
