import type { NormalizedEvent } from './types';

/**
 * The characters of every id Meta and X hand out (digits, `_` in Graph object ids, `-` `:` `.` `=` `+` `/` in
 * Messenger message ids), bounded. Conversation keys and workflow ids are built from them, so an id from a signed but
 * forged payload that holds anything else (`~`, which separates an account from a key, whitespace, quotes) is refused.
 */
const PLATFORM_ID = /^[A-Za-z0-9_.:=+/-]{1,255}$/;

export function isPlatformId(value: string): boolean {
  return PLATFORM_ID.test(value);
}

/** Whether every id the event carries (its own, its thread's, its author's) has a platform's form. */
export function hasWellFormedIds(event: NormalizedEvent): boolean {
  const ids: (string | null | undefined)[] = [event.accountPlatformId, event.platformMessageId];
  if (event.kind === 'message') {
    const thread = event.thread;
    ids.push(event.inReplyTo, event.editOf, event.author?.platformUserId);
    if (thread.kind === 'key') ids.push(thread.conversationKey);
    else ids.push(thread.inReplyToPlatformId, thread.fallbackKey);
  }
  return ids.every((id) => id === null || id === undefined || isPlatformId(id));
}
