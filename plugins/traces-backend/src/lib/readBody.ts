import type { UpstreamResponse } from './fetchUpstream';
import { UpstreamError } from './UpstreamError';

/** What a body read needs to say what went wrong, naming the upstream and the setting. */
export interface BodyLimits {
  /** 'Tempo', 'OpenSearch', 'Prometheus': the name errors start with. */
  upstream: string;
  /** What was asked, for messages: a path such as `/api/search`. */
  what: string;
  /** Bodies past this size are cancelled and refused (502). */
  maxBytes: number;
  /** The setting that raises `maxBytes`, named in the 502. */
  maxBytesSetting: string;
  /** The request's time budget, for the 504 of a stalled body (fetchUpstream enforces it). */
  timeoutMs: number;
  /** The setting that raises `timeoutMs`, named in the 504. */
  timeoutSetting: string;
}

/**
 * An upstream body, read to its end or refused: over `maxBytes` (declared or counted) it is
 * a 502 "answer over N MB" and the connection is dropped, so a huge answer costs at most
 * `maxBytes` of memory; a body that stops arriving before the request's time budget runs out
 * is a 504 (the stall, not the JSON it would have made, is what went wrong).
 */
export async function readBodyBytes(
  response: UpstreamResponse,
  limits: BodyLimits,
): Promise<Buffer> {
  const { body } = response;
  const declared = Number(response.headers.get('content-length'));
  if (declared > limits.maxBytes) {
    body.destroy();
    throw tooLarge(limits, declared);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      total += (chunk as Buffer).length;
      if (total > limits.maxBytes) throw tooLarge(limits); // leaving the loop drops it
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (response.timedOut()) throw stalled(limits, total);
    if (error instanceof UpstreamError) throw error;
    throw bodyFailure(error, limits);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** The body as UTF-8 text, with the limits of readBodyBytes. */
export async function readBodyText(
  response: UpstreamResponse,
  limits: BodyLimits,
): Promise<string> {
  return (await readBodyBytes(response, limits)).toString('utf8');
}

/** The body parsed as JSON: a 502 saying so when it is not JSON. */
export async function readBodyJson<T>(
  response: UpstreamResponse,
  limits: BodyLimits,
): Promise<T> {
  const text = await readBodyText(response, limits);
  try {
    return JSON.parse(text) as T;
  } catch {
    const type = response.headers.get('content-type');
    throw new UpstreamError(
      limits.upstream,
      502,
      `${limits.what} answered with invalid JSON (${
        text.trim() ? `${text.length} characters` : 'an empty body'
      }${type ? `, content-type ${type.slice(0, 100)}` : ''})`,
    );
  }
}

function tooLarge(limits: BodyLimits, declared?: number): UpstreamError {
  const max = formatSize(limits.maxBytes);
  return new UpstreamError(
    limits.upstream,
    502,
    `${limits.what} sent an answer over ${max}${
      declared ? ` (${formatSize(declared)})` : ''
    }, the most ${
      limits.maxBytesSetting
    } allows; narrow the request or raise the setting`,
  );
}

function stalled(limits: BodyLimits, received: number): UpstreamError {
  return new UpstreamError(
    limits.upstream,
    504,
    `${limits.what} stopped sending its answer: not finished within ${limits.timeoutMs} ms (${limits.timeoutSetting}), ${received} bytes received`,
  );
}

function bodyFailure(error: unknown, limits: BodyLimits): Error {
  // The caller gave up (the browser went away): nobody reads this answer.
  if ((error as Error)?.name === 'AbortError') return error as Error;
  return new UpstreamError(
    limits.upstream,
    502,
    `${limits.what} answered with a body that cannot be read (${
      (error as Error)?.message ?? String(error)
    })`,
  );
}

/** `32 MB`, `1.5 MB`, `4 KB`: the unit the settings use, or KB below one MB. */
export function formatSize(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  if (mb < 1) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${
    mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)
  } MB`;
}
