export interface KeywordRules {
  any: string[];
  all: string[];
  none: string[];
}

/** Lower case, accents removed: "Rémboursement" and "remboursement" are the same word. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Words, hashtags and @mentions, in order; everything else separates them. */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(/[#@]?[\p{L}\p{N}_]+(?:['’][\p{L}\p{N}_]+)*/gu) ?? [];
}

function tokenMatches(token: string, word: string): boolean {
  if (token === word) return true;
  // A plain keyword also matches its hashtag or mention ("refund" matches "#refund"); "#refund" matches only the tag.
  return !/^[#@]/.test(word) && /^[#@]/.test(token) && token.slice(1) === word;
}

/** A keyword is one word or a phrase; a phrase matches the same words in a row. Whole words only. */
export function containsKeyword(tokens: readonly string[], keyword: string): boolean {
  const words = tokenize(keyword);
  if (words.length === 0) return false;
  for (let start = 0; start + words.length <= tokens.length; start++) {
    if (words.every((word, offset) => tokenMatches(tokens[start + offset] as string, word))) return true;
  }
  return false;
}

/** Why a text passes a channel's keywords or not: which words of each list it has. */
export interface KeywordVerdict {
  passes: boolean;
  /** `any` keywords found (at least one is needed when `any` is not empty). */
  matchedAny: string[];
  /** `all` keywords found, and those missing (every one is needed). */
  matchedAll: string[];
  missingAll: string[];
  /** `none` keywords found: any one refuses the text. */
  refusedBy: string[];
}

/**
 * `any`: at least one must appear (ignored when empty); `all`: every one must appear; `none`: none may appear.
 * A channel without keywords takes every message.
 */
export function evaluateKeywords(text: string | null, rules: KeywordRules): KeywordVerdict {
  const tokens = tokenize(text ?? '');
  const has = (keyword: string) => containsKeyword(tokens, keyword);
  const matchedAny = rules.any.filter(has);
  const matchedAll = rules.all.filter(has);
  const missingAll = rules.all.filter((keyword) => !has(keyword));
  const refusedBy = rules.none.filter(has);
  const passes = (rules.any.length === 0 || matchedAny.length > 0) && missingAll.length === 0 && refusedBy.length === 0;
  return { passes, matchedAny, matchedAll, missingAll, refusedBy };
}

export function matchesKeywords(text: string | null, rules: KeywordRules): boolean {
  return evaluateKeywords(text, rules).passes;
}
