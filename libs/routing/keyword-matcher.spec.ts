import { containsKeyword, matchesKeywords, tokenize } from './keyword-matcher';

const rules = (any: string[] = [], all: string[] = [], none: string[] = []) => ({ any, all, none });

describe('tokenize', () => {
  it('keeps hashtags and mentions, drops punctuation and accents', () => {
    expect(tokenize('@AcmeCare Où est ma commande?! #Remboursement')).toEqual([
      '@acmecare',
      'ou',
      'est',
      'ma',
      'commande',
      '#remboursement',
    ]);
  });
});

describe('containsKeyword', () => {
  const tokens = tokenize('My order is late, #refund please @AcmeCare');

  it('matches whole words only', () => {
    expect(containsKeyword(tokens, 'order')).toBe(true);
    expect(containsKeyword(tokens, 'ord')).toBe(false);
    expect(containsKeyword(tokenize('disorder'), 'order')).toBe(false);
  });

  it('is case- and accent-insensitive', () => {
    expect(containsKeyword(tokenize('Mon REMBOURSÉMENT'), 'remboursement')).toBe(true);
    expect(containsKeyword(tokenize('café'), 'CAFE')).toBe(true);
  });

  it('matches a plain keyword inside its hashtag, but a hashtag keyword only as a hashtag', () => {
    expect(containsKeyword(tokens, 'refund')).toBe(true);
    expect(containsKeyword(tokens, '#refund')).toBe(true);
    expect(containsKeyword(tokenize('refund please'), '#refund')).toBe(false);
  });

  it('matches mentions', () => {
    expect(containsKeyword(tokens, '@acmecare')).toBe(true);
    expect(containsKeyword(tokens, '@acme')).toBe(false);
  });

  it('matches phrases as consecutive words', () => {
    expect(containsKeyword(tokens, 'is late')).toBe(true);
    expect(containsKeyword(tokens, 'late order')).toBe(false);
  });
});

describe('matchesKeywords', () => {
  it('takes everything when no keywords are set', () => {
    expect(matchesKeywords('anything', rules())).toBe(true);
    expect(matchesKeywords(null, rules())).toBe(true);
  });

  it('needs one of any', () => {
    expect(matchesKeywords('where is my order', rules(['order', 'refund']))).toBe(true);
    expect(matchesKeywords('nice weather', rules(['order', 'refund']))).toBe(false);
  });

  it('needs every one of all', () => {
    expect(matchesKeywords('refund my order', rules([], ['refund', 'order']))).toBe(true);
    expect(matchesKeywords('refund please', rules([], ['refund', 'order']))).toBe(false);
  });

  it('rejects any of none', () => {
    expect(matchesKeywords('order giveaway', rules(['order'], [], ['giveaway']))).toBe(false);
    expect(matchesKeywords('order late', rules(['order'], [], ['giveaway']))).toBe(true);
  });

  it('fails a message without text when keywords are required', () => {
    expect(matchesKeywords(null, rules(['order']))).toBe(false);
  });
});
