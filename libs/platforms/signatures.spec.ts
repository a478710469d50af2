import {
  constantTimeEqual,
  facebookSignature,
  isCrcToken,
  twitterCrcResponse,
  twitterSignature,
  verifyFacebookSignature,
  verifyTwitterSignature,
} from './signatures';

// Vectors from shared/reference/platform-apis.md §3.4 (computed with Node's crypto against the documented algorithm).
const META_BODY =
  '{"object":"page","entry":[{"id":"1234567890","time":1767225600,"changes":[{"field":"feed","value":{"from":{"id":"24242424","name":"Jane Doe"},"item":"comment","comment_id":"111_222","post_id":"1234567890_111","verb":"add","parent_id":"1234567890_111","created_time":1767225599,"message":"Where is my order?"}}]}]}';
const META_UNICODE_BODY =
  '{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m_1","text":"\\u00e4\\u00f6\\u00e5"}}]}]}';

describe('Meta webhook signature', () => {
  it('matches the documented vector', () => {
    expect(facebookSignature('test_app_secret', Buffer.from(META_BODY))).toBe(
      'sha256=d716d4a9bd6652ed4862c9d197d65661de3ccf45d7cfe1f38aa7c4ddc7e22eb6',
    );
  });

  it('is computed over the escaped bytes as sent, not a re-serialisation', () => {
    const header = 'sha256=58c8e35972055e55bbd8dc89d3d529696546d4aa9220d72f34ea7eade459a123';
    expect(verifyFacebookSignature('test_app_secret', Buffer.from(META_UNICODE_BODY), header)).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(META_UNICODE_BODY)));
    expect(verifyFacebookSignature('test_app_secret', reserialised, header)).toBe(false);
  });

  it('rejects a missing, malformed or wrong-secret signature', () => {
    const body = Buffer.from(META_BODY);
    expect(verifyFacebookSignature('test_app_secret', body, undefined)).toBe(false);
    expect(verifyFacebookSignature('test_app_secret', body, 'sha256=00')).toBe(false);
    expect(verifyFacebookSignature('other', body, facebookSignature('test_app_secret', body))).toBe(false);
  });
});

describe('X webhook signature and CRC', () => {
  it('answers the CRC challenge', () => {
    expect(twitterCrcResponse('test_consumer_secret', 'challenge_string')).toEqual({
      response_token: 'sha256=583uAmerwtjpykYEAEm+CEIRm6dOywK4QKRr0ha/Pd4=',
    });
  });

  it('takes only tokens of the form X sends, never a body that could be signed in its place', () => {
    const token = 'MjAyNi0xMi0wMVQwODozMTo1OS4xMjNa_-x';
    expect(isCrcToken(token)).toBe(true);
    expect(isCrcToken('aGVsbG8rd29ybGQ/Zm9v==')).toBe(true);
    for (const forged of [
      '{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1","text":"@acme help"}]}',
      '',
      'a b',
      'x'.repeat(129),
      'token"',
      undefined,
      ['challenge_string'],
    ]) {
      expect(isCrcToken(forged)).toBe(false);
    }
    expect(() => twitterCrcResponse('test_consumer_secret', '{"a":1}')).toThrow();
  });

  it('verifies the documented payload signature', () => {
    const body = Buffer.from('{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1","text":"@acme help"}]}');
    const header = 'sha256=y5aEua4n/Rws3Yfcy/zGwO1ZmYUITNMJgFzIwOU6/4o=';
    expect(twitterSignature('test_consumer_secret', body)).toBe(header);
    expect(verifyTwitterSignature('test_consumer_secret', body, header)).toBe(true);
    expect(verifyTwitterSignature('test_consumer_secret', Buffer.from(body.toString() + ' '), header)).toBe(false);
  });
});

describe('constant-time equality', () => {
  it('is equality, whatever the lengths', () => {
    expect(constantTimeEqual('meatyhamhock', 'meatyhamhock')).toBe(true);
    expect(constantTimeEqual('meatyhamhock', 'meatyhamhocK')).toBe(false);
    expect(constantTimeEqual('meatyhamhock', 'meaty')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
