import { CustomErrorBase } from '@backstage/errors';

/**
 * The HTTP status of an upstream failure. 502: the upstream answered, but not usefully.
 * 503: it is unreachable or not ready. 504: it was too slow.
 *
 * @public
 */
export type UpstreamStatusCode = 502 | 503 | 504;

/**
 * A failure of the system behind a store (Tempo, OpenSearch, Prometheus, a database), named in
 * the message so that a user can tell whose fault it is: `Tempo: timed out: …`. The backend's
 * error handler answers with `statusCode`. The message must carry no credentials, URL userinfo
 * or header values.
 *
 * @public
 */
export class UpstreamError extends CustomErrorBase {
  name = 'UpstreamError' as const;
  constructor(
    readonly upstream: string,
    readonly statusCode: UpstreamStatusCode,
    message: string,
  ) {
    super(`${upstream}: ${message}`);
  }
}
