import { createHmac } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { GRAPH_ERRORS, sendGraph, sendGraphError } from './errors';
import { failInjection } from './fail-injection';
import { noProfileError } from './graph-error-presets';
import { messengerMid } from './ids';
import type { Injector } from './injector';
import { avatarUrl } from './payloads';
import type { FbComment, FbPost, SimulatorState } from './state';
import { isBodyParseError, recordRequest } from './http-helpers';
import type { FacebookPageConfig } from './types';
import { isPlainObject } from './validation';

/*
 * Graph API stand-in: the calls Switchboard makes with a page access token (comment replies, Messenger Send API with
 * its windows and private replies, profiles, webhook subscription, page posts, hiding and deleting), same paths,
 * bodies and error shapes.
 */

const VERSION = /^v\d+\.\d+$/;
const HOUR_MS = 3_600_000;
const STANDARD_WINDOW_MS = 24 * HOUR_MS;
const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;
const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * HOUR_MS;
const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY'];
const DEPRECATED_TAGS = ['CONFIRMED_EVENT_UPDATE', 'ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE'];
const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'];
const PROFILE_FIELDS = ['id', 'name', 'first_name', 'last_name', 'profile_pic', 'locale', 'timezone'];
const DEFAULT_SUBSCRIBED_FIELDS = ['feed', 'messages', 'message_echoes'];

export function createGraphRouter(state: SimulatorState, injector: Injector): Router {
  const router = express.Router();
  router.use(failInjection(state, 'facebook'));
  router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: false, limit: '1mb' }));
  router.use((req, res, next) => {
    const version = req.path.split('/')[1] ?? '';
    if (VERSION.test(version)) next();
    else sendGraphError(res, GRAPH_ERRORS.unknownPath(req.path));
  });

  /** The page a request's access token belongs to; answers the error itself when there is none. */
  function authenticate(req: Request, res: Response): FacebookPageConfig | undefined {
    const header = req.get('authorization');
    const fromHeader = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
    const fromParam = param(req, 'access_token');
    const token = fromHeader ?? (typeof fromParam === 'string' ? fromParam : undefined);
    if (!token) {
      sendGraphError(res, GRAPH_ERRORS.missingToken());
      return undefined;
    }
    const page = state.pageByToken(token);
    if (!page) {
      sendGraphError(res, GRAPH_ERRORS.invalidToken());
      return undefined;
    }
    const proof = param(req, 'appsecret_proof');
    if (proof !== undefined && proof !== createHmac('sha256', page.appSecret).update(token).digest('hex')) {
      sendGraphError(res, {
        message: 'Invalid appsecret_proof provided in the API argument',
        type: 'GraphMethodException',
        code: 100,
      });
      return undefined;
    }
    return page;
  }

  router.get('/:version/:id', (req, res) => {
    const page = authenticate(req, res);
    if (!page) return;
    const id = String(req.params.id);
    const fields = requestedFields(req);
    if (id === 'me' || id === page.pageId) {
      sendPicked(res, { id: page.pageId, name: page.name, category: 'Product/service' }, fields, ['name', 'id']);
      return;
    }
    const profile = state.profile(page.pageId, id);
    if (profile?.access === 'phone') {
      sendGraphError(res, noProfileError());
      return;
    }
    if (profile?.access === 'none') {
      // "If the app cannot access the profile, the API returns an empty object" (User Profile API).
      sendGraph(res, 200, {});
      return;
    }
    if (profile) {
      const unknown = fields?.find((field) => !PROFILE_FIELDS.includes(field));
      if (unknown) {
        sendGraphError(
          res,
          GRAPH_ERRORS.invalidParameter(`Tried accessing nonexisting field (${unknown}) on node type (User)`),
        );
        return;
      }
      const full = {
        first_name: profile.firstName,
        last_name: profile.lastName,
        name: `${profile.firstName} ${profile.lastName}`.trim(),
        profile_pic: avatarUrl(state.publicUrl, profile.psid),
        locale: 'en_US',
        timezone: 0,
        id: profile.psid,
      };
      sendPicked(res, full, fields, ['name', 'id']);
      return;
    }
    const comment = state.fbComments.get(id);
    if (comment && comment.pageId === page.pageId && !comment.deleted) {
      sendPicked(res, commentNode(comment), fields, ['created_time', 'from', 'message', 'id']);
      return;
    }
    const post = state.fbPosts.get(id);
    if (post && post.pageId === page.pageId && !post.deleted) {
      sendPicked(res, postNode(post), fields, ['created_time', 'message', 'id']);
      return;
    }
    const user = state.fbUsers.get(id);
    if (user) {
      sendPicked(res, { name: user.name ?? undefined, id: user.id }, fields, ['name', 'id']);
      return;
    }
    sendGraphError(res, GRAPH_ERRORS.unsupportedGet(id));
  });

  router.post('/:version/:id/comments', (req, res) => {
    const page = authenticate(req, res);
    if (!page) return;
    const objectId = String(req.params.id);
    const comment = state.fbComments.get(objectId);
    const post = comment ? undefined : state.fbPosts.get(objectId);
    const target = comment ?? post;
    if (!target || target.pageId !== page.pageId || target.deleted) {
      sendGraphError(res, GRAPH_ERRORS.unsupportedPost(objectId));
      return;
    }
    const message = param(req, 'message');
    const attachmentUrl = param(req, 'attachment_url');
    if ((typeof message !== 'string' || message.trim() === '') && typeof attachmentUrl !== 'string') {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('Missing message or attachment'));
      return;
    }
    if (typeof message === 'string' && Array.from(message).length > 8000) {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('Param message must be at most 8000 characters long'));
      return;
    }
    const now = state.now();
    const postId = comment ? comment.postId : objectId;
    // Meta keeps one level of replies: answering a reply attaches to its top-level comment.
    const parentId = comment ? (comment.parentId === comment.postId ? comment.id : comment.parentId) : postId;
    const created = injector.facebook.rememberComment({
      id: `${postId.split('_')[1] ?? postId}_${state.fbIds.next(now)}`,
      pageId: page.pageId,
      postId,
      parentId,
      fromId: page.pageId,
      fromName: page.name,
      message: typeof message === 'string' ? message : null,
      createdAt: now,
    });
    state.recordSent({
      platform: 'facebook',
      kind: 'comment_reply',
      id: created.id,
      accountId: page.pageId,
      target: objectId,
      text: created.message,
      request: recordRequest(req),
      at: new Date(now).toISOString(),
    });
    sendGraph(res, 200, { id: created.id });
    injector.echoAfter(res, () => injector.facebook.echoPageComment(page, created));
  });

  router.post('/:version/:id/messages', (req, res) => {
    const page = authenticate(req, res);
    if (!page) return;
    const pathId = String(req.params.id);
    if (pathId !== 'me' && pathId !== page.pageId) {
      sendGraphError(res, GRAPH_ERRORS.unsupportedPost(pathId));
      return;
    }
    const recipient = jsonish(param(req, 'recipient'));
    const message = jsonish(param(req, 'message'));
    const messagingType = param(req, 'messaging_type');
    const tag = param(req, 'tag');
    const senderAction = param(req, 'sender_action');
    if (!isPlainObject(recipient)) {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('param recipient must be non-empty.'));
      return;
    }
    const psid = stringField(recipient, 'id');
    const commentId = stringField(recipient, 'comment_id');
    const postId = stringField(recipient, 'post_id');
    if (!psid && !commentId && !postId) {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('param recipient must have one of id, comment_id or post_id.'));
      return;
    }
    if (senderAction !== undefined) {
      if (typeof senderAction !== 'string' || !SENDER_ACTIONS.includes(senderAction)) {
        sendGraphError(
          res,
          GRAPH_ERRORS.invalidParameter(`param sender_action must be one of {${SENDER_ACTIONS.join(', ')}}`),
        );
      } else if (message !== undefined) {
        sendGraphError(res, GRAPH_ERRORS.invalidParameter('sender_action cannot be sent together with message'));
      } else if (!psid || state.lastInboundAt(page.pageId, psid) === undefined) {
        sendGraphError(res, GRAPH_ERRORS.noMatchingUser());
      } else {
        sendGraph(res, 200, { recipient_id: psid });
      }
      return;
    }
    if (!isPlainObject(message)) {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('param message must be non-empty.'));
      return;
    }
    const text = typeof message.text === 'string' ? message.text : undefined;
    if ((text === undefined || text === '') && message.attachment === undefined) {
      sendGraphError(
        res,
        GRAPH_ERRORS.invalidParameter('Message cannot be empty, must provide valid attachment or text'),
      );
      return;
    }
    if (text !== undefined && Array.from(text).length > 2000) {
      sendGraphError(
        res,
        GRAPH_ERRORS.invalidParameter('Length of param message[text] must be less than or equal to 2000'),
      );
      return;
    }
    const metadata = typeof message.metadata === 'string' ? message.metadata : null;
    if (metadata !== null && metadata.length > 1000) {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('Length of param message[metadata] must be at most 1000'));
      return;
    }
    if (
      messagingType !== undefined &&
      (typeof messagingType !== 'string' || !MESSAGING_TYPES.includes(messagingType))
    ) {
      sendGraphError(
        res,
        GRAPH_ERRORS.invalidParameter(
          `param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}} - got ${JSON.stringify(messagingType)}`,
        ),
      );
      return;
    }
    const effectiveType = messagingType ?? (tag !== undefined ? 'MESSAGE_TAG' : 'RESPONSE');
    if (tag !== undefined) {
      const problem = tagProblem(tag, message);
      if (problem) {
        sendGraphError(res, GRAPH_ERRORS.invalidParameter(problem));
        return;
      }
    } else if (effectiveType === 'MESSAGE_TAG') {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('param tag is required when messaging_type is MESSAGE_TAG'));
      return;
    }
    const now = state.now();
    const mid = messengerMid();
    const sendText = text ?? null;

    if (commentId || postId) {
      const target: FbComment | FbPost | undefined = commentId
        ? state.fbComments.get(commentId)
        : state.fbPosts.get(postId ?? '');
      const field = commentId ? 'comment_id' : 'post_id';
      if (!target || target.pageId !== page.pageId || target.deleted) {
        sendGraphError(res, GRAPH_ERRORS.invalidParameter(`param recipient[${field}] must be a valid ID of this page`));
        return;
      }
      if (target.fromId === page.pageId) {
        sendGraphError(res, GRAPH_ERRORS.cannotReply());
        return;
      }
      if (target.privateReplied) {
        sendGraphError(res, GRAPH_ERRORS.alreadyReplied());
        return;
      }
      if (now - target.createdAt > PRIVATE_REPLY_WINDOW_MS) {
        sendGraphError(res, GRAPH_ERRORS.cannotReply());
        return;
      }
      const recipientPsid = state.psidForCommenter(page.pageId, target.fromId);
      state.rememberProfile(
        page.pageId,
        recipientPsid,
        target.fromName,
        state.fbUsers.get(target.fromId)?.profileAccess,
      );
      // A comment on a page post opens the standard window, counted from the comment.
      state.openWindow(page.pageId, recipientPsid, target.createdAt);
      target.privateReplied = true;
      state.recordSent({
        platform: 'facebook',
        kind: 'private_reply',
        id: mid,
        accountId: page.pageId,
        target: target.id,
        recipientId: recipientPsid,
        text: sendText,
        request: recordRequest(req),
        at: new Date(now).toISOString(),
      });
      sendGraph(res, 200, { recipient_id: recipientPsid, message_id: mid });
      injector.echoAfter(res, () =>
        injector.facebook.echoMessenger(page, {
          psid: recipientPsid,
          mid,
          text: sendText,
          metadata,
          timestamp: state.now(),
        }),
      );
      return;
    }

    const target = psid ?? '';
    const lastInbound = state.lastInboundAt(page.pageId, target);
    if (lastInbound === undefined) {
      sendGraphError(res, GRAPH_ERRORS.noMatchingUser());
      return;
    }
    const humanAgent = effectiveType === 'MESSAGE_TAG' && tag === 'HUMAN_AGENT';
    if (now - lastInbound > (humanAgent ? HUMAN_AGENT_WINDOW_MS : STANDARD_WINDOW_MS)) {
      sendGraphError(res, GRAPH_ERRORS.outsideWindow());
      return;
    }
    state.recordSent({
      platform: 'facebook',
      kind: 'messenger',
      id: mid,
      accountId: page.pageId,
      target,
      text: sendText,
      request: recordRequest(req),
      at: new Date(now).toISOString(),
    });
    sendGraph(res, 200, { recipient_id: target, message_id: mid });
    injector.echoAfter(res, () =>
      injector.facebook.echoMessenger(page, { psid: target, mid, text: sendText, metadata, timestamp: state.now() }),
    );
  });

  router.get('/:version/:id/subscribed_apps', (req, res) => {
    const page = authenticate(req, res);
    if (!page) return;
    if (String(req.params.id) !== page.pageId) {
      sendGraphError(res, GRAPH_ERRORS.unsupportedGet(String(req.params.id)));
      return;
    }
    const fields = state.subscribedFields.get(page.pageId);
    const data = fields
      ? [
          {
            category: 'Business',
            link: 'https://github.com/switchboard',
            name: 'Switchboard',
            id: page.appId,
            subscribed_fields: fields,
          },
        ]
      : [];
    sendGraph(res, 200, { data });
  });

  router.post('/:version/:id/subscribed_apps', (req, res) => {
    const page = authenticate(req, res);
    if (!page) return;
    if (String(req.params.id) !== page.pageId) {
      sendGraphError(res, GRAPH_ERRORS.unsupportedPost(String(req.params.id)));
      return;
    }
    const raw = param(req, 'subscribed_fields');
    const fields = Array.isArray(raw)
      ? raw.map(String)
      : typeof raw === 'string'
        ? raw
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean)
        : DEFAULT_SUBSCRIBED_FIELDS;
    state.subscribedFields.set(page.pageId, fields);
    state.resubscribePage(page.pageId);
    sendGraph(res, 200, { success: true });
  });

  router.post('/:version/:id/feed', (req, res) => {
    const page = authenticate(req, res);
    if (!page) return;
    if (String(req.params.id) !== page.pageId && String(req.params.id) !== 'me') {
      sendGraphError(res, GRAPH_ERRORS.unsupportedPost(String(req.params.id)));
      return;
    }
    const message = param(req, 'message');
    if (typeof message !== 'string' || message.trim() === '') {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('Missing message'));
      return;
    }
    const now = state.now();
    const post: FbPost = {
      id: `${page.pageId}_${state.fbIds.next(now)}`,
      pageId: page.pageId,
      fromId: page.pageId,
      fromName: page.name,
      message,
      createdAt: now,
      privateReplied: false,
      deleted: false,
    };
    state.fbPosts.set(post.id, post);
    state.recordSent({
      platform: 'facebook',
      kind: 'post',
      id: post.id,
      accountId: page.pageId,
      target: null,
      text: message,
      request: recordRequest(req),
      at: new Date(now).toISOString(),
    });
    sendGraph(res, 200, { id: post.id });
    injector.echoAfter(res, () => injector.facebook.echoPagePost(page, post));
  });

  /** Hiding a comment (`is_hidden`); the page may hide comments on its posts, not its own ones. */
  router.post('/:version/:id', (req, res) => {
    const page = authenticate(req, res);
    if (!page) return;
    const id = String(req.params.id);
    const comment = state.fbComments.get(id);
    if (!comment || comment.pageId !== page.pageId || comment.deleted) {
      sendGraphError(res, GRAPH_ERRORS.unsupportedPost(id));
      return;
    }
    const hidden = param(req, 'is_hidden');
    if (hidden === undefined) {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('Missing is_hidden'));
      return;
    }
    if (comment.fromId === page.pageId) {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('Cannot hide a comment made by the page'));
      return;
    }
    comment.hidden = hidden === true || hidden === 'true';
    const now = state.now();
    state.recordSent({
      platform: 'facebook',
      kind: 'hide',
      id: comment.id,
      accountId: page.pageId,
      target: comment.id,
      text: null,
      request: recordRequest(req),
      at: new Date(now).toISOString(),
    });
    sendGraph(res, 200, { success: true });
  });

  router.delete('/:version/:id', (req, res) => {
    const page = authenticate(req, res);
    if (!page) return;
    const id = String(req.params.id);
    const target: FbComment | FbPost | undefined = state.fbComments.get(id) ?? state.fbPosts.get(id);
    // A page deletes its own posts and comments, and comments on its posts; not visitors' posts.
    const allowed = target && target.pageId === page.pageId && !target.deleted;
    const isVisitorPost = target !== undefined && !state.fbComments.has(id) && target.fromId !== page.pageId;
    if (!allowed || isVisitorPost) {
      sendGraphError(res, GRAPH_ERRORS.unsupportedDelete(id));
      return;
    }
    target.deleted = true;
    state.recordSent({
      platform: 'facebook',
      kind: 'delete',
      id,
      accountId: page.pageId,
      target: id,
      text: null,
      request: recordRequest(req),
      at: new Date(state.now()).toISOString(),
    });
    sendGraph(res, 200, { success: true });
  });

  router.use((req, res) => sendGraphError(res, GRAPH_ERRORS.unknownPath(req.path)));

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isBodyParseError(error)) {
      sendGraphError(res, GRAPH_ERRORS.invalidParameter('Invalid JSON in the request body'));
      return;
    }
    sendGraphError(res, { ...GRAPH_ERRORS.transient(), message: `Simulator error: ${String(error)}` }, 500);
  });
  return router;
}

/** Graph takes parameters from the body (JSON or form) or the query string alike. */
function param(req: Request, name: string): unknown {
  const fromBody: unknown = isPlainObject(req.body) ? req.body[name] : undefined;
  return fromBody ?? (req.query as Record<string, unknown>)[name];
}

/** Form-encoded Send API calls carry `recipient` and `message` as JSON strings. */
function jsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function tagProblem(tag: unknown, message: Record<string, unknown>): string | undefined {
  if (typeof tag !== 'string') return 'param tag must be a string';
  if (DEPRECATED_TAGS.includes(tag)) {
    return `The ${tag} tag has been deprecated and can no longer be used. Use HUMAN_AGENT for human customer care.`;
  }
  if (tag === 'CUSTOMER_FEEDBACK') {
    const payload = isPlainObject(message.attachment) ? message.attachment.payload : undefined;
    const isFeedback = isPlainObject(payload) && payload.template_type === 'customer_feedback';
    return isFeedback ? undefined : 'The CUSTOMER_FEEDBACK tag can only be used with the customer feedback template';
  }
  if (tag !== 'HUMAN_AGENT') return `param tag must be one of {HUMAN_AGENT, CUSTOMER_FEEDBACK} - got "${tag}"`;
  return undefined;
}

function requestedFields(req: Request): string[] | undefined {
  const raw = param(req, 'fields');
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
}

function sendPicked(res: Response, node: Record<string, unknown>, fields: string[] | undefined, defaults: string[]) {
  const picked: Record<string, unknown> = {};
  for (const field of fields ?? defaults) if (node[field] !== undefined) picked[field] = node[field];
  // Graph always returns the id.
  picked.id = node.id;
  sendGraph(res, 200, picked);
}

function fbTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function commentNode(comment: FbComment): Record<string, unknown> {
  return {
    created_time: fbTime(comment.createdAt),
    from: comment.fromName === null ? { id: comment.fromId } : { name: comment.fromName, id: comment.fromId },
    message: comment.message ?? '',
    parent: comment.parentId === comment.postId ? undefined : { id: comment.parentId },
    is_hidden: comment.hidden,
    id: comment.id,
  };
}

function postNode(post: FbPost): Record<string, unknown> {
  return {
    created_time: fbTime(post.createdAt),
    message: post.message ?? undefined,
    from: post.fromName === null ? { id: post.fromId } : { name: post.fromName, id: post.fromId },
    id: post.id,
  };
}
