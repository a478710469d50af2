import { randomBytes } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { sendX, sendXProblem, X_ERRORS } from './errors';
import type { XProblem } from './errors';
import { failInjection } from './fail-injection';
import { isBodyParseError, recordRequest } from './http-helpers';
import { compareNumericIds } from './ids';
import { dmConversationId } from './injector';
import type { Injector } from './injector';
import { verifyOAuthRequest } from './oauth1';
import type { JsonObject } from './json-text';
import type { SimulatorState, XDmEvent, XTweet, XUser } from './state';
import type { XAccountConfig, XRateLimitedEndpoint } from './types';
import { dmEventV2, pickDmEventFields, pickTweetFields, pickUserFields, tweetV2, userV2 } from './v2-objects';
import { isPlainObject } from './validation';

/*
 * X API v2 stand-in for the calls Switchboard makes with OAuth 1.0a user context: posting (replies), DMs, user
 * lookups, and the mention and DM timelines used by polling accounts. Same paths, bodies, problem errors (unknown
 * query parameters included) and rate-limit headers.
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
      if (state.config.replyRestriction && !engages(state, replyTo, account)) {
        sendXProblem(res, X_ERRORS.replyNotAllowed());
        return;
      }
    }
    if (postText !== '' && state.isDuplicateTweet(account.userId, postText)) {
      sendXProblem(res, X_ERRORS.duplicate());
      return;
    }
    const now = state.now();
    const tweet = injector.x.rememberTweet({
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
    injector.echoAfter(res, () => injector.x.echoTweet(account, tweet));
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
    if (!state.xUser(participantId)) injector.x.placeholderXUser(participantId);
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
    injector.echoAfter(res, () => injector.x.echoDm(account, event));
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
    const problem = unknownParameter(req, USER_PARAMS);
    if (problem) {
      sendXProblem(res, problem);
      return;
    }
    const user = state.accountUser(account);
    sendX(res, 200, { data: pickUserFields(userV2(user, state.publicUrl), fieldList(req, 'user.fields')) });
  });

  router.get('/users/by/username/:username', rateLimited('users'), (req, res) => {
    const username = String(req.params.username);
    if (!/^[A-Za-z0-9_]{1,15}$/.test(username)) {
      sendXProblem(res, X_ERRORS.invalidRequest(`The \`username\` query parameter value [${username}] is not valid`));
      return;
    }
    sendUser(req, res, state.xUserByScreenName(username), 'username', username);
  });

  router.get('/users/:id', rateLimited('users'), (req, res) => {
    const id = String(req.params.id);
    if (!/^\d{1,19}$/.test(id)) {
      sendXProblem(res, X_ERRORS.invalidRequest(`The \`id\` query parameter value [${id}] is not valid`));
      return;
    }
    sendUser(req, res, state.xUser(id), 'id', id);
  });

  /** X answers an unknown user with 200 and a partial error, not with a 404. */
  function sendUser(req: Request, res: Response, user: XUser | undefined, parameter: string, value: string): void {
    const problem = unknownParameter(req, USER_PARAMS);
    if (problem) {
      sendXProblem(res, problem);
      return;
    }
    if (!user) {
      sendX(res, 200, {
        errors: [
          {
            value,
            detail: `Could not find user with ${parameter}: [${value}].`,
            title: 'Not Found Error',
            resource_type: 'user',
            parameter,
            resource_id: value,
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
      });
      return;
    }
    sendX(res, 200, { data: pickUserFields(userV2(user, state.publicUrl), fieldList(req, 'user.fields')) });
  }

  router.get('/users/:id/mentions', rateLimited('mentions'), (req, res) => {
    const problem = unknownParameter(req, MENTIONS_PARAMS);
    if (problem) {
      sendXProblem(res, problem);
      return;
    }
    const userId = String(req.params.id);
    const window = timeWindow(req);
    if (typeof window === 'string') {
      sendXProblem(res, X_ERRORS.invalidRequest(window));
      return;
    }
    // Timelines show the latest version of an edited post.
    const mentioned = [...state.tweets.values()].filter(
      (tweet) =>
        !tweet.deleted &&
        tweet.supersededBy === null &&
        tweet.authorId !== userId &&
        (tweet.mentionIds.includes(userId) || tweet.inReplyToUserId === userId) &&
        tweet.createdAt >= window.start &&
        tweet.createdAt < window.end,
    );
    const page = paginate(req, mentioned, 100, 10, 5);
    if (typeof page === 'string') {
      sendXProblem(res, X_ERRORS.invalidRequest(page));
      return;
    }
    const tweetFields = fieldList(req, 'tweet.fields');
    const data = page.items.map((tweet) => pickTweetFields(tweetV2(state, tweet), tweetFields));
    const authors = expansions(req).includes('author_id') ? page.items.map((tweet) => tweet.authorId) : [];
    sendX(res, 200, withIncludes(state, req, data, authors, page.meta));
  });

  router.get('/dm_events', rateLimited('dmEvents'), (req, res) => {
    const problem = unknownParameter(req, DM_EVENTS_PARAMS);
    if (problem) {
      sendXProblem(res, problem);
      return;
    }
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
    const data = page.items.map((event) => pickDmEventFields(dmEventV2(event), fields));
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
 * it (a reply to one of the account's posts mentions it implicitly), quotes one of its posts, or is its own post.
 */
function engages(state: SimulatorState, target: XTweet, account: XAccountConfig): boolean {
  const quoted = target.quotedTweetId === null ? undefined : state.tweets.get(target.quotedTweetId);
  return (
    target.authorId === account.userId ||
    target.mentionIds.includes(account.userId) ||
    target.inReplyToUserId === account.userId ||
    quoted?.authorId === account.userId
  );
}

const EXPANSION_PARAMS = ['expansions', 'tweet.fields', 'user.fields', 'media.fields', 'place.fields', 'poll.fields'];
const USER_PARAMS = ['expansions', 'tweet.fields', 'user.fields'];
const MENTIONS_PARAMS = [
  'since_id',
  'until_id',
  'max_results',
  'pagination_token',
  'start_time',
  'end_time',
  ...EXPANSION_PARAMS,
];
const DM_EVENTS_PARAMS = [
  'dm_event.fields',
  'event_types',
  'expansions',
  'max_results',
  'media.fields',
  'pagination_token',
  'tweet.fields',
  'user.fields',
];

/** X rejects query parameters an endpoint does not take (e.g. `since_id` on `/2/dm_events`). */
function unknownParameter(req: Request, allowed: string[]): XProblem | undefined {
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).filter((name) => !allowed.includes(name));
  if (unknown.length === 0) return undefined;
  return {
    ...X_ERRORS.invalidRequest(''),
    errors: unknown.map((name) => ({
      parameters: { [name]: [String(query[name])] },
      message: `The query parameter [${name}] is not one of [${allowed.join(',')}]`,
    })),
  };
}

/** `start_time` / `end_time` (ISO 8601) of the timelines. */
function timeWindow(req: Request): { start: number; end: number } | string {
  const query = req.query as Record<string, unknown>;
  const bounds = { start: -Infinity, end: Infinity };
  for (const [name, key] of [
    ['start_time', 'start'],
    ['end_time', 'end'],
  ] as const) {
    const raw = query[name];
    if (raw === undefined) continue;
    const time = typeof raw === 'string' ? Date.parse(raw) : NaN;
    if (Number.isNaN(time)) {
      return `Invalid '${name}':'${typeof raw === 'string' ? raw : ''}'. '${name}' must be a valid RFC 3339 date-time`;
    }
    bounds[key] = time;
  }
  return bounds;
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
  data: JsonObject[],
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
      return user ? [pickUserFields(userV2(user, state.publicUrl), userFields)] : [];
    });
    body.includes = { users };
  }
  body.meta = meta;
  return body;
}
