import type { IncomingMessage } from 'node:http';
import { Connection } from '@opensearch-project/opensearch';
import { formatSize } from '../lib/readBody';

const LIMIT_KEY = 'traces.limits.maxResponseSizeMb';

/** How an answer over the limit is recognised among the client's connection errors. */
export function isResponseTooLarge(error: unknown): boolean {
  return String((error as Error)?.message).startsWith('answer over ');
}

function tooLargeMessage(maxBytes: number) {
  return `answer over ${formatSize(maxBytes)}, the most ${LIMIT_KEY} allows`;
}

/**
 * The OpenSearch client's HTTP connection, refusing answers over `maxBytes`: the client
 * itself buffers any body up to Node's string limit. A declared Content-Length over the limit
 * is refused before reading; a streamed body is cut once it passes the limit (the client then
 * reports a connection error carrying this message, which `toUpstreamError` turns into 502;
 * it retries once, as for any connection error, so at most twice the limit is read).
 */
export function sizeLimitedConnection(maxBytes: number): typeof Connection {
  return class SizeLimitedConnection extends Connection {
    request(
      params: Parameters<Connection['request']>[0],
      callback: Parameters<Connection['request']>[1],
    ) {
      return super.request(params, (error, response) => {
        if (error || !response) {
          callback(error, response);
          return;
        }
        if (Number(response.headers['content-length']) > maxBytes) {
          response.destroy();
          callback(new Error(tooLargeMessage(maxBytes)), null);
          return;
        }
        callback(null, response);
        // Attached after the client's own listener, in the same tick: no chunk is missed.
        countBytes(response, maxBytes);
      });
    }
  };
}

function countBytes(response: IncomingMessage, maxBytes: number) {
  let total = 0;
  // Keeps an error after the client has stopped listening from crashing the process.
  response.on('error', () => undefined);
  response.on('data', (chunk: Buffer | string) => {
    total +=
      typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (total <= maxBytes || response.destroyed) return;
    // The client's 'error' listener reports this message; destroy() alone would report an
    // aborted response instead.
    response.emit('error', new Error(tooLargeMessage(maxBytes)));
    response.destroy();
  });
}
