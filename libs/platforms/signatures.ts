import { createHmac, timingSafeEqual } from 'node:crypto';

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
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

/** The X CRC answer: the same HMAC over the `crc_token`. */
export function twitterCrcResponse(consumerSecret: string, crcToken: string): { response_token: string } {
  return { response_token: twitterSignature(consumerSecret, crcToken) };
}
