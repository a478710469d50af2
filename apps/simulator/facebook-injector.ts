import { messengerMid } from './ids';
import {
  parseInjectComment,
  parseInjectInboxEcho,
  parseInjectMessage,
  parseInjectMessageEdit,
  parseInjectPost,
  parseInjectPostback,
  parseInjectReaction,
  parseInjectReceipt,
  parseInjectStandby,
  parseInjectTest,
} from './inputs';
import type {
  FbPersonInput,
  InjectCommentInput,
  InjectInboxEchoInput,
  InjectMessageEditInput,
  InjectMessageInput,
  InjectPostbackInput,
  InjectPostInput,
  InjectReactionInput,
  InjectReceiptInput,
  InjectStandbyInput,
  InjectTestInput,
} from './inputs';
import { toMetaJson } from './json-text';
import type { JsonObject } from './json-text';
import {
  commentChange,
  dashboardTestPayload,
  deliveryEvent,
  echoMessageEvent,
  feedEnvelope,
  inboundMessageEvent,
  messageEditEvent,
  messagingEnvelope,
  postbackEvent,
  reactionChange,
  readEvent,
  statusChange,
  stickerAttachments,
} from './payloads';
import type { FbAuthor, MessengerAttachment } from './payloads';
import type { FbComment, FbPost, SimulatorState } from './state';
import type { DeliveryOutcome, FacebookPageConfig, InjectResult } from './types';
import { firstString, isPlainObject, SimulatorInputError } from './validation';
import type { WebhookSender } from './webhook-sender';

/** Messages typed in Meta's Page Inbox (Business Suite) echo with this app id since Graph v12. */
export const PAGE_INBOX_APP_ID = '263902037430900';
/** The thumbs-up sticker. */
export const DEFAULT_STICKER_ID = '369239263222822';

const PAGE_POST_TEXT = 'Our spring collection is live! Questions about sizes or delivery? Ask us below.';
const HOUR_MS = 3_600_000;

type CommentIds = { postId: string; commentId: string; parentId: string; fromId: string };

/**
 * Page events as Meta delivers them (platform-apis.md §1.3-1.4): comments and posts on the `feed` field, Messenger
 * events in `messaging[]` (or `standby[]`), plus the echoes of what the backend did through the Graph API.
 */
export class FacebookInjector {
  constructor(
    private readonly state: SimulatorState,
    private readonly sender: WebhookSender,
  ) {}

  async injectComment(raw: InjectCommentInput): Promise<InjectResult<CommentIds>> {
    const input = parseInjectComment(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const nowSec = Math.floor(now / 1000);
    if (input.verb !== undefined && input.verb !== 'add') {
      const comment = this.state.fbComments.get(input.commentId ?? '');
      if (!comment || comment.pageId !== page.pageId) {
        throw new SimulatorInputError('unknown comment', [
          { field: 'commentId', message: `no comment ${input.commentId} on page ${page.pageId}` },
        ]);
      }
      if (input.verb === 'edited') comment.message = input.text ?? comment.message;
      else if (input.verb === 'remove') comment.deleted = true;
      else comment.hidden = input.verb === 'hide';
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
      return this.send(page, feedEnvelope(page.pageId, nowSec, [value]), ids, input.deliver);
    }

    const author = this.author(input.from);
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
        postId = input.postId ? normalizePostId(page, input.postId) : `${page.pageId}_${postObject}`;
        parentId = input.parentCommentId;
      }
    } else if (input.postId !== undefined) {
      postId = normalizePostId(page, input.postId);
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
    return this.send(page, feedEnvelope(page.pageId, nowSec, [value]), ids, input.deliver);
  }

  /** A visitor post on the page (`item: "status"`), or the page's own post with `asPage` / `from.id` = the page. */
  async injectPost(raw: InjectPostInput): Promise<InjectResult<{ postId: string; fromId: string }>> {
    const input = parseInjectPost(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const nowSec = Math.floor(now / 1000);
    const byPage = input.asPage === true || input.from?.id === page.pageId;
    const author: FbAuthor = byPage ? { id: page.pageId, name: page.name } : this.author(input.from);
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
    const ids = { postId: post.id, fromId: author.id };
    return this.send(page, feedEnvelope(page.pageId, nowSec, [value]), ids, input.deliver);
  }

  /** A Messenger message from a customer; it opens (or extends) the 24-hour window of that PSID. */
  async injectMessage(raw: InjectMessageInput): Promise<InjectResult<{ mid: string; psid: string }>> {
    const input = parseInjectMessage(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const psid = this.messenger(page, input.from, now);
    const mid = messengerMid();
    const attachments: MessengerAttachment[] = (input.attachments ?? []).map((a) => ({
      type: a.type,
      payload: (a.payload as JsonObject | undefined) ?? { url: a.url ?? '' },
    }));
    if (input.sticker) {
      const sticker = input.sticker === true ? {} : input.sticker;
      const stickerId = sticker.id ?? DEFAULT_STICKER_ID;
      const url = sticker.url ?? `${this.state.publicUrl}/_sim/stickers/${stickerId}.svg`;
      attachments.push(...stickerAttachments({ stickerId, url, atMs: now }));
    }
    this.rememberInbound(page, psid, mid, input.text ?? null);
    const event = inboundMessageEvent({
      psid,
      pageId: page.pageId,
      timestamp: now,
      mid,
      text: input.text ?? null,
      attachments,
    });
    return this.send(page, messagingEnvelope(page.pageId, now, event), { mid, psid }, input.deliver);
  }

  /** A reaction on a comment (or on a post when no comment is given). */
  async injectReaction(
    raw: InjectReactionInput,
  ): Promise<InjectResult<{ postId: string; commentId: string | null; fromId: string }>> {
    const input = parseInjectReaction(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const nowSec = Math.floor(now / 1000);
    let target: { postId: string; commentId: string | null; parentId: string };
    if (input.commentId !== undefined) {
      const comment = this.state.fbComments.get(input.commentId);
      if (!comment || comment.pageId !== page.pageId) {
        throw new SimulatorInputError('unknown comment', [
          { field: 'commentId', message: `no comment ${input.commentId} on page ${page.pageId}` },
        ]);
      }
      target = { postId: comment.postId, commentId: comment.id, parentId: comment.parentId };
    } else {
      const postId = input.postId ? normalizePostId(page, input.postId) : this.newPagePost(page, now).id;
      this.ensurePost(page, postId, now);
      target = { postId, commentId: null, parentId: postId };
    }
    const author = this.author(input.from);
    const value = reactionChange({
      from: author,
      verb: input.verb ?? 'add',
      reactionType: input.reaction ?? 'like',
      ...target,
      createdTime: nowSec,
    });
    const ids = { postId: target.postId, commentId: target.commentId, fromId: author.id };
    return this.send(page, feedEnvelope(page.pageId, nowSec, [value]), ids, input.deliver);
  }

  /** A person answered in Meta's Page Inbox: an echo from the page, but with the Inbox's app id. */
  async injectInboxEcho(raw: InjectInboxEchoInput): Promise<InjectResult<{ mid: string; psid: string }>> {
    const input = parseInjectInboxEcho(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const mid = messengerMid();
    this.state.rememberProfile(page.pageId, input.psid, null);
    const event = echoMessageEvent({
      pageId: page.pageId,
      psid: input.psid,
      timestamp: now,
      mid,
      text: input.text,
      appId: input.appId ?? PAGE_INBOX_APP_ID,
      metadata: null,
    });
    return this.send(page, messagingEnvelope(page.pageId, now, event), { mid, psid: input.psid }, input.deliver);
  }

  /** The person's Messenger client confirms delivery of what the page sent (`message_deliveries`). */
  async injectDelivery(
    raw: InjectReceiptInput,
  ): Promise<InjectResult<{ psid: string; mids: string[]; watermark: number }>> {
    const input = parseInjectReceipt(raw, 'delivery');
    const page = this.state.page(input.pageId);
    const psid = input.psid ?? this.lastRecipient(page);
    const watermark = input.watermark ?? this.state.now();
    const previous = this.state.advanceDeliveryWatermark(page.pageId, psid, watermark);
    const mids =
      input.mids ??
      this.sentTo(page, psid)
        .filter((record) => Date.parse(record.at) > previous && Date.parse(record.at) <= watermark)
        .map((record) => record.id);
    const event = deliveryEvent({ psid, pageId: page.pageId, mids, watermark });
    return this.send(page, messagingEnvelope(page.pageId, watermark, event), { psid, mids, watermark }, input.deliver);
  }

  /** The person read the conversation up to `watermark` (`message_reads`). */
  async injectRead(raw: InjectReceiptInput): Promise<InjectResult<{ psid: string; watermark: number }>> {
    const input = parseInjectReceipt(raw, 'read');
    const page = this.state.page(input.pageId);
    const psid = input.psid ?? this.lastRecipient(page);
    const now = this.state.now();
    const watermark = input.watermark ?? now;
    const event = readEvent({ psid, pageId: page.pageId, timestamp: now, watermark });
    return this.send(page, messagingEnvelope(page.pageId, now, event), { psid, watermark }, input.deliver);
  }

  /** A button tap (`messaging_postbacks`); like a message, it opens the standard window. */
  async injectPostback(raw: InjectPostbackInput): Promise<InjectResult<{ mid: string; psid: string }>> {
    const input = parseInjectPostback(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const psid = this.messenger(page, input.from, now);
    const mid = messengerMid();
    const event = postbackEvent({
      psid,
      pageId: page.pageId,
      timestamp: now,
      mid,
      title: input.title ?? 'Get Started',
      payload: input.payload ?? 'GET_STARTED',
      referral: input.referral,
    });
    return this.send(page, messagingEnvelope(page.pageId, now, event), { mid, psid }, input.deliver);
  }

  /** A message while another app owns the thread (handover protocol): delivered in `entry.standby[]`. */
  async injectStandby(raw: InjectStandbyInput): Promise<InjectResult<{ mid: string; psid: string }>> {
    const input = parseInjectStandby(raw);
    const page = this.state.page(input.pageId);
    const now = this.state.now();
    const psid = this.messenger(page, input.from, now);
    const mid = messengerMid();
    this.rememberInbound(page, psid, mid, input.text);
    const event = inboundMessageEvent({
      psid,
      pageId: page.pageId,
      timestamp: now,
      mid,
      text: input.text,
      attachments: [],
    });
    return this.send(page, messagingEnvelope(page.pageId, now, event, 'standby'), { mid, psid }, input.deliver);
  }

  /** The person edits a message they sent (`message_edits`). */
  async injectMessageEdit(
    raw: InjectMessageEditInput,
  ): Promise<InjectResult<{ mid: string; psid: string; numEdit: number }>> {
    const input = parseInjectMessageEdit(raw);
    const page = this.state.page(input.pageId);
    const message = this.state.messengerMessages.get(input.mid);
    if (!message || message.pageId !== page.pageId) {
      throw new SimulatorInputError('unknown message', [
        { field: 'mid', message: `no message ${input.mid} from a person to page ${page.pageId}` },
      ]);
    }
    message.text = input.text;
    message.numEdit += 1;
    const now = this.state.now();
    const event = messageEditEvent({
      psid: message.psid,
      pageId: page.pageId,
      timestamp: now,
      mid: message.mid,
      text: input.text,
      numEdit: message.numEdit,
    });
    const ids = { mid: message.mid, psid: message.psid, numEdit: message.numEdit };
    return this.send(page, messagingEnvelope(page.pageId, now, event), ids, input.deliver);
  }

  /** The App Dashboard's "Test" button: a sample event under `entry[].id` "0", signed with the app secret. */
  async injectTest(raw: InjectTestInput): Promise<InjectResult<{ entryId: string }>> {
    const input = parseInjectTest(raw);
    const page = this.state.page(input.pageId);
    return this.send(
      page,
      dashboardTestPayload(input.field ?? 'feed', this.state.now()),
      { entryId: '0' },
      input.deliver,
    );
  }

  // --- echoes of what the backend sent -----------------------------------------------------------------------------

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
    return this.sender.deliverFacebook(feedEnvelope(page.pageId, timeSec, [value]), page, 'echo');
  }

  echoPagePost(page: FacebookPageConfig, post: FbPost): Promise<DeliveryOutcome> {
    const timeSec = Math.floor(post.createdAt / 1000);
    const value = statusChange({
      from: { id: page.pageId, name: page.name },
      postId: post.id,
      createdTime: timeSec,
      message: post.message ?? '',
    });
    return this.sender.deliverFacebook(feedEnvelope(page.pageId, timeSec, [value]), page, 'echo');
  }

  echoMessenger(
    page: FacebookPageConfig,
    message: { psid: string; mid: string; text: string | null; metadata: string | null; timestamp: number },
  ): Promise<DeliveryOutcome> {
    const event = echoMessageEvent({ pageId: page.pageId, appId: page.appId, ...message });
    return this.sender.deliverFacebook(messagingEnvelope(page.pageId, message.timestamp, event), page, 'echo');
  }

  // --- shared helpers (also used by the Graph router) --------------------------------------------------------------

  rememberComment(comment: Omit<FbComment, 'privateReplied' | 'deleted' | 'hidden'>): FbComment {
    const stored: FbComment = { ...comment, privateReplied: false, deleted: false, hidden: false };
    this.state.fbComments.set(stored.id, stored);
    return stored;
  }

  /** Makes the objects of a caller-built payload known, so that the backend can answer them. */
  learn(payload: unknown): void {
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

  // --- internals ---------------------------------------------------------------------------------------------------

  private async send<Ids>(
    page: FacebookPageConfig,
    payload: JsonObject,
    ids: Ids,
    deliver: boolean | undefined,
  ): Promise<InjectResult<Ids>> {
    const rawBody = toMetaJson(payload);
    const delivery = deliver === false ? null : await this.sender.deliverFacebook(payload, page, 'inject');
    return { ids, payload, rawBody, delivery };
  }

  private author(from: FbPersonInput | undefined): FbAuthor {
    const person = from ?? this.state.newFacebookPerson();
    const user = this.state.rememberFbUser(person.id, person.name ?? null, from?.profile);
    return { id: user.id, name: user.name };
  }

  /** The PSID of a person writing to the page (a new one when `from` is left out); opens the standard window. */
  private messenger(page: FacebookPageConfig, from: FbPersonInput | undefined, now: number): string {
    const person = from ?? this.state.newFacebookPerson();
    this.state.rememberProfile(page.pageId, person.id, person.name ?? null, from?.profile);
    this.state.openWindow(page.pageId, person.id, now);
    return person.id;
  }

  private rememberInbound(page: FacebookPageConfig, psid: string, mid: string, text: string | null): void {
    this.state.messengerMessages.set(mid, { mid, pageId: page.pageId, psid, text, numEdit: 0 });
  }

  private sentTo(page: FacebookPageConfig, psid: string) {
    return this.state.sentLog.filter(
      (record) =>
        record.platform === 'facebook' &&
        record.accountId === page.pageId &&
        ((record.kind === 'messenger' && record.target === psid) ||
          (record.kind === 'private_reply' && record.recipientId === psid)),
    );
  }

  private lastRecipient(page: FacebookPageConfig): string {
    for (let i = this.state.sentLog.length - 1; i >= 0; i--) {
      const record = this.state.sentLog[i];
      if (!record || record.platform !== 'facebook' || record.accountId !== page.pageId) continue;
      if (record.kind === 'messenger' && record.target) return record.target;
      if (record.kind === 'private_reply' && record.recipientId) return record.recipientId;
    }
    throw new SimulatorInputError('no recipient', [
      { field: 'psid', message: `page ${page.pageId} has not messaged anyone yet; give psid` },
    ]);
  }

  private newPagePost(page: FacebookPageConfig, now: number): FbPost {
    const createdAt = now - HOUR_MS;
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
      createdAt: now - HOUR_MS,
      privateReplied: false,
      deleted: false,
    });
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
}

function postObjectId(postId: string): string {
  return postId.split('_')[1] ?? postId;
}

function normalizePostId(page: FacebookPageConfig, postId: string): string {
  return postId.includes('_') ? postId : `${page.pageId}_${postId}`;
}
