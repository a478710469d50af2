import { toMetaJson } from './json-text';
import { metaSignature1, metaSignature256, xCrcResponseToken, xWebhookSignature } from './signing';

// Vectors from platform-apis.md §3.4.
describe('webhook signing', () => {
  it('signs the Meta feed vector', () => {
    const body =
      '{"object":"page","entry":[{"id":"1234567890","time":1767225600,"changes":[{"field":"feed","value":{"from":{"id":"24242424","name":"Jane Doe"},"item":"comment","comment_id":"111_222","post_id":"1234567890_111","verb":"add","parent_id":"1234567890_111","created_time":1767225599,"message":"Where is my order?"}}]}]}';
    // Round-trip through the serialiser the sender uses, so a change to its output breaks this test.
    const serialised = toMetaJson(JSON.parse(body));
    expect(serialised).toBe(body);
    expect(metaSignature256('test_app_secret', serialised)).toBe(
      'sha256=d716d4a9bd6652ed4862c9d197d65661de3ccf45d7cfe1f38aa7c4ddc7e22eb6',
    );
  });

  it('signs the escaped bytes of the Meta unicode vector, not the UTF-8 text', () => {
    const payload = {
      object: 'page',
      entry: [
        {
          id: '1',
          time: 1,
          messaging: [
            { sender: { id: '2' }, recipient: { id: '1' }, timestamp: 1, message: { mid: 'm_1', text: 'äöå' } },
          ],
        },
      ],
    };
    const serialised = toMetaJson(payload);
    expect(serialised).toBe(
      '{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m_1","text":"\\u00e4\\u00f6\\u00e5"}}]}]}',
    );
    expect(metaSignature256('test_app_secret', serialised)).toBe(
      'sha256=58c8e35972055e55bbd8dc89d3d529696546d4aa9220d72f34ea7eade459a123',
    );
    expect(metaSignature256('test_app_secret', JSON.stringify(payload))).toBe(
      'sha256=d685c33274cde80e7fb3aa76a671d7881595915cb37b9c08916f7ff232a39b0a',
    );
  });

  it('sends the legacy sha1 header as lowercase hex', () => {
    expect(metaSignature1('test_app_secret', '{}')).toMatch(/^sha1=[0-9a-f]{40}$/);
  });

  it('computes the X CRC response token', () => {
    expect(xCrcResponseToken('test_consumer_secret', 'challenge_string')).toBe(
      'sha256=583uAmerwtjpykYEAEm+CEIRm6dOywK4QKRr0ha/Pd4=',
    );
  });

  it('signs the X webhook vector', () => {
    const body = '{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1","text":"@acme help"}]}';
    expect(xWebhookSignature('test_consumer_secret', body)).toBe('sha256=y5aEua4n/Rws3Yfcy/zGwO1ZmYUITNMJgFzIwOU6/4o=');
  });
});
