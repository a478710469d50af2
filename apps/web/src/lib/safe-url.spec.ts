import { webUrl } from './safe-url';

describe('webUrl', () => {
  it('keeps web addresses', () => {
    expect(webUrl('https://www.facebook.com/7000000001')).toBe('https://www.facebook.com/7000000001');
    expect(webUrl('http://127.0.0.1:4010/avatar.png')).toBe('http://127.0.0.1:4010/avatar.png');
  });

  it('refuses everything else', () => {
    for (const value of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<b>x</b>',
      '/relative',
      '',
      null,
    ]) {
      expect(webUrl(value)).toBeNull();
    }
  });
});
