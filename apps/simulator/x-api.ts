import { randomBytes } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { sendX, sendXProblem, X_ERRORS } from './errors';
import { failInjection } from './fail-injection';
import { isBodyParseError, recordRequest } from './http-helpers';
import { compareNumericIds } from './ids';
import { dmConversationId } from './injector';
import type { Injector } from './injector';
import { verifyOAuthRequest } from './oauth1';
import { avatarUrl, parseMentions } from './payloads';
import type { SimulatorState, XDmEvent, XTweet, XUser } from './state';
import type { XAccountConfig, XRateLimitedEndpoint } from './types';
import { isPlainObject } from './validation';

/*
 * X API v2 stand-in for the calls Switchboard makes with OAuth 1.0a user context: posting (replies), DMs, users/me,
 * and the mention and DM timelines used by polling accounts. Same paths, bodies, problem errors and rate-limit
 * headers.
 */

interface XLocals {
  account: XAccountConfig;
}

export function createXRouter(state: SimulatorState, injector: Injector): Router {
  const router = express.Router();
  router.use(failInjection(state, 'twitter'));
  router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: false, limit: '1mb' }));
  router.use((_req, res, next) => {
    res.set({
      'x-transaction-id': randomBytes(8).toString('hex'),
      'x-access-level': 'read-write-directmessages',
      'api-version': '2.150',
    });
    next();
  });

  // OAuth 1.0a user context on every call. The client signed the URL it called, i.e. this server's own origin.
  router.use((req, res, next) => {
    const host = req.get('host') ?? '';
    const urls = [`http://${host}${req.originalUrl}`, `https://${host}${req.originalUrl}`];
    const formBody =
      req.is('application/x-www-form-urlencoded') && isPlainObject(req.body)
        ? (req.body as Record<string, string | string[]>)
        : undefined;
    const verification = verifyOAuthRequest(
      { method: req.method, urls, bodyParams: formBody, authorization: req.get('authorization') },
      (consumerKey, token) => {
        const account = state.xAccountByCredentials(consumerKey, token);
        return account && { consumerSecret: account.consumerSecret, tokenSecret: account.accessTokenSecret };
      },
    );
    const account = verification.ok
      ? state.xAccountByCredentials(verification.consumerKey, verification.token)
      : undefined;
    if (!account) {
      sendXProblem(res, X_ERRORS.unauthorized());
      return;
    }
    (res.locals as XLocals).account = account;
    next();
  });

  function rateLimited(endpoint: XRateLimitedEndpoint) {
    return (_req: Request, res: Response, next: NextFunction) => {
      const { account } = res.locals as XLocals;
      const status = state.consumeRateLimit(account.userId, endpoint);
      res.set({
        'x-rate-limit-limit': String(status.limit),
        'x-rate-limit-remaining': String(status.remaining),
        'x-rate-limit-reset': String(status.reset),
      });
      if (status.daily) {
        res.set({
          'x-user-limit-24hour-limit': String(status.daily.limit),
          'x-user-limit-24hour-remaining': String(status.daily.remaining),
          'x-user-limit-24hour-reset': String(status.daily.reset),
        });
      }
      if (status.allowed) next();
      else sendXProblem(res, X_ERRORS.tooManyRequests());
    };
  }

  router.post('/tweets', rateLimited('tweets'), (req, res) => {
    const { account } = res.locals as XLocals;
    const body: unknown = req.body;
    if (!isPlainObject(body)) {
      sendXProblem(res, X_ERRORS.invalidRequest('The request body must be a JSON object.'));
      return;
    }
    const text = body.text;
    const hasMedia = isPlainObject(body.media) && Array.isArray(body.media.media_ids);
    if (text !== undefined && typeof text !== 'string') {
      sendXProblem(res, X_ERRORS.invalidRequest('$.text: string expected'));
      return;
    }
    if ((text === undefined || text.trim() === '') && !hasMedia) {
      sendXProblem(res, X_ERRORS.invalidRequest('Post text or media is required.'));
      return;
    }
    const postText = text ?? '';
    let replyTo: XTweet | undefined;
    if (body.reply !== undefined) {
      const targetId = isPlainObject(body.reply) ? body.reply.in_reply_to_tweet_id : undefined;
      if (typeof targetId !== 'string' || !/^\d{1,19}$/.test(targetId)) {
        sendXProblem(res, X_ERRORS.invalidRequest('$.reply.in_reply_to_tweet_id: a post id string is required'));
        return;
      }
      replyTo = state.tweets.get(targetId);
      if (!replyTo || replyTo.deleted) {
        sendXProblem(
          res,
          X_ERRORS.invalidRequest('Your Tweet is a reply to a Tweet that does not exist or has been deleted.'),
        );
        return;
      }
      if (state.config.replyRestriction && !engages(replyTo, account)) {
        sendXProblem(res, X_ERRORS.replyNotAllowed());
        return;
      }
    }
    if (postText !== '' && state.isDuplicateTweet(account.userId, postText)) {
      sendXProblem(res, X_ERRORS.duplicate());
      return;
    }
    const now = state.now();
    const tweet = injector.rememberTweet({
      id: state.snowflakes.next(now),
      authorId: account.userId,
      text: postText,
      inReplyToStatusId: replyTo?.id ?? null,
      inReplyToUserId: replyTo?.authorId ?? null,
      createdAt: now,
    });
    if (postText !== '') state.rememberTweetText(account.userId, postText);
    state.recordSent({
      platform: 'twitter',
      kind: 'tweet',
      id: tweet.id,
      accountId: account.userId,
      target: replyTo?.id ?? null,
      text: postText,
      request: recordRequest(req),
      at: new Date(now).toISOString(),
    });
    sendX(res, 201, { data: { id: tweet.id, text: postText, edit_history_tweet_ids: [tweet.id] } });
    injector.echoAfter(res, () => injector.echoTweet(account, tweet));
  });

  function sendDm(req: Request, res: Response, participantId: string): void {
    const { account } = res.locals as XLocals;
    const body: unknown = req.body;
    const text = isPlainObject(body) ? body.text : undefined;
    const attachments = isPlainObject(body) ? body.attachments : undefined;
    if (text !== undefined && typeof text !== 'string') {
      sendXProblem(res, X_ERRORS.invalidRequest('$.text: string expected'));
      return;
    }
    if ((text === undefined || text === '') && !Array.isArray(attachments)) {
      sendXProblem(res, X_ERRORS.invalidRequest('One of text or attachments is required.'));
      return;
    }
    if (participantId === account.userId) {
      sendXProblem(res, X_ERRORS.invalidRequest('You cannot send a Direct Message to yourself.'));
      return;
    }
    const now = state.now();
    if (!state.xUser(participantId)) injector.placeholderXUser(participantId);
    const event: XDmEvent = {
      id: state.snowflakes.next(now),
      conversationId: dmConversationId(account.userId, participantId),
      senderId: account.userId,
      recipientId: participantId,
      text: text ?? '',
      createdAt: now,
    };
    state.dmEvents.push(event);
    state.recordSent({
      platform: 'twitter',
      kind: 'dm',
      id: event.id,
      accountId: account.userId,
      target: participantId,
      text: event.text,
      request: recordRequest(req),
      at: new Date(now).toISOString(),
    });
    sendX(res, 201, { data: { dm_conversation_id: event.conversationId, dm_event_id: event.id } });
    injector.echoAfter(res, () => injector.echoDm(account, event));
  }

  router.post('/dm_conversations/with/:participantId/messages', rateLimited('dms'), (req, res) => {
    const participantId = String(req.params.participantId);
    if (!/^\d{1,19}$/.test(participantId)) {
      sendXProblem(res, X_ERRORS.invalidRequest(`The participant_id ${participantId} is not a valid user id.`));
      return;
    }
    sendDm(req, res, participantId);
  });

  router.post('/dm_conversations/:conversationId/messages', rateLimited('dms'), (req, res) => {
    const { account } = res.locals as XLocals;
    const parts = String(req.params.conversationId).split('-');
    const other = parts.length === 2 && parts.includes(account.userId) ? parts.find((p) => p !== account.userId) : null;
    if (!other || !/^\d{1,19}$/.test(other)) {
      sendXProblem(res, X_ERRORS.invalidRequest('The dm_conversation_id is not a conversation of this user.'));
      return;
    }
    sendDm(req, res, other);
  });

  router.get('/users/me', rateLimited('usersMe'), (req, res) => {
    const { account } = res.locals as XLocals;
    const user = state.accountUser(account);
    sendX(res, 200, { data: userV2(user, fieldList(req, 'user.fields'), state.publicUrl) });
  });

  router.get('/users/:id/mentions', rateLimited('mentions'), (req, res) => {
    const userId = String(req.params.id);
    const mentioned = [...state.tweets.values()].filter(
      (tweet) =>
        !tweet.deleted &&
        tweet.authorId !== userId &&
        (tweet.mentionIds.includes(userId) || tweet.inReplyToUserId === userId),
    );
    const page = paginate(req, mentioned, 100, 10, 5);
    if (typeof page === 'string') {
      sendXProblem(res, X_ERRORS.invalidRequest(page));
      return;
    }
    const tweetFields = fieldList(req, 'tweet.fields');
    const data = page.items.map((tweet) => tweetV2(state, tweet, tweetFields));
    const authors = expansions(req).includes('author_id') ? page.items.map((tweet) => tweet.authorId) : [];
    sendX(res, 200, withIncludes(state, req, data, authors, page.meta));
  });

  router.get('/dm_events', rateLimited('dmEvents'), (req, res) => {
    const { account } = res.locals as XLocals;
    const eventTypes = fieldList(req, 'event_types');
    const events = eventTypes && !eventTypes.includes('MessageCreate') ? [] : state.dmEvents;
    const mine = events.filter((e) => e.senderId === account.userId || e.recipientId === account.userId);
    const page = paginate(req, mine, 100, 100, 1);
    if (typeof page === 'string') {
      sendXProblem(res, X_ERRORS.invalidRequest(page));
      return;
    }
    const fields = fieldList(req, 'dm_event.fields');
    const data = page.items.map((event) => dmEventV2(event, fields));
    const senders = expansions(req).includes('sender_id') ? page.items.map((event) => event.senderId) : [];
    const { newest_id: _newest, oldest_id: _oldest, ...meta } = page.meta;
    sendX(res, 200, withIncludes(state, req, data, senders, meta));
  });

  router.use((_req, res) => sendXProblem(res, X_ERRORS.notFound()));

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isBodyParseError(error)) sendXProblem(res, X_ERRORS.invalidRequest('Request body is not valid JSON.'));
    else sendXProblem(res, { ...X_ERRORS.generic(500), detail: `Simulator error: ${String(error)}` });
  });
  return router;
}

/**
 * The 2026 self-serve rule: a reply needs the target's author to have engaged the account, i.e. the target mentions
 * it (a reply to one of the account's posts mentions it implicitly) or is the account's own post.
 */
function engages(target: XTweet, account: XAccountConfig): boolean {
  return (
    target.authorId === account.userId ||
    target.mentionIds.includes(account.userId) ||
    target.inReplyToUserId === account.userId
  );
}

function fieldList(req: Request, name: string): string[] | undefined {
  const raw = (req.query as Record<string, unknown>)[name];
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  if (typeof text !== 'string' || text === '') return undefined;
  return text
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
}

function expansions(req: Request): string[] {
  return fieldList(req, 'expansions') ?? [];
}

interface Page<T> {
  items: T[];
  meta: { result_count: number; newest_id?: string; oldest_id?: string; next_token?: string };
}

/** Newest first, with since_id / until_id / max_results / pagination_token like X's timelines. */
function paginate<T extends { id: string }>(
  req: Request,
  all: T[],
  maxResults: number,
  defaultResults: number,
  minResults: number,
): Page<T> | string {
  const query = req.query as Record<string, unknown>;
  const rawMax = query.max_results;
  const max = rawMax === undefined ? defaultResults : Number(rawMax);
  if (!Number.isInteger(max) || max < minResults || max > maxResults) {
    return `The \`max_results\` query parameter value [${String(rawMax)}] is not between ${minResults} and ${maxResults}`;
  }
  let items = [...all].sort((a, b) => compareNumericIds(b.id, a.id));
  const sinceId = typeof query.since_id === 'string' ? query.since_id : undefined;
  const untilId = typeof query.until_id === 'string' ? query.until_id : undefined;
  const token = typeof query.pagination_token === 'string' ? query.pagination_token : undefined;
  for (const [name, value] of [
    ['since_id', sinceId],
    ['until_id', untilId],
  ] as const) {
    if (value !== undefined && !/^\d{1,19}$/.test(value)) return `The \`${name}\` query parameter value is not valid`;
  }
  if (sinceId) items = items.filter((item) => compareNumericIds(item.id, sinceId) > 0);
  if (untilId) items = items.filter((item) => compareNumericIds(item.id, untilId) < 0);
  if (token !== undefined) {
    const before = Buffer.from(token, 'base64url').toString();
    if (!/^\d{1,19}$/.test(before)) return 'The `pagination_token` query parameter value is not valid';
    items = items.filter((item) => compareNumericIds(item.id, before) < 0);
  }
  const pageItems = items.slice(0, max);
  const meta: Page<T>['meta'] = { result_count: pageItems.length };
  const newest = pageItems[0];
  const oldest = pageItems[pageItems.length - 1];
  if (newest && oldest) {
    meta.newest_id = newest.id;
    meta.oldest_id = oldest.id;
    if (items.length > max) meta.next_token = Buffer.from(oldest.id).toString('base64url');
  }
  return { items: pageItems, meta };
}

function withIncludes(
  state: SimulatorState,
  req: Request,
  data: Record<string, unknown>[],
  userIds: string[],
  meta: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // X leaves `data` out of an empty page.
  if (data.length > 0) body.data = data;
  const unique = [...new Set(userIds)];
  if (unique.length > 0) {
    const userFields = fieldList(req, 'user.fields');
    const users = unique.flatMap((id) => {
      const user = state.xUser(id);
      return user ? [userV2(user, userFields, state.publicUrl)] : [];
    });
    body.includes = { users };
  }
  body.meta = meta;
  return body;
}

function userV2(user: XUser, fields: string[] | undefined, publicUrl: string): Record<string, unknown> {
  const all: Record<string, unknown> = {
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
    verified: user.verified,
  };
  const result: Record<string, unknown> = { id: user.id, name: user.name, username: user.screenName };
  for (const field of fields ?? []) if (all[field] !== undefined) result[field] = all[field];
  return result;
}

function conversationRoot(state: SimulatorState, tweet: XTweet): string {
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

function tweetV2(state: SimulatorState, tweet: XTweet, fields: string[] | undefined): Record<string, unknown> {
  const mentions = parseMentions(tweet.text, (name) => state.xUserByScreenName(name)).flatMap((m) =>
    m.user ? [{ start: m.indices[0], end: m.indices[1], username: m.user.screenName, id: m.user.id }] : [],
  );
  const all: Record<string, unknown> = {
    author_id: tweet.authorId,
    created_at: new Date(tweet.createdAt).toISOString(),
    conversation_id: conversationRoot(state, tweet),
    in_reply_to_user_id: tweet.inReplyToUserId ?? undefined,
    referenced_tweets: tweet.inReplyToStatusId ? [{ type: 'replied_to', id: tweet.inReplyToStatusId }] : undefined,
    entities: mentions.length > 0 ? { mentions } : undefined,
    lang: 'en',
    reply_settings: 'everyone',
    public_metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, bookmark_count: 0 },
  };
  const result: Record<string, unknown> = { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] };
  for (const field of fields ?? []) if (all[field] !== undefined) result[field] = all[field];
  return result;
}

function dmEventV2(event: XDmEvent, fields: string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    sender_id: event.senderId,
    dm_conversation_id: event.conversationId,
    created_at: new Date(event.createdAt).toISOString(),
  };
  const result: Record<string, unknown> = { id: event.id, event_type: 'MessageCreate', text: event.text };
  for (const field of fields ?? []) if (all[field] !== undefined) result[field] = all[field];
  return result;
}
