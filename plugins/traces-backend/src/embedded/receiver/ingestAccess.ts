import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export interface IngestAccessOptions {
  /** Accept requests from 127.0.0.0/8 and ::1 without a token. */
  allowLoopback: boolean;
  /** Bearer token every other sender must present; without one only loopback is open. */
  token?: string;
}

export type IngestAccess =
  | { ok: true }
  | { ok: false; status: 401 | 403; message: string };

/**
 * Who may write spans. The receiver is outside Backstage's auth (OTLP exporters send no
 * Backstage tokens), so it checks the socket's address or a shared token itself. The socket
 * address, not X-Forwarded-For: a header would let anyone claim to be local.
 */
export function checkIngestAccess(
  req: Request,
  options: IngestAccessOptions,
): IngestAccess {
  if (options.allowLoopback && isLoopback(req.socket.remoteAddress)) {
    return { ok: true };
  }
  if (!options.token) {
    return {
      ok: false,
      status: 403,
      message:
        'The OTLP receiver accepts only local senders; set traces.embedded.ingest.token to accept others',
    };
  }
  const presented = /^Bearer\s+(.+)$/i.exec(
    req.headers.authorization ?? '',
  )?.[1];
  if (!presented || !sameSecret(presented.trim(), options.token)) {
    return {
      ok: false,
      status: 401,
      message:
        'The OTLP receiver needs the ingest token: send Authorization: Bearer <traces.embedded.ingest.token>',
    };
  }
  return { ok: true };
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
