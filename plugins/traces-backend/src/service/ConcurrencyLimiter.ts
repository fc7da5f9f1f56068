import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import type { RequestHandler } from 'express';

/** Seconds a refused client is asked to wait: requests here last about that long. */
export const RETRY_AFTER_SECONDS = 1;

/** 429: the request was refused to protect the upstreams, and may be sent again later. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
}

export interface ConcurrencyLimits {
  maxConcurrentRequests: number;
  maxConcurrentRequestsPerUser: number;
}

/**
 * Counts the upstream-reading requests in flight, in total and per user. A request over
 * either cap is refused at once (no queue: a queue holds sockets and memory while the
 * upstream is slowest, and hides the overload from the client).
 */
export class ConcurrencyLimiter {
  private total = 0;
  private readonly perUser = new Map<string, number>();

  constructor(private readonly limits: ConcurrencyLimits) {}

  /** A function releasing the slot, or a TooManyRequestsError naming the cap reached. */
  acquire(user: string): (() => void) | TooManyRequestsError {
    const { maxConcurrentRequests, maxConcurrentRequestsPerUser } = this.limits;
    const mine = this.perUser.get(user) ?? 0;
    if (mine >= maxConcurrentRequestsPerUser) {
      return new TooManyRequestsError(
        `You have ${mine} trace requests in progress, the most allowed per user (traces.limits.maxConcurrentRequestsPerUser); retry in ${RETRY_AFTER_SECONDS} s`,
      );
    }
    if (this.total >= maxConcurrentRequests) {
      return new TooManyRequestsError(
        `The traces backend has ${this.total} requests in progress, the most allowed (traces.limits.maxConcurrentRequests); retry in ${RETRY_AFTER_SECONDS} s`,
      );
    }
    this.total += 1;
    this.perUser.set(user, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perUser.get(user) ?? 1) - 1;
      if (left > 0) this.perUser.set(user, left);
      else this.perUser.delete(user);
    };
  }

  get inFlight(): number {
    return this.total;
  }
}

/** Who a request counts against: a user, a service, or everyone unauthenticated together. */
export function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return `user:${principal.userEntityRef}`;
  if (principal.type === 'service') return `service:${principal.subject}`;
  return principal.type;
}

/**
 * Express middleware holding one slot of `limiter` for the whole request (until the answer is
 * sent or the client goes away), or answering 429 with `Retry-After`.
 */
export function limitConcurrency(
  limiter: ConcurrencyLimiter,
  httpAuth: HttpAuthService,
): RequestHandler {
  return async (req, res, next) => {
    // Cached on the request by the auth service: the routes' own call costs nothing more.
    const credentials = await httpAuth.credentials(req);
    const slot = limiter.acquire(principalKey(credentials));
    if (slot instanceof TooManyRequestsError) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw slot;
    }
    // The client may have gone while its credentials were checked: 'close' has then been
    // emitted already, and the slot would never come back.
    if (req.destroyed || res.destroyed) {
      slot();
      return;
    }
    res.once('close', slot);
    next();
  };
}
