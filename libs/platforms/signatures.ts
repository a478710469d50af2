import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Equality of two secrets that tells nothing by its timing, not even their lengths (both are hashed first). */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b)) && a === b;
}

/** Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`, over the bytes exactly as sent. */
export function facebookSignature(appSecret: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function verifyFacebookSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  return safeEqual(facebookSignature(appSecret, rawBody), header.trim().toLowerCase());
}

/** X: `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>`. */
export function twitterSignature(consumerSecret: string, payload: Buffer | string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(payload).digest('base64')}`;
}

export function verifyTwitterSignature(consumerSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  return safeEqual(twitterSignature(consumerSecret, rawBody), header.trim());
}

/**
 * What a `crc_token` from X looks like: a short token in the base64 or url-safe alphabet. Anything else is refused
 * unsigned, since the answer is the very signature a webhook body is checked against: signing a caller's JSON would
 * let anyone forge deliveries.
 */
const CRC_TOKEN = /^[A-Za-z0-9+/_-]{1,128}={0,2}$/;

export function isCrcToken(value: unknown): value is string {
  return typeof value === 'string' && CRC_TOKEN.test(value);
}

/** The X CRC answer: the same HMAC over the `crc_token`. */
export function twitterCrcResponse(consumerSecret: string, crcToken: string): { response_token: string } {
  if (!isCrcToken(crcToken)) throw new Error('not a crc_token of the form X sends');
  return { response_token: twitterSignature(consumerSecret, crcToken) };
}
