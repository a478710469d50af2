import { metaEscape, toJsonText, toMetaJson } from './json-text';

describe('toJsonText', () => {
  it('writes bigints as bare numbers with every digit', () => {
    const text = toJsonText({ id: 1205348660982083584n, id_str: '1205348660982083584' });
    expect(text).toBe('{"id":1205348660982083584,"id_str":"1205348660982083584"}');
    // The number JSON.parse makes of it is not the id, which is why receivers must use id_str.
    expect(String((JSON.parse(text) as { id: number }).id)).not.toBe('1205348660982083584');
  });

  it('matches JSON.stringify for ordinary values', () => {
    const value = { a: [1, 'two', null, true, { b: undefined, c: 2.5 }], d: new Date(0), e: '"quoted"\n' };
    expect(toJsonText(value)).toBe(JSON.stringify(value));
  });

  it('escapes like Meta: non-ASCII as lowercase \\uXXXX, slashes, surrogate pairs per unit', () => {
    const text = toMetaJson({ t: 'é/€ 😀 \\/', u: 'https://x.y/z' });
    expect(text).toBe('{"t":"\\u00e9\\/\\u20ac \\ud83d\\ude00 \\\\\\/","u":"https:\\/\\/x.y\\/z"}');
    expect(JSON.parse(text)).toEqual({ t: 'é/€ 😀 \\/', u: 'https://x.y/z' });
    expect(/[^\x00-\x7f]/.test(text)).toBe(false);
  });

  it('leaves plain ASCII JSON unchanged', () => {
    expect(metaEscape('{"a":"b"}')).toBe('{"a":"b"}');
  });
});
