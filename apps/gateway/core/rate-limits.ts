import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ApiError } from './api-error';

/**
 * The caller's address as Express sees it (behind a proxy, as `TRUST_PROXY` allows), as the limits count it: an IPv6
 * client is its /64, since one host commonly holds a whole /64.
 */
export function clientAddress(request: Request | IncomingMessage): string {
  const raw = ('ip' in request ? request.ip : undefined) ?? request.socket.remoteAddress ?? 'unknown';
  return addressKey(raw);
}

export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
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

/**
 * The webhook handshakes' limit (Meta's verification GET, X's CRC GET), per platform and client address and per
 * gateway: a platform calls them a few times an hour. Deliveries are not limited: a signed one is always taken.
 */
export class WebhookLimits {
  readonly handshakes = new RateLimiterMemory({ keyPrefix: 'handshake', points: 30, duration: 60 });
}
