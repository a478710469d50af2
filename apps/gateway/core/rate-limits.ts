import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ApiError } from './api-error';

/** The caller's address as Express sees it (behind a proxy, as `TRUST_PROXY` allows). */
export function clientAddress(request: Request | IncomingMessage): string {
  return ('ip' in request ? request.ip : undefined) ?? request.socket.remoteAddress ?? 'unknown';
}

/** Seconds until a limited key may try again, for `Retry-After` (at least 1). */
export function retryAfterSeconds(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}

/**
 * Takes one point for `key`, or throws 429 with `Retry-After` when it has none left. A limiter whose store fails lets
 * the call through: a lost counter must not take the route down.
 */
export async function takePoint(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (result) {
    if (result instanceof RateLimiterRes) throw ApiError.tooManyRequests(what, retryAfterSeconds(result));
  }
}

/** Throws 429 when `key` has already used all its points in the window; takes none. */
export async function assertNotLimited(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  const result = await limiter.get(key).catch(() => null);
  if (result && result.consumedPoints >= limiter.points) {
    throw ApiError.tooManyRequests(what, retryAfterSeconds(result));
  }
}

/**
 * The public webhook routes' limits, per client address and per gateway (they guard this process's CPU):
 * - handshakes (Meta's verification GET, X's CRC GET; keyed by platform and address) come a few times an hour;
 * - deliveries whose signature fails cost an HMAC per configured secret and come from nobody legitimate.
 */
export class WebhookLimits {
  readonly handshakes = new RateLimiterMemory({ keyPrefix: 'handshake', points: 30, duration: 60 });
  readonly badSignatures = new RateLimiterMemory({ keyPrefix: 'unsigned', points: 30, duration: 60 });
}
