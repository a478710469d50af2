import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { parseOAuthHeader, verifyOAuthRequest } from './oauth1';

// The docs example of platform-apis.md §2.8 (X's "Creating a signature" page).
const VECTOR = {
  method: 'POST',
  url: 'https://api.x.com/1.1/statuses/update.json?include_entities=true',
  body: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' },
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
  timestamp: '1318622958',
  signature: 'Ls93hJiZbQ3akF3HF3x1Bz8/zU4=',
};

function header(signature: string): string {
  const params: Record<string, string> = {
    oauth_consumer_key: VECTOR.consumerKey,
    oauth_nonce: VECTOR.nonce,
    oauth_signature: signature,
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: VECTOR.timestamp,
    oauth_token: VECTOR.token,
    oauth_version: '1.0',
  };
  return `OAuth ${Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}="${encodeURIComponent(v)}"`)
    .join(', ')}`;
}

const secrets = (consumerKey: string, token: string | undefined) =>
  consumerKey === VECTOR.consumerKey && token === VECTOR.token
    ? { consumerSecret: VECTOR.consumerSecret, tokenSecret: VECTOR.tokenSecret }
    : undefined;

describe('verifyOAuthRequest', () => {
  it('accepts the documented signature for host api.x.com', () => {
    const result = verifyOAuthRequest(
      { method: VECTOR.method, urls: [VECTOR.url], bodyParams: VECTOR.body, authorization: header(VECTOR.signature) },
      secrets,
    );
    expect(result).toEqual({ ok: true, consumerKey: VECTOR.consumerKey, token: VECTOR.token });
  });

  it('rejects a tampered signature', () => {
    const tampered = `${VECTOR.signature.slice(0, 5)}X${VECTOR.signature.slice(6)}`;
    const result = verifyOAuthRequest(
      { method: VECTOR.method, urls: [VECTOR.url], bodyParams: VECTOR.body, authorization: header(tampered) },
      secrets,
    );
    expect(result.ok).toBe(false);
  });

  it('rejects a tampered body, another host and a wrong secret', () => {
    const ok = header(VECTOR.signature);
    const base = { method: VECTOR.method, urls: [VECTOR.url], bodyParams: VECTOR.body, authorization: ok };
    expect(verifyOAuthRequest({ ...base, bodyParams: { status: 'Hello' } }, secrets).ok).toBe(false);
    // The classic api.twitter.com host gives a different signature: the host is part of the base string.
    expect(
      verifyOAuthRequest(
        { ...base, urls: ['https://api.twitter.com/1.1/statuses/update.json?include_entities=true'] },
        secrets,
      ).ok,
    ).toBe(false);
    expect(verifyOAuthRequest(base, () => ({ consumerSecret: 'wrong', tokenSecret: VECTOR.tokenSecret })).ok).toBe(
      false,
    );
    expect(verifyOAuthRequest({ ...base, authorization: undefined }, secrets).ok).toBe(false);
    expect(verifyOAuthRequest({ ...base, authorization: 'Bearer abc' }, secrets).ok).toBe(false);
  });

  it('accepts a request signed by the oauth-1.0a client over a local URL with a JSON body', () => {
    const oauth = new OAuth({
      consumer: { key: 'ck', secret: 'cs' },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const url = 'http://127.0.0.1:4010/2/users/me?user.fields=created_at,description';
    const authorization = oauth.toHeader(
      oauth.authorize({ url, method: 'GET' }, { key: 'tk', secret: 'ts' }),
    ).Authorization;
    const result = verifyOAuthRequest({ method: 'GET', urls: [url], authorization }, (key, token) =>
      key === 'ck' && token === 'tk' ? { consumerSecret: 'cs', tokenSecret: 'ts' } : undefined,
    );
    expect(result.ok).toBe(true);
  });
});

describe('parseOAuthHeader', () => {
  it('decodes quoted, percent-encoded values', () => {
    expect(parseOAuthHeader('OAuth oauth_signature="a%2Bb%3D", oauth_nonce="n"')).toEqual({
      oauth_signature: 'a+b=',
      oauth_nonce: 'n',
    });
    expect(parseOAuthHeader('Basic xyz')).toBeNull();
  });
});
