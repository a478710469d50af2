import { metaSignature256, xWebhookSignature } from '../../apps/simulator/signing';

/** Posts a webhook body exactly as given, signed the way its platform signs (or with the header given). */
export async function postWebhook(
  baseUrl: string,
  platform: 'facebook' | 'twitter',
  body: string,
  secret: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const signature: Record<string, string> =
    platform === 'facebook'
      ? { 'x-hub-signature-256': metaSignature256(secret, body) }
      : { 'x-twitter-webhooks-signature': xWebhookSignature(secret, body) };
  const response = await fetch(`${baseUrl}/webhooks/${platform}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signature, ...headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}
