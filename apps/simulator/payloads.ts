import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from './json-text';
import type { XDmEvent, XTweet, XUser } from './state';

/*
 * Builders of webhook payloads in the platforms' wire shapes (platform-apis.md §1.2-1.4 for Meta, §2.3 for X's
 * Account Activity v1.1 JSON). They are pure: the injector decides ids, times and people.
 */

// --- Meta --------------------------------------------------------------------------------------------------------

export interface FbAuthor {
  id: string;
  name: string | null;
}

function fbFrom(author: FbAuthor): JsonObject {
  return author.name === null ? { id: author.id } : { id: author.id, name: author.name };
}

/** Feed changes use epoch seconds for `entry.time` and `created_time`. */
export function feedEnvelope(pageId: string, timeSec: number, values: JsonObject[]): JsonObject {
  return {
    object: 'page',
    entry: [{ id: pageId, time: timeSec, changes: values.map((value) => ({ field: 'feed', value })) }],
  };
}

export function commentChange(input: {
  from: FbAuthor;
  verb: 'add' | 'edited' | 'remove' | 'hide' | 'unhide';
  commentId: string;
  postId: string;
  parentId: string;
  createdTime: number;
  message: string | null;
}): JsonObject {
  return {
    from: fbFrom(input.from),
    item: 'comment',
    verb: input.verb,
    comment_id: input.commentId,
    post_id: input.postId,
    parent_id: input.parentId,
    created_time: input.createdTime,
    message: input.verb === 'remove' || input.message === null ? undefined : input.message,
    is_hidden: input.verb === 'hide' ? true : input.verb === 'unhide' ? false : undefined,
  };
}

export function reactionChange(input: {
  from: FbAuthor;
  verb: 'add' | 'edit' | 'remove';
  reactionType: string;
  postId: string;
  commentId: string | null;
  parentId: string;
  createdTime: number;
}): JsonObject {
  return {
    reaction_type: input.reactionType,
    from: fbFrom(input.from),
    parent_id: input.parentId,
    comment_id: input.commentId ?? undefined,
    post_id: input.postId,
    verb: input.verb,
    item: 'reaction',
    created_time: input.createdTime,
  };
}

export function statusChange(input: {
  from: FbAuthor;
  postId: string;
  createdTime: number;
  message: string;
}): JsonObject {
  return {
    from: fbFrom(input.from),
    message: input.message,
    post_id: input.postId,
    created_time: input.createdTime,
    item: 'status',
    published: 1,
    verb: 'add',
  };
}

/**
 * Messenger uses epoch milliseconds for `entry.time` and `timestamp`; `messaging` holds exactly one event. When
 * another app owns the thread, the event arrives in `standby` instead.
 */
export function messagingEnvelope(
  pageId: string,
  timeMs: number,
  event: JsonObject,
  channel: 'messaging' | 'standby' = 'messaging',
): JsonObject {
  return { object: 'page', entry: [{ id: pageId, time: timeMs, [channel]: [event] }] };
}

/** What the App Dashboard's "Test" button sends: a sample event under the entry id "0". */
export function dashboardTestPayload(field: 'feed' | 'messages', timeMs: number): JsonObject {
  if (field === 'messages') {
    return messagingEnvelope('0', timeMs, {
      sender: { id: '12334' },
      recipient: { id: '23245' },
      timestamp: 1527459824,
      message: { mid: 'test_message_id', text: 'test_message' },
    });
  }
  const timeSec = Math.floor(timeMs / 1000);
  return {
    object: 'page',
    entry: [
      {
        id: '0',
        time: timeSec,
        changes: [
          {
            field: 'feed',
            value: {
              item: 'status',
              post_id: '44444444_444444444',
              verb: 'add',
              published: 1,
              created_time: timeSec,
              message: 'Example post content.',
              from: { name: 'Test Page', id: '1067280970047460' },
            },
          },
        ],
      },
    ],
  };
}

/** Meta stopped sending stickers as an `image` attachment too on 2026-08-30. */
export const STICKER_IMAGE_CUTOFF_MS = Date.UTC(2026, 7, 30);

export function stickerAttachments(input: { stickerId: string; url: string; atMs: number }): MessengerAttachment[] {
  const payload: JsonObject = { url: input.url, sticker_id: BigInt(input.stickerId) };
  const sticker: MessengerAttachment = { type: 'sticker', payload };
  return input.atMs < STICKER_IMAGE_CUTOFF_MS ? [sticker, { type: 'image', payload: { ...payload } }] : [sticker];
}

export function deliveryEvent(input: { psid: string; pageId: string; mids: string[]; watermark: number }): JsonObject {
  return {
    sender: { id: input.psid },
    recipient: { id: input.pageId },
    delivery: { mids: input.mids.length > 0 ? input.mids : undefined, watermark: input.watermark },
  };
}

export function readEvent(input: { psid: string; pageId: string; timestamp: number; watermark: number }): JsonObject {
  return {
    sender: { id: input.psid },
    recipient: { id: input.pageId },
    timestamp: input.timestamp,
    read: { watermark: input.watermark },
  };
}

export function postbackEvent(input: {
  psid: string;
  pageId: string;
  timestamp: number;
  mid: string;
  title: string;
  payload: string;
  referral: JsonObject | undefined;
}): JsonObject {
  return {
    sender: { id: input.psid },
    recipient: { id: input.pageId },
    timestamp: input.timestamp,
    postback: { mid: input.mid, title: input.title, payload: input.payload, referral: input.referral },
  };
}

export function messageEditEvent(input: {
  psid: string;
  pageId: string;
  timestamp: number;
  mid: string;
  text: string;
  numEdit: number;
}): JsonObject {
  return {
    sender: { id: input.psid },
    recipient: { id: input.pageId },
    timestamp: input.timestamp,
    message_edit: { mid: input.mid, text: input.text, num_edit: input.numEdit },
  };
}

// A type alias rather than an interface, so that it is assignable to JsonValue.
export type MessengerAttachment = {
  type: string;
  payload: JsonObject;
};

export function inboundMessageEvent(input: {
  psid: string;
  pageId: string;
  timestamp: number;
  mid: string;
  text: string | null;
  attachments: MessengerAttachment[];
}): JsonObject {
  return {
    sender: { id: input.psid },
    recipient: { id: input.pageId },
    timestamp: input.timestamp,
    message: {
      mid: input.mid,
      text: input.text ?? undefined,
      attachments: input.attachments.length > 0 ? input.attachments : undefined,
    },
  };
}

/** The echo Meta sends for a message the page sent; `app_id` is a JSON number there. */
export function echoMessageEvent(input: {
  pageId: string;
  psid: string;
  timestamp: number;
  mid: string;
  text: string | null;
  appId: string;
  metadata: string | null;
}): JsonObject {
  return {
    sender: { id: input.pageId },
    recipient: { id: input.psid },
    timestamp: input.timestamp,
    message: {
      is_echo: true,
      app_id: BigInt(input.appId),
      metadata: input.metadata ?? undefined,
      mid: input.mid,
      text: input.text ?? undefined,
    },
  };
}

// --- X -----------------------------------------------------------------------------------------------------------

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** v1.1 date format, e.g. `Fri Dec 13 04:48:09 +0000 2019`. */
export function twitterDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`
  );
}

/** Stand-in for a profile picture URL; the simulator serves these so that demos work offline. */
export function avatarUrl(publicUrl: string, id: string): string {
  return publicUrl
    ? `${publicUrl}/_sim/avatars/${id}.svg`
    : 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png';
}

/** v1.1 user object: `id` is a bare 64-bit number, so it is a bigint here. */
export function userV1(user: XUser, publicUrl: string): JsonObject {
  return {
    id: BigInt(user.id),
    id_str: user.id,
    name: user.name,
    screen_name: user.screenName,
    location: user.location,
    url: null,
    description: user.description,
    protected: false,
    verified: user.verified,
    followers_count: user.followersCount,
    friends_count: user.friendsCount,
    listed_count: 0,
    favourites_count: 0,
    statuses_count: user.statusesCount,
    created_at: twitterDate(user.createdAt),
    profile_image_url_https: avatarUrl(publicUrl, user.id),
    default_profile: true,
    default_profile_image: false,
  };
}

/** The user objects of a DM payload's `users` map carry `id` as a string. */
export function dmUser(user: XUser, publicUrl: string): JsonObject {
  return {
    id: user.id,
    created_timestamp: String(user.createdAt),
    name: user.name,
    screen_name: user.screenName,
    location: user.location ?? undefined,
    description: user.description ?? undefined,
    protected: false,
    verified: user.verified,
    followers_count: user.followersCount,
    friends_count: user.friendsCount,
    statuses_count: user.statusesCount,
    profile_image_url_https: avatarUrl(publicUrl, user.id),
  };
}

export interface ParsedMention {
  screenName: string;
  user: XUser | undefined;
  /** Code-point indices, as X counts them. */
  indices: [number, number];
}

const MENTION = /(^|[^A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@])/g;
const HASHTAG = /(^|[^A-Za-z0-9_#&])#([\p{L}\p{N}_]+)/gu;
const URL_PATTERN = /https?:\/\/[^\s]+/g;

function codePointIndex(text: string, utf16Index: number): number {
  return Array.from(text.slice(0, utf16Index)).length;
}

export function parseMentions(text: string, resolve: (screenName: string) => XUser | undefined): ParsedMention[] {
  const mentions: ParsedMention[] = [];
  for (const match of text.matchAll(MENTION)) {
    const lead = match[1] ?? '';
    const screenName = match[2] ?? '';
    const start = codePointIndex(text, (match.index ?? 0) + lead.length);
    mentions.push({ screenName, user: resolve(screenName), indices: [start, start + 1 + screenName.length] });
  }
  return mentions;
}

export interface ParsedHashtag {
  tag: string;
  indices: [number, number];
}

export function parseHashtags(text: string): ParsedHashtag[] {
  return Array.from(text.matchAll(HASHTAG), (match) => {
    const lead = match[1] ?? '';
    const tag = match[2] ?? '';
    const start = codePointIndex(text, (match.index ?? 0) + lead.length);
    return { tag, indices: [start, start + 1 + Array.from(tag).length] };
  });
}

export interface ParsedUrl {
  url: string;
  indices: [number, number];
}

export function parseUrls(text: string): ParsedUrl[] {
  return Array.from(text.matchAll(URL_PATTERN), (match) => {
    const start = codePointIndex(text, match.index ?? 0);
    return { url: match[0], indices: [start, start + Array.from(match[0]).length] };
  });
}

export function entitiesV1(text: string, resolve: (screenName: string) => XUser | undefined): JsonObject {
  const hashtags: JsonObject[] = parseHashtags(text).map((h) => ({ text: h.tag, indices: h.indices }));
  const urls: JsonObject[] = parseUrls(text).map((u) => ({
    url: u.url,
    expanded_url: u.url,
    display_url: u.url.replace(/^https?:\/\//, ''),
    indices: u.indices,
  }));
  // Only mentions of existing accounts become entities, as on X.
  const userMentions: JsonObject[] = parseMentions(text, resolve).flatMap((mention) =>
    mention.user
      ? [
          {
            screen_name: mention.user.screenName,
            name: mention.user.name,
            id: BigInt(mention.user.id),
            id_str: mention.user.id,
            indices: mention.indices,
          },
        ]
      : [],
  );
  return { hashtags, urls, user_mentions: userMentions, symbols: [] };
}

const TRUNCATE_AT = 140;

function tcoLink(tweetId: string): string {
  return `https://t.co/${createHash('sha1').update(tweetId).digest('base64url').replace(/[-_]/g, 'x').slice(0, 10)}`;
}

export function tweetV1(input: {
  tweet: XTweet;
  author: XUser;
  inReplyToScreenName: string | null;
  publicUrl: string;
  resolve: (screenName: string) => XUser | undefined;
  source: string;
  /** The v1.1 object of the quoted post, for a quote. */
  quoted?: { status: JsonObject; screenName: string };
}): JsonObject {
  const { tweet } = input;
  const codePoints = Array.from(tweet.text);
  const fullEntities = entitiesV1(tweet.text, input.resolve);
  let text = tweet.text;
  let entities = fullEntities;
  let extended: JsonObject | undefined;
  if (codePoints.length > TRUNCATE_AT) {
    // Webhooks carry long posts like the v1.1 streaming format: truncated `text`, the whole one in `extended_tweet`.
    const link = tcoLink(tweet.id);
    const head = codePoints.slice(0, TRUNCATE_AT - 2 - link.length).join('');
    text = `${head}… ${link}`;
    const headEntities = entitiesV1(head, input.resolve);
    const linkStart = Array.from(head).length + 2;
    entities = {
      ...headEntities,
      urls: [
        {
          url: link,
          expanded_url: `https://twitter.com/i/web/status/${tweet.id}`,
          display_url: `twitter.com/i/web/status/${tweet.id.slice(0, 1)}…`,
          indices: [linkStart, linkStart + link.length],
        },
      ],
    };
    extended = { full_text: tweet.text, display_text_range: [0, codePoints.length], entities: fullEntities };
  }
  return {
    created_at: twitterDate(tweet.createdAt),
    id: BigInt(tweet.id),
    id_str: tweet.id,
    text,
    source: input.source,
    truncated: extended !== undefined,
    in_reply_to_status_id: tweet.inReplyToStatusId === null ? null : BigInt(tweet.inReplyToStatusId),
    in_reply_to_status_id_str: tweet.inReplyToStatusId,
    in_reply_to_user_id: tweet.inReplyToUserId === null ? null : BigInt(tweet.inReplyToUserId),
    in_reply_to_user_id_str: tweet.inReplyToUserId,
    in_reply_to_screen_name: input.inReplyToScreenName,
    user: userV1(input.author, input.publicUrl),
    geo: null,
    coordinates: null,
    place: null,
    contributors: null,
    is_quote_status: input.quoted !== undefined,
    quoted_status_id: tweet.quotedTweetId === null ? undefined : BigInt(tweet.quotedTweetId),
    quoted_status_id_str: tweet.quotedTweetId ?? undefined,
    quoted_status: input.quoted?.status,
    quoted_status_permalink:
      input.quoted && tweet.quotedTweetId
        ? {
            url: tcoLink(`q${tweet.quotedTweetId}`),
            expanded: `https://twitter.com/${input.quoted.screenName}/status/${tweet.quotedTweetId}`,
            display: `twitter.com/${input.quoted.screenName}/…`,
          }
        : undefined,
    extended_tweet: extended,
    quote_count: 0,
    reply_count: 0,
    retweet_count: 0,
    favorite_count: 0,
    entities,
    favorited: false,
    retweeted: false,
    filter_level: 'low',
    lang: 'en',
    edit_history: { initial_tweet_id: tweet.editHistoryIds[0] ?? tweet.id, edit_tweet_ids: [...tweet.editHistoryIds] },
    timestamp_ms: String(tweet.createdAt),
  };
}

export const WEB_APP_SOURCE = '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>';

/** The X app the backend's own posts and DMs are attributed to. */
export const SIM_X_APP = { id: '29000001', name: 'Switchboard', url: 'https://github.com/switchboard' } as const;
export const SIM_X_APP_SOURCE = `<a href="${SIM_X_APP.url}" rel="nofollow">${SIM_X_APP.name}</a>`;

export function tweetCreatePayload(forUserId: string, tweet: JsonObject, isMention: boolean): JsonObject {
  return {
    for_user_id: forUserId,
    user_has_blocked: isMention ? false : undefined,
    tweet_create_events: [tweet],
  };
}

export function dmEventV1(event: XDmEvent, entities: JsonObject, viaApp: boolean): JsonObject {
  return {
    type: 'message_create',
    id: event.id,
    created_timestamp: String(event.createdAt),
    message_create: {
      target: { recipient_id: event.recipientId },
      sender_id: event.senderId,
      source_app_id: viaApp ? SIM_X_APP.id : undefined,
      message_data: { text: event.text, entities },
    },
  };
}

export function dmPayload(
  forUserId: string,
  event: JsonObject,
  users: XUser[],
  publicUrl: string,
  viaApp: boolean,
): JsonObject {
  const userMap: JsonObject = {};
  for (const user of users) userMap[user.id] = dmUser(user, publicUrl);
  const apps: JsonValue | undefined = viaApp ? { [SIM_X_APP.id]: { ...SIM_X_APP } } : undefined;
  return { for_user_id: forUserId, direct_message_events: [event], apps, users: userMap };
}

export function favoritePayload(input: {
  forUserId: string;
  id: string;
  atMs: number;
  favorited: JsonObject;
  user: JsonObject;
}): JsonObject {
  return {
    for_user_id: input.forUserId,
    favorite_events: [
      {
        id: input.id,
        created_at: twitterDate(input.atMs),
        timestamp_ms: input.atMs,
        favorited_status: input.favorited,
        user: input.user,
      },
    ],
  };
}

export function followPayload(input: {
  forUserId: string;
  type: 'follow' | 'unfollow';
  atMs: number;
  source: JsonObject;
  target: JsonObject;
}): JsonObject {
  return {
    for_user_id: input.forUserId,
    follow_events: [
      { type: input.type, created_timestamp: String(input.atMs), target: input.target, source: input.source },
    ],
  };
}

export function tweetDeletePayload(forUserId: string, tweetId: string, authorId: string, atMs: number): JsonObject {
  return {
    for_user_id: forUserId,
    tweet_delete_events: [{ status: { id: tweetId, user_id: authorId }, timestamp_ms: String(atMs) }],
  };
}
