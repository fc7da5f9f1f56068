import { EventEmitter } from 'node:events';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Request, Response } from 'express';
import {
  ConcurrencyLimiter,
  limitConcurrency,
  TooManyRequestsError,
} from './ConcurrencyLimiter';

/** A request and response pair whose client may already be gone. */
function exchange(gone = false) {
  const req = Object.assign(new EventEmitter(), {
    destroyed: gone,
    headers: {},
  });
  const res = Object.assign(new EventEmitter(), {
    destroyed: gone,
    setHeader: jest.fn(),
  });
  return { req: req as unknown as Request, res: res as unknown as Response };
}

describe('ConcurrencyLimiter', () => {
  it('counts per user and in total, and frees a slot once', () => {
    const limiter = new ConcurrencyLimiter({
      maxConcurrentRequests: 3,
      maxConcurrentRequestsPerUser: 2,
    });
    const a1 = limiter.acquire('user:a');
    const a2 = limiter.acquire('user:a');
    expect(limiter.acquire('user:a')).toBeInstanceOf(TooManyRequestsError);
    const b1 = limiter.acquire('user:b');
    expect(limiter.acquire('user:c')).toBeInstanceOf(TooManyRequestsError);
    for (const release of [a1, a2, b1]) {
      if (release instanceof TooManyRequestsError) throw release;
      release();
      release();
    }
    expect(limiter.inFlight).toBe(0);
  });

  describe('limitConcurrency', () => {
    const httpAuth = mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(),
    });

    it('holds the slot until the answer is closed', async () => {
      const limiter = new ConcurrencyLimiter({
        maxConcurrentRequests: 1,
        maxConcurrentRequestsPerUser: 1,
      });
      const { req, res } = exchange();
      const next = jest.fn();
      await limitConcurrency(limiter, httpAuth)(req, res, next);
      expect(next).toHaveBeenCalled();
      expect(limiter.inFlight).toBe(1);
      res.emit('close');
      expect(limiter.inFlight).toBe(0);
    });

    it('frees the slot of a client that went away while it was authenticated', async () => {
      const limiter = new ConcurrencyLimiter({
        maxConcurrentRequests: 1,
        maxConcurrentRequestsPerUser: 1,
      });
      const { req, res } = exchange(true);
      const next = jest.fn();
      await limitConcurrency(limiter, httpAuth)(req, res, next);
      expect(next).not.toHaveBeenCalled();
      expect(limiter.inFlight).toBe(0);
    });

    it('refuses with Retry-After beyond the cap', async () => {
      const limiter = new ConcurrencyLimiter({
        maxConcurrentRequests: 1,
        maxConcurrentRequestsPerUser: 1,
      });
      const middleware = limitConcurrency(limiter, httpAuth);
      await middleware(exchange().req, exchange().res, jest.fn());
      const { req, res } = exchange();
      await expect(middleware(req, res, jest.fn())).rejects.toThrow(
        TooManyRequestsError,
      );
      expect(res.setHeader).toHaveBeenCalledWith('Retry-After', '1');
    });
  });
});
