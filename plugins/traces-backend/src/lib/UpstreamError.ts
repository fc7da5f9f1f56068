import { CustomErrorBase } from '@backstage/errors';

/** 502: the upstream answered, but not usefully. 503: unreachable. 504: too slow. */
export type UpstreamStatusCode = 502 | 503 | 504;

/**
 * A failure of an upstream (Tempo, OpenSearch, Prometheus), named in the message so that a
 * user can tell whose fault it is. The backend's error handler takes the status from
 * `statusCode`. The message carries no URL credentials or header values.
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
