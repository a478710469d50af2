import { finished } from 'node:stream/promises';
import { messengerMid } from './ids';
import {
  parseInjectComment,
  parseInjectDm,
  parseInjectMention,
  parseInjectMessage,
  parseInjectPost,
  parseInjectRaw,
  parseInjectTweetDelete,
} from './inputs';
import type {
  FbPersonInput,
  InjectCommentInput,
  InjectDmInput,
  InjectMentionInput,
  InjectMessageInput,
  InjectPostInput,
  InjectRawInput,
  InjectTweetDeleteInput,
  XPersonInput,
} from './inputs';
import { toJsonText, toMetaJson } from './json-text';
import type { JsonObject, JsonValue } from './json-text';
import {
  commentChange,
  dmEventV1,
  dmPayload,
  echoMessageEvent,
  entitiesV1,
  feedEnvelope,
  inboundMessageEvent,
  messagingEnvelope,
  parseMentions,
  SIM_X_APP_SOURCE,
  statusChange,
  tweetCreatePayload,
  tweetDeletePayload,
  tweetV1,
  WEB_APP_SOURCE,
} from './payloads';
import type { FbAuthor, MessengerAttachment } from './payloads';
import type { FbComment, FbPost, SimulatorState, XDmEvent, XTweet, XUser } from './state';
import type { DeliveryOutcome, FacebookPageConfig, InjectResult, XAccountConfig } from './types';
import { isPlainObject, SimulatorInputError } from './validation';
import type { WebhookSender } from './webhook-sender';

const SAMPLE_MENTIONS = [
  'my order #A1042 still hasn’t shipped, can you check?',
  'I was charged twice this month. Who can help?',
  'the app keeps logging me out since the last update',
  'how do I change the delivery address on an open order?',
];
const PAGE_POST_TEXT = 'Our spring collection is live! Questions about sizes or delivery? Ask us below.';

export function dmConversationId(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

/**
 * The operations of the control API: create platform events as customers would, remember them so the APIs know
 * them, and deliver them as signed webhooks. Also sends the echo webhooks for what the backend does through the APIs.
 */
export class Injector {
  private sampleIndex = 0;

  constructor(
    private readonly state: SimulatorState,
    private readonly sender: WebhookSender,
  ) {}

  // --- Facebook ----------------------------------------------------------------------------------------------------

  async injectComment(
    raw: InjectCommentInput,
  ): Promise<InjectResult<{ postId: string; commentId: string; parentId: string; fromId: string }>> {
    const input = parseInjectComment(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const nowSec = Math.floor(now / 1000);
    if (input.verb === 'edited' || input.verb === 'remove') {
      const comment = this.state.fbComments.get(input.commentId ?? '');
      if (!comment || comment.pageId !== page.pageId) {
        throw new SimulatorInputError('unknown comment', [
          { field: 'commentId', message: `no comment ${input.commentId} on page ${page.pageId}` },
        ]);
      }
      if (input.verb === 'edited') comment.message = input.text ?? comment.message;
      else comment.deleted = true;
      const value = commentChange({
        from: { id: comment.fromId, name: comment.fromName },
        verb: input.verb,
        commentId: comment.id,
        postId: comment.postId,
        parentId: comment.parentId,
        createdTime: nowSec,
        message: comment.message,
      });
      const ids = { postId: comment.postId, commentId: comment.id, parentId: comment.parentId, fromId: comment.fromId };
      return this.sendFacebook(page, feedEnvelope(page.pageId, nowSec, [value]), ids, input.deliver);
    }

    const author = this.fbAuthor(input.from);
    let postId: string;
    let parentId: string;
    if (input.parentCommentId !== undefined) {
      const parent = this.state.fbComments.get(input.parentCommentId);
      if (parent) {
        postId = parent.postId;
        // Meta keeps one level of replies: an answer to a reply hangs off the top-level comment.
        parentId = parent.parentId === parent.postId ? parent.id : parent.parentId;
      } else {
        const postObject = input.parentCommentId.split('_')[0] ?? '';
        postId = input.postId ? this.normalizePostId(page, input.postId) : `${page.pageId}_${postObject}`;
        parentId = input.parentCommentId;
      }
    } else if (input.postId !== undefined) {
      postId = this.normalizePostId(page, input.postId);
      parentId = postId;
    } else {
      postId = this.newPagePost(page, now).id;
      parentId = postId;
    }
    this.ensurePost(page, postId, now);
    const comment = this.rememberComment({
      id: `${postObjectId(postId)}_${this.state.fbIds.next(now)}`,
      pageId: page.pageId,
      postId,
      parentId,
      fromId: author.id,
      fromName: author.name,
      message: input.text ?? null,
      createdAt: now,
    });
    const value = commentChange({
      from: author,
      verb: 'add',
      commentId: comment.id,
      postId,
      parentId,
      createdTime: nowSec,
      message: comment.message,
    });
    const ids = { postId, commentId: comment.id, parentId, fromId: author.id };
    return this.sendFacebook(page, feedEnvelope(page.pageId, nowSec, [value]), ids, input.deliver);
  }

  /** A visitor post on the page (`item: "status"`). */
  async injectPost(raw: InjectPostInput): Promise<InjectResult<{ postId: string; fromId: string }>> {
    const input = parseInjectPost(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const nowSec = Math.floor(now / 1000);
    const author = this.fbAuthor(input.from);
    const post: FbPost = {
      id: `${page.pageId}_${this.state.fbIds.next(now)}`,
      pageId: page.pageId,
      fromId: author.id,
      fromName: author.name,
      message: input.text,
      createdAt: now,
      privateReplied: false,
      deleted: false,
    };
    this.state.fbPosts.set(post.id, post);
    const value = statusChange({ from: author, postId: post.id, createdTime: nowSec, message: input.text });
    return this.sendFacebook(
      page,
      feedEnvelope(page.pageId, nowSec, [value]),
      { postId: post.id, fromId: author.id },
      input.deliver,
    );
  }

  /** A Messenger message from a customer; it opens (or extends) the 24-hour window of that PSID. */
  async injectMessage(raw: InjectMessageInput): Promise<InjectResult<{ mid: string; psid: string }>> {
    const input = parseInjectMessage(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const person = input.from ?? this.state.newFacebookPerson();
    const psid = person.id;
    this.state.rememberProfile(page.pageId, psid, person.name ?? null);
    this.state.openWindow(page.pageId, psid, now);
    const mid = messengerMid();
    const attachments: MessengerAttachment[] = (input.attachments ?? []).map((a) => ({
      type: a.type,
      payload: (a.payload as JsonObject | undefined) ?? { url: a.url ?? '' },
    }));
    const event = inboundMessageEvent({
      psid,
      pageId: page.pageId,
      timestamp: now,
      mid,
      text: input.text ?? null,
      attachments,
    });
    return this.sendFacebook(page, messagingEnvelope(page.pageId, now, event), { mid, psid }, input.deliver);
  }

  // --- X -----------------------------------------------------------------------------------------------------------

  /** A post by a customer that mentions (or answers) the account, delivered as `tweet_create_events`. */
  async injectMention(raw: InjectMentionInput): Promise<InjectResult<{ tweetId: string; authorId: string }>> {
    const input = parseInjectMention(raw);
    const account = this.state.xAccount(input.userId);
    const now = this.state.now();
    const author = this.xAuthor(input.from);
    const text = input.text ?? `@${account.handle} ${this.nextSample()}`;
    const target = input.inReplyToStatusId === undefined ? undefined : this.state.tweets.get(input.inReplyToStatusId);
    const tweet = this.rememberTweet({
      id: this.state.snowflakes.next(now),
      authorId: author.id,
      text,
      inReplyToStatusId: input.inReplyToStatusId ?? null,
      inReplyToUserId: target?.authorId ?? null,
      createdAt: now,
    });
    const payload = tweetCreatePayload(account.userId, this.tweetObject(tweet, WEB_APP_SOURCE), true);
    return this.sendTwitter(account, payload, { tweetId: tweet.id, authorId: author.id }, input.deliver);
  }

  async injectDm(
    raw: InjectDmInput,
  ): Promise<InjectResult<{ eventId: string; conversationId: string; senderId: string }>> {
    const input = parseInjectDm(raw);
    const account = this.state.xAccount(input.userId);
    const now = this.state.now();
    const sender = this.xAuthor(input.from);
    const event: XDmEvent = {
      id: this.state.snowflakes.next(now),
      conversationId: dmConversationId(sender.id, account.userId),
      senderId: sender.id,
      recipientId: account.userId,
      text: input.text,
      createdAt: now,
    };
    this.state.dmEvents.push(event);
    const payload = this.dmPayloadFor(account, event, sender, false);
    const ids = { eventId: event.id, conversationId: event.conversationId, senderId: sender.id };
    return this.sendTwitter(account, payload, ids, input.deliver);
  }

  async injectTweetDelete(raw: InjectTweetDeleteInput): Promise<InjectResult<{ tweetId: string }>> {
    const input = parseInjectTweetDelete(raw);
    const account = this.state.xAccount(input.userId);
    const tweet = this.state.tweets.get(input.tweetId);
    if (!tweet) {
      throw new SimulatorInputError('unknown tweet', [{ field: 'tweetId', message: `no tweet ${input.tweetId}` }]);
    }
    tweet.deleted = true;
    const payload = tweetDeletePayload(account.userId, tweet.id, tweet.authorId, this.state.now());
    return this.sendTwitter(account, payload, { tweetId: tweet.id }, input.deliver);
  }

  // --- raw ---------------------------------------------------------------------------------------------------------

  /** Signs and sends a caller-built payload; objects in it become known to the APIs (fixtures can be answered). */
  async injectRaw(raw: InjectRawInput): Promise<Omit<InjectResult<null>, 'ids'>> {
    const input = parseInjectRaw(raw);
    const text =
      typeof input.body === 'string'
        ? input.body
        : input.platform === 'facebook'
          ? toMetaJson(input.body)
          : toJsonText(input.body);
    let parsed: unknown = input.body;
    if (typeof input.body === 'string') {
      try {
        parsed = JSON.parse(input.body);
      } catch {
        parsed = null;
      }
    }
    let delivery: DeliveryOutcome;
    if (input.platform === 'facebook') {
      const entryPage = firstString(parsed, ['entry', 0, 'id']);
      const page = this.state.page(
        input.accountId ?? (entryPage && this.state.findPage(entryPage) ? entryPage : undefined),
      );
      this.learnFacebook(parsed);
      delivery = await this.sender.deliverFacebook(text, page, 'raw');
    } else {
      const forUser = firstString(parsed, ['for_user_id']);
      const account = this.state.xAccount(
        input.accountId ?? (forUser && this.state.findXAccount(forUser) ? forUser : undefined),
      );
      this.learnTwitter(parsed);
      delivery = await this.sender.deliverTwitter(text, account, 'raw');
    }
    return { payload: (parsed ?? null) as JsonValue, rawBody: text, delivery };
  }

  // --- echoes of what the backend sent -----------------------------------------------------------------------------

  /**
   * Sends an echo once the API response that caused it has gone out, as the platforms do; the echo may still reach
   * the gateway before the backend has processed the response, which the backend has to cope with anyway.
   */
  echoAfter(response: NodeJS.WritableStream, send: () => Promise<unknown>): void {
    if (!this.state.config.echoes) return;
    this.sender.track(
      finished(response).then(
        () => send(),
        () => send(),
      ),
    );
  }

  echoPageComment(page: FacebookPageConfig, comment: FbComment): Promise<DeliveryOutcome> {
    const timeSec = Math.floor(comment.createdAt / 1000);
    const value = commentChange({
      from: { id: page.pageId, name: page.name },
      verb: 'add',
      commentId: comment.id,
      postId: comment.postId,
      parentId: comment.parentId,
      createdTime: timeSec,
      message: comment.message,
    });
    return this.sender.deliverFacebook(toMetaJson(feedEnvelope(page.pageId, timeSec, [value])), page, 'echo');
  }

  echoMessenger(
    page: FacebookPageConfig,
    message: { psid: string; mid: string; text: string | null; metadata: string | null; timestamp: number },
  ): Promise<DeliveryOutcome> {
    const event = echoMessageEvent({ pageId: page.pageId, appId: page.appId, ...message });
    return this.sender.deliverFacebook(
      toMetaJson(messagingEnvelope(page.pageId, message.timestamp, event)),
      page,
      'echo',
    );
  }

  echoTweet(account: XAccountConfig, tweet: XTweet): Promise<DeliveryOutcome> {
    const payload = tweetCreatePayload(account.userId, this.tweetObject(tweet, SIM_X_APP_SOURCE), false);
    return this.sender.deliverTwitter(toJsonText(payload), account, 'echo');
  }

  echoDm(account: XAccountConfig, event: XDmEvent): Promise<DeliveryOutcome> {
    const recipient = this.state.xUser(event.recipientId) ?? this.placeholderXUser(event.recipientId);
    const payload = this.dmPayloadFor(account, event, recipient, true);
    return this.sender.deliverTwitter(toJsonText(payload), account, 'echo');
  }

  // --- shared helpers (also used by the API routers) ---------------------------------------------------------------

  rememberComment(comment: Omit<FbComment, 'privateReplied' | 'deleted'>): FbComment {
    const stored: FbComment = { ...comment, privateReplied: false, deleted: false };
    this.state.fbComments.set(stored.id, stored);
    return stored;
  }

  rememberTweet(tweet: Omit<XTweet, 'mentionIds' | 'deleted'>): XTweet {
    const mentionIds = parseMentions(tweet.text, (name) => this.state.xUserByScreenName(name)).flatMap((m) =>
      m.user ? [m.user.id] : [],
    );
    const stored: XTweet = { ...tweet, mentionIds, deleted: false };
    this.state.tweets.set(stored.id, stored);
    return stored;
  }

  /** A user X would know but the simulator has not seen (e.g. a DM recipient given only by id). */
  placeholderXUser(id: string): XUser {
    const user: XUser = {
      ...this.state.newXPerson(),
      id,
      screenName: `user_${id.slice(-6)}`,
    };
    return this.state.rememberXUser(user);
  }

  private tweetObject(tweet: XTweet, source: string): JsonObject {
    const author = this.state.xUser(tweet.authorId) ?? this.placeholderXUser(tweet.authorId);
    const repliedTo = tweet.inReplyToUserId === null ? undefined : this.state.xUser(tweet.inReplyToUserId);
    return tweetV1({
      tweet,
      author,
      inReplyToScreenName: repliedTo?.screenName ?? null,
      publicUrl: this.state.publicUrl,
      resolve: (name) => this.state.xUserByScreenName(name),
      source,
    });
  }

  private dmPayloadFor(account: XAccountConfig, event: XDmEvent, other: XUser, viaApp: boolean): JsonObject {
    const entities = entitiesV1(event.text, (name) => this.state.xUserByScreenName(name));
    const users = [other, this.state.accountUser(account)];
    return dmPayload(account.userId, dmEventV1(event, entities, viaApp), users, this.state.publicUrl, viaApp);
  }

  private async sendFacebook<Ids>(
    page: FacebookPageConfig,
    payload: JsonObject,
    ids: Ids,
    deliver: boolean | undefined,
  ): Promise<InjectResult<Ids>> {
    const rawBody = toMetaJson(payload);
    const delivery = deliver === false ? null : await this.sender.deliverFacebook(rawBody, page, 'inject');
    return { ids, payload, rawBody, delivery };
  }

  private async sendTwitter<Ids>(
    account: XAccountConfig,
    payload: JsonObject,
    ids: Ids,
    deliver: boolean | undefined,
  ): Promise<InjectResult<Ids>> {
    const rawBody = toJsonText(payload);
    const delivery = deliver === false ? null : await this.sender.deliverTwitter(rawBody, account, 'inject');
    return { ids, payload, rawBody, delivery };
  }

  private fbAuthor(from: FbPersonInput | undefined): FbAuthor {
    const person = from ?? this.state.newFacebookPerson();
    const user = this.state.rememberFbUser(person.id, person.name ?? null);
    return { id: user.id, name: user.name };
  }

  private xAuthor(from: XPersonInput | undefined): XUser {
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

  private normalizePostId(page: FacebookPageConfig, postId: string): string {
    return postId.includes('_') ? postId : `${page.pageId}_${postId}`;
  }

  private newPagePost(page: FacebookPageConfig, now: number): FbPost {
    const createdAt = now - 3_600_000;
    const post: FbPost = {
      id: `${page.pageId}_${this.state.fbIds.next(createdAt)}`,
      pageId: page.pageId,
      fromId: page.pageId,
      fromName: page.name,
      message: PAGE_POST_TEXT,
      createdAt,
      privateReplied: false,
      deleted: false,
    };
    this.state.fbPosts.set(post.id, post);
    return post;
  }

  /** Posts named by the caller are taken to be the page's own, published an hour ago. */
  private ensurePost(page: FacebookPageConfig, postId: string, now: number): void {
    if (this.state.fbPosts.has(postId)) return;
    this.state.fbPosts.set(postId, {
      id: postId,
      pageId: page.pageId,
      fromId: page.pageId,
      fromName: page.name,
      message: null,
      createdAt: now - 3_600_000,
      privateReplied: false,
      deleted: false,
    });
  }

  private learnFacebook(payload: unknown): void {
    if (!isPlainObject(payload) || !Array.isArray(payload.entry)) return;
    for (const entry of payload.entry) {
      if (!isPlainObject(entry) || typeof entry.id !== 'string') continue;
      const pageId = entry.id;
      for (const event of Array.isArray(entry.messaging) ? entry.messaging : []) {
        const sender = firstString(event, ['sender', 'id']);
        const timestamp = isPlainObject(event) && typeof event.timestamp === 'number' ? event.timestamp : undefined;
        const isEcho = isPlainObject(event) && isPlainObject(event.message) && event.message.is_echo === true;
        if (!sender || sender === pageId || isEcho) continue;
        this.state.rememberProfile(pageId, sender, null);
        this.state.openWindow(pageId, sender, timestamp ?? this.state.now());
      }
      for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
        if (!isPlainObject(change) || change.field !== 'feed' || !isPlainObject(change.value)) continue;
        this.learnFeedValue(pageId, change.value);
      }
    }
  }

  private learnFeedValue(pageId: string, value: Record<string, unknown>): void {
    const postId = typeof value.post_id === 'string' ? value.post_id : undefined;
    const fromId = firstString(value, ['from', 'id']) ?? '0';
    const fromName = firstString(value, ['from', 'name']) ?? null;
    const created = typeof value.created_time === 'number' ? value.created_time * 1000 : this.state.now();
    const message = typeof value.message === 'string' ? value.message : null;
    if (!postId || value.verb !== 'add') return;
    if (value.item === 'comment' && typeof value.comment_id === 'string') {
      if (!this.state.fbPosts.has(postId)) {
        this.state.fbPosts.set(postId, {
          id: postId,
          pageId,
          fromId: pageId,
          fromName: null,
          message: null,
          createdAt: created,
          privateReplied: false,
          deleted: false,
        });
      }
      this.rememberComment({
        id: value.comment_id,
        pageId,
        postId,
        parentId: typeof value.parent_id === 'string' ? value.parent_id : postId,
        fromId,
        fromName,
        message,
        createdAt: created,
      });
      this.state.rememberFbUser(fromId, fromName);
    } else if (['status', 'post', 'photo', 'video', 'share'].includes(String(value.item))) {
      this.state.fbPosts.set(postId, {
        id: postId,
        pageId,
        fromId,
        fromName,
        message,
        createdAt: created,
        privateReplied: false,
        deleted: false,
      });
    }
  }

  private learnTwitter(payload: unknown): void {
    if (!isPlainObject(payload)) return;
    for (const item of Array.isArray(payload.tweet_create_events) ? payload.tweet_create_events : []) {
      if (!isPlainObject(item) || typeof item.id_str !== 'string' || !isPlainObject(item.user)) continue;
      const author = this.learnXUser(item.user);
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
      for (const user of Object.values(payload.users)) if (isPlainObject(user)) this.learnXUser(user);
    }
  }

  private learnXUser(user: Record<string, unknown>): XUser | undefined {
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

function postObjectId(postId: string): string {
  return postId.split('_')[1] ?? postId;
}

/** Follows a path of keys and indices into untrusted JSON; returns the string found there. */
function firstString(value: unknown, path: Array<string | number>): string | undefined {
  let current: unknown = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isPlainObject(current) ? current[step] : undefined;
  }
  return typeof current === 'string' ? current : undefined;
}
