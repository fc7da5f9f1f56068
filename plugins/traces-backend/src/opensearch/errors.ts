import { errors } from '@opensearch-project/opensearch';
import type { SecretScrubber } from '../lib/scrubSecrets';
import { UpstreamError } from '../lib/UpstreamError';
import { isResponseTooLarge } from './sizeLimitedConnection';

export const UPSTREAM = 'OpenSearch';

/** True for OpenSearch's answer to a search on a concrete index that does not exist. */
export function isIndexNotFound(error: unknown): boolean {
  return (
    error instanceof errors.ResponseError &&
    error.statusCode === 404 &&
    errorType(error.body) === 'index_not_found_exception'
  );
}

/**
 * Turns anything the client throws into an UpstreamError naming OpenSearch: unreachable
 * (refused, DNS, TLS) is 503, too slow 504, any HTTP error answer 502 with OpenSearch's own
 * reason. Messages name the server's origin only; credentials never appear in them.
 */
export function toUpstreamError(
  error: unknown,
  context: {
    origin: string;
    timeoutMs: number;
    what: string;
    scrubber?: SecretScrubber;
  },
): Error {
  const result = describe(error, context);
  // OpenSearch (or a proxy) may echo the request, credentials included.
  if (context.scrubber) result.message = context.scrubber.scrub(result.message);
  return result;
}

function describe(
  error: unknown,
  context: { origin: string; timeoutMs: number; what: string },
): Error {
  if (error instanceof UpstreamError) return error;
  const { origin, timeoutMs, what } = context;
  if (error instanceof errors.TimeoutError) {
    return new UpstreamError(
      UPSTREAM,
      504,
      `no answer within ${timeoutMs} ms from ${origin}`,
    );
  }
  if (isResponseTooLarge(error)) {
    return new UpstreamError(
      UPSTREAM,
      502,
      `${(error as Error).message}, while ${what}`,
    );
  }
  if (
    error instanceof errors.ConnectionError ||
    error instanceof errors.NoLivingConnectionsError
  ) {
    return new UpstreamError(
      UPSTREAM,
      503,
      `cannot reach ${origin} (${
        maskSecrets(error.message) || 'connection failed'
      })`,
    );
  }
  if (error instanceof errors.ResponseError) {
    return fromResponse(error, what);
  }
  if (error instanceof errors.DeserializationError) {
    return new UpstreamError(
      UPSTREAM,
      502,
      `${what}: answered with invalid JSON`,
    );
  }
  if ((error as Error)?.name === 'AwsSigv4SignerError') {
    return new UpstreamError(
      UPSTREAM,
      503,
      `cannot sign requests with AWS SigV4: ${maskSecrets(
        (error as Error).message,
      )}; configure traces.opensearch.auth.aws credentials or the AWS environment`,
    );
  }
  return new UpstreamError(
    UPSTREAM,
    502,
    `${what} failed: ${maskSecrets(
      (error as Error)?.message ?? String(error),
    )}`,
  );
}

function fromResponse(
  error: InstanceType<typeof errors.ResponseError>,
  what: string,
) {
  const status = error.statusCode;
  const reason = describeErrorBody(error.body);
  const detail = `HTTP ${status}${reason ? `: ${reason}` : ''}`;
  if (status === 401 || status === 403) {
    return new UpstreamError(
      UPSTREAM,
      502,
      `refused the plugin's credentials (${detail}); check traces.opensearch.auth and the user's read permission on the log indices`,
    );
  }
  if (status === 429) {
    return new UpstreamError(
      UPSTREAM,
      503,
      `is rejecting requests (${detail}); try again shortly`,
    );
  }
  if (status === 400) {
    return new UpstreamError(
      UPSTREAM,
      502,
      `${what} was rejected (${detail}); check traces.opensearch.fields and keywordSuffix against the index mapping`,
    );
  }
  return new UpstreamError(UPSTREAM, 502, `${what} failed (${detail})`);
}

/**
 * OpenSearch errors look like `{"error":{"type","reason","root_cause":[…],"caused_by":{…}},
 * "status":400}`; the root cause usually says what to fix ("No mapping found for [x] in
 * order to sort on"). AWS gateways answer `{"message":…}` or `{"Message":…}`, proxies text.
 */
export function describeErrorBody(body: unknown): string {
  if (typeof body === 'string') return truncate(maskSecrets(body.trim()));
  if (!body || typeof body !== 'object') return '';
  const record = body as Record<string, any>;
  const error = record.error;
  if (typeof error === 'string') return truncate(maskSecrets(error));
  if (error && typeof error === 'object') {
    const top = typeAndReason(error);
    const root =
      typeAndReason(error.root_cause?.[0]) ||
      typeAndReason(error.failed_shards?.[0]?.reason) ||
      typeAndReason(error.caused_by);
    const text = root && root !== top ? `${top} (caused by ${root})` : top;
    return truncate(maskSecrets(text));
  }
  const message = record.message ?? record.Message;
  return typeof message === 'string' ? truncate(maskSecrets(message)) : '';
}

function errorType(body: unknown): string | undefined {
  const error = (body as { error?: { type?: unknown } } | undefined)?.error;
  return typeof error?.type === 'string' ? error.type : undefined;
}

function typeAndReason(value: any): string {
  if (!value || typeof value !== 'object') return '';
  const type = typeof value.type === 'string' ? value.type : '';
  const reason = typeof value.reason === 'string' ? value.reason : '';
  return [type, reason].filter(Boolean).join(': ');
}

function truncate(text: string, limit = 500): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** AWS access key IDs and userinfo of URLs, should a proxy or gateway echo them. */
function maskSecrets(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[masked]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1');
}
