import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.from('a-secret-key-of-enough-length'));

  it('round-trips and never repeats a ciphertext', () => {
    const a = box.sealJson({ appSecret: 's3cret' });
    const b = box.sealJson({ appSecret: 's3cret' });
    expect(a).not.toEqual(b);
    expect(a).not.toContain('s3cret');
    expect(box.openJson(a)).toEqual({ appSecret: 's3cret' });
  });

  it('refuses a tampered ciphertext or another key', () => {
    const sealed = box.seal('token');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('other').toString('base64');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox(Buffer.from('another-key-entirely-here')).open(sealed)).toThrow();
  });
});
