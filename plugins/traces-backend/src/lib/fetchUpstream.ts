import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { SecretScrubber } from './scrubSecrets';
import { UpstreamError } from './UpstreamError';

export interface UpstreamRequest {
  upstream: string;
  url: URL;
  headers: Record<string, string>;
  /** The whole exchange, headers and body: a body that stalls past it is a 504. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** An upstream's answer: status, headers and the body, already decompressed. */
export interface UpstreamResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  /** Read it with readBody*; an unread body holds its connection until destroyed. */
  readonly body: Readable;
  /** True once the request's time budget ran out (the body was cut off for it). */
  timedOut(): boolean;
}

/**
 * GET over Node's HTTP client with a time budget, turning network failures into
 * UpstreamErrors: a refused or unresolvable connection is 503, a timeout 504. HTTP status
 * handling is the caller's.
 *
 * Node's client rather than fetch(): every search and tag request of every user goes through
 * here, and on a loaded backend fetch's WHATWG streams, Headers and AbortSignal.any cost
 * several times the CPU of a plain request. Connections are kept alive (Node's global
 * agents). No Accept-Encoding is sent unless a caller asks for one: inside a cluster the
 * bytes are cheaper than gzip on both sides.
 */
export function fetchUpstream(
  request: UpstreamRequest,
): Promise<UpstreamResponse> {
  const { upstream, url, headers, timeoutMs, signal } = request;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let timedOut = false;
    let answered: IncomingMessage | undefined;
    const req = client.get(url, { headers, signal });
    const timer = setTimeout(() => {
      timedOut = true;
      const error = timeoutError(upstream, url, timeoutMs);
      answered?.destroy(error);
      req.destroy(error);
    }, timeoutMs);
    req.on('error', error => {
      clearTimeout(timer);
      if (answered) return; // the body's reader sees it
      if (timedOut) {
        // Built again rather than passed through: not every socket (an interceptor's, a
        // proxy agent's) emits the error it was destroyed with.
        reject(timeoutError(upstream, url, timeoutMs));
      } else if ((error as Error).name === 'AbortError') {
        reject(error); // the caller went away: nobody reads this answer
      } else {
        reject(
          new UpstreamError(
            upstream,
            503,
            `cannot reach ${safeOrigin(url)} (${describeNetworkError(error)})`,
          ),
        );
      }
    });
    req.once('response', res => {
      answered = res;
      const done = () => clearTimeout(timer);
      res.once('end', done).once('close', done);
      // Errors reach whoever reads the body; one nobody reads must not crash the process.
      res.on('error', () => undefined);
      const status = res.statusCode ?? 0;
      resolve({
        status,
        ok: status >= 200 && status < 300,
        headers: { get: name => headerValue(res, name) },
        body: decoded(res),
        timedOut: () => timedOut,
      });
    });
  });
}

/** The body with its Content-Encoding undone; errors of either stream reach the reader. */
function decoded(res: IncomingMessage): Readable {
  const decoder = decoderFor(res.headers['content-encoding']);
  if (!decoder) return res;
  return pipeline(res, decoder, () => undefined).on('error', () => undefined);
}

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

function headerValue(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function timeoutError(upstream: string, url: URL, timeoutMs: number) {
  return new UpstreamError(
    upstream,
    504,
    `no answer within ${timeoutMs} ms from ${safeOrigin(url)}`,
  );
}

/** Origin only: paths may carry query text, and userinfo must never be echoed. */
export function safeOrigin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function describeNetworkError(error: unknown): string {
  const { code, message } = (error ?? {}) as {
    code?: string;
    message?: string;
  };
  return code ?? message ?? 'network error';
}

/** Error texts are for messages and logs: more than this is not read. */
const MAX_ERROR_BYTES = 64 * 1024;

/**
 * Reads at most `limit` characters of an error body, for messages and logs, with the
 * connection's credentials scrubbed first (an echoing upstream or proxy sends them back;
 * scrubbing before cutting keeps a secret from surviving as a prefix).
 */
export async function readErrorText(
  response: UpstreamResponse,
  scrubber: SecretScrubber,
  limit = 500,
): Promise<string> {
  const text = scrubber.scrub(await readSome(response.body)).trim();
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

async function readSome(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= MAX_ERROR_BYTES) break; // leaving the loop destroys the body
    }
  } catch {
    // What arrived before the failure is still worth showing.
  }
  return Buffer.concat(chunks).toString('utf8');
}
