import type { JsonObject } from './json-text';
import { avatarUrl, parseHashtags, parseMentions, parseUrls } from './payloads';
import type { SimulatorState, XDmEvent, XTweet, XUser } from './state';

/*
 * X API v2 objects (posts, users, DM events) as the REST timelines and the X Activity API payloads carry them. The
 * builders produce every field the simulator knows; `pick*` keeps what a request's `*.fields` asked for, since v2
 * returns only `id`, `text` / `name` / `username` and `edit_history_tweet_ids` by default.
 */

/** Longer posts are "note tweets": v2 `text` holds the start, `note_tweet.text` the whole post. */
export const NOTE_TWEET_THRESHOLD = 280;

export function userV2(user: XUser, publicUrl: string): JsonObject {
  return {
    id: user.id,
    name: user.name,
    username: user.screenName,
    created_at: new Date(user.createdAt).toISOString(),
    description: user.description ?? '',
    location: user.location ?? undefined,
    profile_image_url: avatarUrl(publicUrl, user.id),
    protected: false,
    public_metrics: {
      followers_count: user.followersCount,
      following_count: user.friendsCount,
      tweet_count: user.statusesCount,
      listed_count: 0,
    },
    url: '',
    verified: user.verified,
    verified_type: user.verified ? 'blue' : 'none',
  };
}

export function pickUserFields(user: JsonObject, fields: string[] | undefined): JsonObject {
  return pick(user, ['id', 'name', 'username'], fields);
}

/** The first post of the reply chain, as far as the simulator knows it. */
export function conversationRoot(state: SimulatorState, tweet: XTweet): string {
  let current = tweet;
  const seen = new Set<string>();
  while (current.inReplyToStatusId && !seen.has(current.id)) {
    seen.add(current.id);
    const parent = state.tweets.get(current.inReplyToStatusId);
    if (!parent) return current.inReplyToStatusId;
    current = parent;
  }
  return current.id;
}

function entitiesV2(state: SimulatorState, text: string): JsonObject | undefined {
  const mentions = parseMentions(text, (name) => state.xUserByScreenName(name)).flatMap((m) =>
    m.user ? [{ start: m.indices[0], end: m.indices[1], username: m.user.screenName, id: m.user.id }] : [],
  );
  const hashtags = parseHashtags(text).map((h) => ({ start: h.indices[0], end: h.indices[1], tag: h.tag }));
  const urls = parseUrls(text).map((u) => ({
    start: u.indices[0],
    end: u.indices[1],
    url: u.url,
    expanded_url: u.url,
    display_url: u.url.replace(/^https?:\/\//, ''),
  }));
  const entities: JsonObject = {};
  if (mentions.length > 0) entities.mentions = mentions;
  if (hashtags.length > 0) entities.hashtags = hashtags;
  if (urls.length > 0) entities.urls = urls;
  return Object.keys(entities).length > 0 ? entities : undefined;
}

/** The visible start of a long post in v2 `text`: up to 280 characters, cut at a word boundary. */
export function noteTweetHead(text: string): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= NOTE_TWEET_THRESHOLD) return text;
  const head = codePoints.slice(0, NOTE_TWEET_THRESHOLD).join('');
  const lastSpace = head.search(/\s\S*$/);
  return (lastSpace > NOTE_TWEET_THRESHOLD / 2 ? head.slice(0, lastSpace) : head).trimEnd();
}

export function tweetV2(state: SimulatorState, tweet: XTweet): JsonObject {
  const long = Array.from(tweet.text).length > NOTE_TWEET_THRESHOLD;
  const text = long ? noteTweetHead(tweet.text) : tweet.text;
  const referenced: JsonObject[] = [];
  if (tweet.inReplyToStatusId) referenced.push({ type: 'replied_to', id: tweet.inReplyToStatusId });
  if (tweet.quotedTweetId) referenced.push({ type: 'quoted', id: tweet.quotedTweetId });
  return {
    id: tweet.id,
    text,
    edit_history_tweet_ids: [...tweet.editHistoryIds],
    author_id: tweet.authorId,
    created_at: new Date(tweet.createdAt).toISOString(),
    conversation_id: conversationRoot(state, tweet),
    in_reply_to_user_id: tweet.inReplyToUserId ?? undefined,
    referenced_tweets: referenced.length > 0 ? referenced : undefined,
    entities: entitiesV2(state, text),
    note_tweet: long ? { text: tweet.text, entities: entitiesV2(state, tweet.text) } : undefined,
    lang: 'en',
    reply_settings: 'everyone',
    possibly_sensitive: false,
    public_metrics: {
      retweet_count: 0,
      reply_count: 0,
      like_count: 0,
      quote_count: 0,
      bookmark_count: 0,
      impression_count: 0,
    },
  };
}

export function pickTweetFields(tweet: JsonObject, fields: string[] | undefined): JsonObject {
  return pick(tweet, ['id', 'text', 'edit_history_tweet_ids'], fields);
}

export function dmEventV2(event: XDmEvent): JsonObject {
  return {
    id: event.id,
    event_type: 'MessageCreate',
    text: event.text,
    sender_id: event.senderId,
    dm_conversation_id: event.conversationId,
    created_at: new Date(event.createdAt).toISOString(),
  };
}

export function pickDmEventFields(event: JsonObject, fields: string[] | undefined): JsonObject {
  return pick(event, ['id', 'event_type', 'text'], fields);
}

function pick(object: JsonObject, always: string[], fields: string[] | undefined): JsonObject {
  const result: JsonObject = {};
  for (const field of [...always, ...(fields ?? [])]) {
    const value = object[field];
    if (value !== undefined) result[field] = value;
  }
  return result;
}
