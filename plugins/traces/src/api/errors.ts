import { ResponseError } from '@backstage/errors';

/**
 * The message worth showing for a failed call. For backend errors that is the message of the
 * serialised error body (it names the upstream, e.g. "Tempo …"), not ResponseError's generic
 * "Request failed with 503 Service Unavailable".
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    const message = error.body?.error?.message ?? error.cause?.message;
    if (message) return message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** HTTP status of a backend error, when there is one. */
export function errorStatus(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}
