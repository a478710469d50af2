import { randomBytes } from 'node:crypto';
import {
  parseInjectDm,
  parseInjectFavorite,
  parseInjectFollow,
  parseInjectMention,
  parseInjectOwnDm,
  parseInjectOwnTweet,
  parseInjectQuote,
  parseInjectTweetDelete,
  parseInjectTweetEdit,
} from './inputs';
import type {
  InjectDmInput,
  InjectFavoriteInput,
  InjectFollowInput,
  InjectMentionInput,
  InjectOwnDmInput,
  InjectOwnTweetInput,
  InjectQuoteInput,
  InjectTweetDeleteInput,
  InjectTweetEditInput,
  XPersonInput,
} from './inputs';
import { toJsonText } from './json-text';
import type { JsonObject } from './json-text';
import {
  dmEventV1,
  dmPayload,
  entitiesV1,
  favoritePayload,
  followPayload,
  parseMentions,
  SIM_X_APP_SOURCE,
  tweetCreatePayload,
  tweetDeletePayload,
  tweetV1,
  userV1,
  WEB_APP_SOURCE,
} from './payloads';
import type { SimulatorState, XDmEvent, XTweet, XUser } from './state';
import type { DeliveryOutcome, DeliverySource, InjectResult, XAccountConfig } from './types';
import { tweetV2, userV2 } from './v2-objects';
import { isPlainObject, SimulatorInputError } from './validation';
import type { WebhookSender } from './webhook-sender';
import { nestedUser, xaaEnvelope } from './xaa';
import type { XaaEventType } from './xaa';

const SAMPLE_MENTIONS = [
  'my order #A1042 still hasn’t shipped, can you check?',
  'I was charged twice this month. Who can help?',
  'the app keeps logging me out since the last update',
  'how do I change the delivery address on an open order?',
];
const LONG_STORY =
  'I ordered a jacket three weeks ago (order #A2290), the tracking page has said "label created" since then, ' +
  'support chat closed my ticket twice without an answer, and the phone line drops after twenty minutes on hold. ' +
  'I would like either the parcel or a refund before the weekend, and ideally someone who reads this whole post.';
const OWN_POST_TEXT = 'New this week: live order tracking in the app. Questions? Reply here or send us a DM.';

/** What an X webhook reports, before it is written as an Account Activity payload or an X Activity envelope. */
type XWebhookEvent =
  | { kind: 'tweet'; tweet: XTweet; viaApp: boolean }
  | { kind: 'dm'; event: XDmEvent; viaApp: boolean }
  | { kind: 'delete'; tweet: XTweet; atMs: number }
  | { kind: 'favorite'; id: string; tweet: XTweet; user: XUser; atMs: number }
  | { kind: 'follow'; type: 'follow' | 'unfollow'; source: XUser; target: XUser; atMs: number };

export type NewTweet = Omit<XTweet, 'mentionIds' | 'deleted' | 'quotedTweetId' | 'editHistoryIds' | 'supersededBy'> &
  Partial<Pick<XTweet, 'quotedTweetId' | 'editHistoryIds'>>;

export function dmConversationId(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

/**
 * X events for a configured account, written in the configured webhook format (Account Activity v1.1 JSON or X
 * Activity API envelopes), plus the echoes of what the backend posted through the API. Accounts configured with
 * `webhook: false` get no webhooks at all: their mentions and DMs are only visible through the polling endpoints.
 */
export class XInjector {
  private sampleIndex = 0;

  constructor(
    private readonly state: SimulatorState,
    private readonly sender: WebhookSender,
  ) {}

  /** A customer's post that mentions (or answers) the account. */
  async injectMention(raw: InjectMentionInput): Promise<InjectResult<{ tweetId: string; authorId: string }>> {
    const input = parseInjectMention(raw);
    const account = this.state.xAccount(input.userId);
    const now = this.state.now();
    const author = this.author(input.from);
    const text =
      input.text ?? (input.long ? `@${account.handle} ${LONG_STORY}` : `@${account.handle} ${this.nextSample()}`);
    const target = input.inReplyToStatusId === undefined ? undefined : this.state.tweets.get(input.inReplyToStatusId);
    const tweet = this.rememberTweet({
      id: this.state.snowflakes.next(now),
      authorId: author.id,
      text,
      inReplyToStatusId: input.inReplyToStatusId ?? null,
      inReplyToUserId: target?.authorId ?? null,
      createdAt: now,
    });
    const ids = { tweetId: tweet.id, authorId: author.id };
    return this.send(account, { kind: 'tweet', tweet, viaApp: false }, ids, input.deliver);
  }

  /** A customer quotes one of the account's posts. */
  async injectQuote(
    raw: InjectQuoteInput,
  ): Promise<InjectResult<{ tweetId: string; authorId: string; quotedTweetId: string }>> {
    const input = parseInjectQuote(raw);
    const account = this.state.xAccount(input.userId);
    const now = this.state.now();
    const quoted = this.ownPost(account, input.quotedTweetId, 'quotedTweetId');
    const author = this.author(input.from);
    const tweet = this.rememberTweet({
      id: this.state.snowflakes.next(now),
      authorId: author.id,
      text: input.text ?? 'Still waiting for this to reach my city…',
      inReplyToStatusId: null,
      inReplyToUserId: null,
      quotedTweetId: quoted.id,
      createdAt: now,
    });
    const ids = { tweetId: tweet.id, authorId: author.id, quotedTweetId: quoted.id };
    return this.send(account, { kind: 'tweet', tweet, viaApp: false }, ids, input.deliver);
  }

  async injectDm(
    raw: InjectDmInput,
  ): Promise<InjectResult<{ eventId: string; conversationId: string; senderId: string }>> {
    const input = parseInjectDm(raw);
    const account = this.state.xAccount(input.userId);
    const now = this.state.now();
    const sender = this.author(input.from);
    const event: XDmEvent = {
      id: this.state.snowflakes.next(now),
      conversationId: dmConversationId(sender.id, account.userId),
      senderId: sender.id,
      recipientId: account.userId,
      text: input.text,
      createdAt: now,
    };
    this.state.dmEvents.push(event);
    const ids = { eventId: event.id, conversationId: event.conversationId, senderId: sender.id };
    return this.send(account, { kind: 'dm', event, viaApp: false }, ids, input.deliver);
  }

  /** A post the account made in the X app rather than through the API (someone posting by hand). */
  async injectOwnTweet(raw: InjectOwnTweetInput): Promise<InjectResult<{ tweetId: string }>> {
    const input = parseInjectOwnTweet(raw);
    const account = this.state.xAccount(input.userId);
    const now = this.state.now();
    const target = input.inReplyToStatusId === undefined ? undefined : this.state.tweets.get(input.inReplyToStatusId);
    const tweet = this.rememberTweet({
      id: this.state.snowflakes.next(now),
      authorId: account.userId,
      text: input.text,
      inReplyToStatusId: input.inReplyToStatusId ?? null,
      inReplyToUserId: target?.authorId ?? null,
      createdAt: now,
    });
    this.state.rememberTweetText(account.userId, input.text);
    return this.send(account, { kind: 'tweet', tweet, viaApp: false }, { tweetId: tweet.id }, input.deliver);
  }

  /** A DM the account sent in the X app rather than through the API. */
  async injectOwnDm(
    raw: InjectOwnDmInput,
  ): Promise<InjectResult<{ eventId: string; conversationId: string; recipientId: string }>> {
    const input = parseInjectOwnDm(raw);
    const account = this.state.xAccount(input.userId);
    const now = this.state.now();
    const recipient = this.author(input.to);
    const event: XDmEvent = {
      id: this.state.snowflakes.next(now),
      conversationId: dmConversationId(account.userId, recipient.id),
      senderId: account.userId,
      recipientId: recipient.id,
      text: input.text,
      createdAt: now,
    };
    this.state.dmEvents.push(event);
    const ids = { eventId: event.id, conversationId: event.conversationId, recipientId: recipient.id };
    return this.send(account, { kind: 'dm', event, viaApp: false }, ids, input.deliver);
  }

  async injectTweetDelete(raw: InjectTweetDeleteInput): Promise<InjectResult<{ tweetId: string }>> {
    const input = parseInjectTweetDelete(raw);
    const account = this.state.xAccount(input.userId);
    const tweet = this.state.tweets.get(input.tweetId);
    if (!tweet) {
      throw new SimulatorInputError('unknown tweet', [{ field: 'tweetId', message: `no tweet ${input.tweetId}` }]);
    }
    tweet.deleted = true;
    const event: XWebhookEvent = { kind: 'delete', tweet, atMs: this.state.now() };
    return this.send(account, event, { tweetId: tweet.id }, input.deliver);
  }

  /** The author edits a post: a new post whose edit history starts with the original (X keeps both ids). */
  async injectTweetEdit(
    raw: InjectTweetEditInput,
  ): Promise<InjectResult<{ tweetId: string; initialTweetId: string; editHistoryIds: string[] }>> {
    const input = parseInjectTweetEdit(raw);
    const account = this.state.xAccount(input.userId);
    let previous = this.state.tweets.get(input.tweetId);
    // Edits always apply to the latest version.
    while (previous?.supersededBy) previous = this.state.tweets.get(previous.supersededBy);
    if (!previous || previous.deleted) {
      throw new SimulatorInputError('unknown tweet', [{ field: 'tweetId', message: `no tweet ${input.tweetId}` }]);
    }
    const now = this.state.now();
    const id = this.state.snowflakes.next(now);
    const history = [...previous.editHistoryIds, id];
    for (const versionId of previous.editHistoryIds) {
      const version = this.state.tweets.get(versionId);
      if (version) version.editHistoryIds = [...history];
    }
    previous.supersededBy = id;
    const tweet = this.rememberTweet({
      id,
      authorId: previous.authorId,
      text: input.text,
      inReplyToStatusId: previous.inReplyToStatusId,
      inReplyToUserId: previous.inReplyToUserId,
      quotedTweetId: previous.quotedTweetId,
      editHistoryIds: history,
      createdAt: now,
    });
    const ids = { tweetId: tweet.id, initialTweetId: history[0] ?? tweet.id, editHistoryIds: history };
    return this.send(account, { kind: 'tweet', tweet, viaApp: false }, ids, input.deliver);
  }

  /** A customer likes one of the account's posts. */
  async injectFavorite(
    raw: InjectFavoriteInput,
  ): Promise<InjectResult<{ favoriteId: string; tweetId: string; userId: string }>> {
    const input = parseInjectFavorite(raw);
    const account = this.state.xAccount(input.userId);
    const tweet = this.ownPost(account, input.tweetId, 'tweetId');
    const user = this.author(input.from);
    const id = randomBytes(16).toString('hex');
    const event: XWebhookEvent = { kind: 'favorite', id, tweet, user, atMs: this.state.now() };
    return this.send(account, event, { favoriteId: id, tweetId: tweet.id, userId: user.id }, input.deliver);
  }

  async injectFollow(raw: InjectFollowInput): Promise<InjectResult<{ sourceId: string; targetId: string }>> {
    const input = parseInjectFollow(raw);
    const account = this.state.xAccount(input.userId);
    const source = this.author(input.from);
    const target = this.state.accountUser(account);
    const event: XWebhookEvent = {
      kind: 'follow',
      type: input.type ?? 'follow',
      source,
      target,
      atMs: this.state.now(),
    };
    return this.send(account, event, { sourceId: source.id, targetId: target.id }, input.deliver);
  }

  // --- echoes of what the backend sent -----------------------------------------------------------------------------

  echoTweet(account: XAccountConfig, tweet: XTweet): Promise<DeliveryOutcome | null> {
    return this.deliver(account, this.payloadFor(account, { kind: 'tweet', tweet, viaApp: true }), 'echo');
  }

  echoDm(account: XAccountConfig, event: XDmEvent): Promise<DeliveryOutcome | null> {
    if (!this.state.xUser(event.recipientId)) this.placeholderXUser(event.recipientId);
    return this.deliver(account, this.payloadFor(account, { kind: 'dm', event, viaApp: true }), 'echo');
  }

  // --- shared helpers (also used by the X router) ------------------------------------------------------------------

  rememberTweet(tweet: NewTweet): XTweet {
    const mentionIds = parseMentions(tweet.text, (name) => this.state.xUserByScreenName(name)).flatMap((m) =>
      m.user ? [m.user.id] : [],
    );
    const stored: XTweet = {
      ...tweet,
      quotedTweetId: tweet.quotedTweetId ?? null,
      editHistoryIds: tweet.editHistoryIds ?? [tweet.id],
      supersededBy: null,
      mentionIds,
      deleted: false,
    };
    this.state.tweets.set(stored.id, stored);
    return stored;
  }

  /** A user X would know but the simulator has not seen (e.g. a DM recipient given only by id). */
  placeholderXUser(id: string): XUser {
    const user: XUser = { ...this.state.newXPerson(), id, screenName: `user_${id.slice(-6)}` };
    return this.state.rememberXUser(user);
  }

  /** Makes the posts and users of a caller-built Account Activity payload known, so that the backend can answer. */
  learn(payload: unknown): void {
    if (!isPlainObject(payload)) return;
    for (const item of Array.isArray(payload.tweet_create_events) ? payload.tweet_create_events : []) {
      if (!isPlainObject(item) || typeof item.id_str !== 'string' || !isPlainObject(item.user)) continue;
      const author = this.learnUser(item.user);
      if (!author) continue;
      const extended = isPlainObject(item.extended_tweet) ? item.extended_tweet : undefined;
      const text =
        typeof extended?.full_text === 'string' ? extended.full_text : typeof item.text === 'string' ? item.text : '';
      this.rememberTweet({
        id: item.id_str,
        authorId: author.id,
        text,
        inReplyToStatusId: typeof item.in_reply_to_status_id_str === 'string' ? item.in_reply_to_status_id_str : null,
        inReplyToUserId: typeof item.in_reply_to_user_id_str === 'string' ? item.in_reply_to_user_id_str : null,
        createdAt: Number(item.timestamp_ms) || this.state.now(),
      });
    }
    if (isPlainObject(payload.users)) {
      for (const user of Object.values(payload.users)) if (isPlainObject(user)) this.learnUser(user);
    }
  }

  // --- formats -----------------------------------------------------------------------------------------------------

  private payloadFor(account: XAccountConfig, event: XWebhookEvent): JsonObject {
    return this.state.config.xWebhookFormat === 'xaa'
      ? this.xaaPayload(account, event)
      : this.aaaPayload(account, event);
  }

  /** Account Activity API (v1.1 JSON with `for_user_id`). */
  private aaaPayload(account: XAccountConfig, event: XWebhookEvent): JsonObject {
    const publicUrl = this.state.publicUrl;
    switch (event.kind) {
      case 'tweet': {
        const own = event.tweet.authorId === account.userId;
        return tweetCreatePayload(account.userId, this.tweetObject(event.tweet, event.viaApp), !own);
      }
      case 'dm': {
        const otherId = event.event.senderId === account.userId ? event.event.recipientId : event.event.senderId;
        const other = this.state.xUser(otherId) ?? this.placeholderXUser(otherId);
        const entities = entitiesV1(event.event.text, (name) => this.state.xUserByScreenName(name));
        const users = [other, this.state.accountUser(account)];
        return dmPayload(
          account.userId,
          dmEventV1(event.event, entities, event.viaApp),
          users,
          publicUrl,
          event.viaApp,
        );
      }
      case 'delete':
        return tweetDeletePayload(account.userId, event.tweet.id, event.tweet.authorId, event.atMs);
      case 'favorite':
        return favoritePayload({
          forUserId: account.userId,
          id: event.id,
          atMs: event.atMs,
          favorited: this.tweetObject(event.tweet, false),
          user: userV1(event.user, publicUrl),
        });
      case 'follow':
        return followPayload({
          forUserId: account.userId,
          type: event.type,
          atMs: event.atMs,
          source: userV1(event.source, publicUrl),
          target: userV1(event.target, publicUrl),
        });
    }
  }

  /** X Activity API envelope (v2 objects; DMs keep the v1.1 event with a `users` map nesting v2 users under `data`). */
  private xaaPayload(account: XAccountConfig, event: XWebhookEvent): JsonObject {
    const publicUrl = this.state.publicUrl;
    const userId = account.userId;
    switch (event.kind) {
      case 'tweet': {
        const { tweet } = event;
        const users = [this.userOf(tweet.authorId)];
        if (tweet.authorId !== userId) users.push(this.state.accountUser(account));
        const referenced = [tweet.inReplyToStatusId, tweet.quotedTweetId].flatMap((id) => {
          const found = id === null ? undefined : this.state.tweets.get(id);
          return found ? [tweetV2(this.state, found)] : [];
        });
        const includes: JsonObject = { users: users.map((user) => userV2(user, publicUrl)) };
        if (referenced.length > 0) includes.tweets = referenced;
        return xaaEnvelope({
          eventType: this.postEventType(account, tweet),
          userId,
          payload: tweetV2(this.state, tweet),
          includes,
        });
      }
      case 'dm': {
        const dm = event.event;
        const entities = entitiesV1(dm.text, (name) => this.state.xUserByScreenName(name));
        const users: JsonObject = {};
        for (const id of [dm.senderId, dm.recipientId]) users[id] = nestedUser(userV2(this.userOf(id), publicUrl));
        return xaaEnvelope({
          eventType: dm.senderId === userId ? 'dm.sent' : 'dm.received',
          userId,
          payload: { direct_message_events: [dmEventV1(dm, entities, event.viaApp)], users },
        });
      }
      case 'delete':
        return xaaEnvelope({
          eventType: 'post.delete',
          userId,
          payload: { id: event.tweet.id, author_id: event.tweet.authorId },
          includes: { users: [nestedUser(userV2(this.userOf(event.tweet.authorId), publicUrl))] },
        });
      case 'favorite':
        return xaaEnvelope({
          eventType: 'like.create',
          userId,
          direction: 'inbound',
          payload: {
            id: event.id,
            created_at: new Date(event.tweet.createdAt).toISOString(),
            timestamp_ms: String(event.atMs),
            liked_tweet_author_id: event.tweet.authorId,
            liked_tweet_id: event.tweet.id,
          },
          includes: { users: [userV2(event.user, publicUrl)], tweets: [tweetV2(this.state, event.tweet)] },
        });
      case 'follow':
        return xaaEnvelope({
          eventType: event.type === 'follow' ? 'follow.follow' : 'follow.unfollow',
          userId,
          payload: {
            source: nestedUser(userV2(event.source, publicUrl)),
            target: nestedUser(userV2(event.target, publicUrl)),
          },
        });
    }
  }

  /**
   * XAA subscribes per event type: the account's own posts (API replies included) are `post.create`, quotes of its
   * posts `post.quote.create`, direct replies to its posts `post.reply.create`, anything else `post.mention.create`.
   */
  private postEventType(account: XAccountConfig, tweet: XTweet): XaaEventType {
    if (tweet.authorId === account.userId) return 'post.create';
    const quoted = tweet.quotedTweetId === null ? undefined : this.state.tweets.get(tweet.quotedTweetId);
    if (quoted?.authorId === account.userId) return 'post.quote.create';
    const parent = tweet.inReplyToStatusId === null ? undefined : this.state.tweets.get(tweet.inReplyToStatusId);
    if (parent?.authorId === account.userId) return 'post.reply.create';
    return 'post.mention.create';
  }

  private tweetObject(tweet: XTweet, viaApp: boolean, depth = 0): JsonObject {
    const author = this.userOf(tweet.authorId);
    const repliedTo = tweet.inReplyToUserId === null ? undefined : this.state.xUser(tweet.inReplyToUserId);
    const quotedTweet = tweet.quotedTweetId === null ? undefined : this.state.tweets.get(tweet.quotedTweetId);
    return tweetV1({
      tweet,
      author,
      inReplyToScreenName: repliedTo?.screenName ?? null,
      publicUrl: this.state.publicUrl,
      resolve: (name) => this.state.xUserByScreenName(name),
      source: viaApp ? SIM_X_APP_SOURCE : WEB_APP_SOURCE,
      // v1.1 embeds one level of quoted post.
      quoted:
        quotedTweet && depth === 0
          ? {
              status: this.tweetObject(quotedTweet, false, 1),
              screenName: this.userOf(quotedTweet.authorId).screenName,
            }
          : undefined,
    });
  }

  // --- internals ---------------------------------------------------------------------------------------------------

  private async send<Ids>(
    account: XAccountConfig,
    event: XWebhookEvent,
    ids: Ids,
    deliver: boolean | undefined,
  ): Promise<InjectResult<Ids>> {
    const payload = this.payloadFor(account, event);
    const rawBody = toJsonText(payload);
    const delivery = deliver === false ? null : await this.deliver(account, payload, 'inject');
    return { ids, payload, rawBody, delivery };
  }

  private deliver(
    account: XAccountConfig,
    payload: JsonObject,
    source: DeliverySource,
  ): Promise<DeliveryOutcome | null> {
    if (account.webhook === false) return Promise.resolve(null);
    return this.sender.deliverTwitter(toJsonText(payload), account, source);
  }

  /** The account's post given by id, else its latest, else a new one (for quotes and likes). */
  private ownPost(account: XAccountConfig, tweetId: string | undefined, field: string): XTweet {
    if (tweetId !== undefined) {
      const tweet = this.state.tweets.get(tweetId);
      if (!tweet || tweet.deleted) {
        throw new SimulatorInputError('unknown tweet', [{ field, message: `no tweet ${tweetId}` }]);
      }
      return tweet;
    }
    let latest: XTweet | undefined;
    for (const tweet of this.state.tweets.values()) {
      if (tweet.authorId !== account.userId || tweet.deleted || tweet.supersededBy) continue;
      if (!latest || BigInt(tweet.id) > BigInt(latest.id)) latest = tweet;
    }
    if (latest) return latest;
    const createdAt = this.state.now() - 3_600_000;
    return this.rememberTweet({
      id: this.state.snowflakes.next(createdAt),
      authorId: account.userId,
      text: OWN_POST_TEXT,
      inReplyToStatusId: null,
      inReplyToUserId: null,
      createdAt,
    });
  }

  private userOf(id: string): XUser {
    return this.state.xUser(id) ?? this.placeholderXUser(id);
  }

  private author(from: XPersonInput | undefined): XUser {
    if (!from) return this.state.rememberXUser(this.state.newXPerson());
    const known = this.state.xUser(from.id);
    const base = known ?? { ...this.state.newXPerson(), id: from.id };
    return this.state.rememberXUser({
      ...base,
      screenName: from.screen_name ?? base.screenName,
      name: from.name ?? base.name,
      followersCount: from.followers_count ?? base.followersCount,
    });
  }

  private nextSample(): string {
    const sample = SAMPLE_MENTIONS[this.sampleIndex % SAMPLE_MENTIONS.length] ?? 'can you help me?';
    this.sampleIndex += 1;
    return sample;
  }

  private learnUser(user: Record<string, unknown>): XUser | undefined {
    const id = typeof user.id_str === 'string' ? user.id_str : typeof user.id === 'string' ? user.id : undefined;
    if (!id || !/^\d+$/.test(id)) return undefined;
    const known = this.state.xUser(id);
    if (known) return known;
    return this.state.rememberXUser({
      ...this.state.newXPerson(),
      id,
      screenName: typeof user.screen_name === 'string' ? user.screen_name : `user_${id.slice(-6)}`,
      name: typeof user.name === 'string' ? user.name : `User ${id.slice(-6)}`,
      followersCount: typeof user.followers_count === 'number' ? user.followers_count : 0,
    });
  }
}
