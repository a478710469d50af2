import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` value: lowercase hex HMAC-SHA256 of the exact body bytes, keyed by the app secret. */
export function metaSignature256(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Legacy `X-Hub-Signature` value (HMAC-SHA1), which Meta still sends next to the SHA-256 one. */
export function metaSignature1(appSecret: string, body: string | Buffer): string {
  return `sha1=${createHmac('sha1', appSecret).update(body).digest('hex')}`;
}

/** `x-twitter-webhooks-signature` value: base64 HMAC-SHA256 of the body, keyed by the consumer secret. */
export function xWebhookSignature(consumerSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(body).digest('base64')}`;
}

/** The `response_token` X expects back from a CRC check; same construction as the webhook signature. */
export function xCrcResponseToken(consumerSecret: string, crcToken: string): string {
  return xWebhookSignature(consumerSecret, crcToken);
}
