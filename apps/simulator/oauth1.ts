import { createHmac, timingSafeEqual } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface OAuthSecrets {
  consumerSecret: string;
  tokenSecret: string;
}

export interface OAuthRequest {
  method: string;
  /** Absolute URL as the client signed it, query string included. */
  url: string;
  /** Form-encoded body parameters; only those are part of the signature (JSON bodies are not signed). */
  bodyParams?: Record<string, string | string[]>;
}

export type OAuthVerification =
  { ok: true; consumerKey: string; token: string | undefined } | { ok: false; reason: string };

/** Parses `Authorization: OAuth k="v", ...` into decoded parameters, or null when it is not an OAuth header. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | null {
  if (!header) return null;
  const match = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!match?.[1]) return null;
  const params: Record<string, string> = {};
  const pair = /([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"/g;
  let found: RegExpExecArray | null;
  while ((found = pair.exec(match[1])) !== null) {
    const [, key, value] = found;
    if (key === undefined || value === undefined) continue;
    try {
      params[decodeURIComponent(key)] = decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return params;
}

/** The base64 HMAC-SHA1 signature a correct client computes for this request. */
export function expectedOAuthSignature(
  request: OAuthRequest,
  oauthParams: Record<string, string>,
  secrets: OAuthSecrets,
): string {
  const oauth = new OAuth({
    consumer: { key: oauthParams.oauth_consumer_key ?? '', secret: secrets.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  // Every oauth_* parameter the client sent is part of the base string, except the signature itself (and realm).
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(oauthParams)) {
    if (key.startsWith('oauth_') && key !== 'oauth_signature') data[key] = value;
  }
  return oauth.getSignature(
    { url: request.url, method: request.method, data: request.bodyParams ?? {} },
    secrets.tokenSecret,
    data as unknown as OAuth.Data,
  );
}

/**
 * Verifies an OAuth 1.0a (HMAC-SHA1) user-context request. `urls` lists the URLs the client may have signed: the
 * backend signs the URL it actually calls, which is this simulator's own origin, not https://api.x.com.
 */
export function verifyOAuthRequest(
  request: Omit<OAuthRequest, 'url'> & { urls: string[]; authorization: string | undefined },
  resolveSecrets: (consumerKey: string, token: string | undefined) => OAuthSecrets | undefined,
): OAuthVerification {
  const params = parseOAuthHeader(request.authorization);
  if (!params) return { ok: false, reason: 'no OAuth Authorization header' };
  const consumerKey = params.oauth_consumer_key;
  const signature = params.oauth_signature;
  if (!consumerKey || !signature) return { ok: false, reason: 'oauth_consumer_key or oauth_signature missing' };
  if (params.oauth_signature_method !== 'HMAC-SHA1') return { ok: false, reason: 'unsupported signature method' };
  if (params.oauth_version !== undefined && params.oauth_version !== '1.0') {
    return { ok: false, reason: 'unsupported oauth_version' };
  }
  if (!params.oauth_nonce || !params.oauth_timestamp) return { ok: false, reason: 'oauth_nonce or timestamp missing' };
  const token = params.oauth_token;
  const secrets = resolveSecrets(consumerKey, token);
  if (!secrets) return { ok: false, reason: 'unknown consumer key or token' };
  const given = Buffer.from(signature);
  for (const url of request.urls) {
    const expected = Buffer.from(expectedOAuthSignature({ ...request, url }, params, secrets));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { ok: true, consumerKey, token };
  }
  return { ok: false, reason: 'signature mismatch' };
}
