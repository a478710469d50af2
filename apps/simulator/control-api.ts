import { createHash } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { isBodyParseError } from './http-helpers';
import { toJsonText } from './json-text';
import type { SimulatorOperations } from './operations';
import type { SimulatorState } from './state';
import { FieldReader, isPlainObject, SimulatorInputError } from './validation';

/*
 * The test and demo control plane under /_sim: configure, inject customer events, read what the backend sent and
 * the webhook delivery log, inject failures, move the clock, reset, and run the webhook handshakes.
 */

type Handler = (req: Request) => unknown;

export const CONTROL_ROUTES = [
  'GET /_sim/config',
  'PUT /_sim/config',
  'POST /_sim/inject/comment',
  'POST /_sim/inject/post',
  'POST /_sim/inject/message',
  'POST /_sim/inject/reaction',
  'POST /_sim/inject/echo',
  'POST /_sim/inject/delivery',
  'POST /_sim/inject/read',
  'POST /_sim/inject/postback',
  'POST /_sim/inject/standby',
  'POST /_sim/inject/message-edit',
  'POST /_sim/inject/test',
  'POST /_sim/inject/mention',
  'POST /_sim/inject/quote',
  'POST /_sim/inject/dm',
  'POST /_sim/inject/own-tweet',
  'POST /_sim/inject/own-dm',
  'POST /_sim/inject/favorite',
  'POST /_sim/inject/follow',
  'POST /_sim/inject/tweet-edit',
  'POST /_sim/inject/tweet-delete',
  'POST /_sim/inject/raw',
  'GET /_sim/sent?platform=&kind=',
  'GET /_sim/deliveries',
  'GET /_sim/webhook-mode',
  'POST /_sim/webhook-mode',
  'POST /_sim/flush',
  'POST /_sim/fail-next',
  'GET /_sim/fail-next',
  'GET /_sim/clock',
  'POST /_sim/clock',
  'POST /_sim/reset',
  'POST /_sim/handshake/facebook',
  'POST /_sim/handshake/twitter',
];

export function createControlRouter(ops: SimulatorOperations, state: SimulatorState): Router {
  const router = express.Router();
  // Any content type is read as JSON, so that `curl -d '{...}'` works without a header.
  router.use(express.json({ limit: '5mb', type: () => true }));

  /** JSON out through the bigint-aware writer, so X payloads keep their exact 64-bit `id` numbers. */
  const route = (handler: Handler, status = 200) => {
    return async (req: Request, res: Response) => {
      const result = await handler(req);
      res
        .status(status)
        .type('application/json')
        .send(toJsonText(result ?? { ok: true }));
    };
  };

  router.get(
    '/',
    route(() => ({ routes: CONTROL_ROUTES })),
  );
  router.get(
    '/config',
    route(() => ops.config()),
  );
  router.put(
    '/config',
    route((req) => ops.updateConfig(requireObject(req.body))),
  );
  // Each injection takes a JSON body (possibly empty) and answers `{ids, payload, rawBody, delivery}`.
  const injections: Record<string, Handler> = {
    comment: (req) => ops.injectComment(requireObject(req.body)),
    post: (req) => ops.injectPost(requireObject(req.body)),
    message: (req) => ops.injectMessage(requireObject(req.body)),
    reaction: (req) => ops.injectReaction(requireObject(req.body)),
    echo: (req) => ops.injectInboxEcho(requireObject(req.body)),
    delivery: (req) => ops.injectDelivery(requireObject(req.body)),
    read: (req) => ops.injectRead(requireObject(req.body)),
    postback: (req) => ops.injectPostback(requireObject(req.body)),
    standby: (req) => ops.injectStandby(requireObject(req.body)),
    'message-edit': (req) => ops.injectMessageEdit(requireObject(req.body)),
    test: (req) => ops.injectTest(requireObject(req.body)),
    mention: (req) => ops.injectMention(requireObject(req.body)),
    quote: (req) => ops.injectQuote(requireObject(req.body)),
    dm: (req) => ops.injectDm(requireObject(req.body)),
    'own-tweet': (req) => ops.injectOwnTweet(requireObject(req.body)),
    'own-dm': (req) => ops.injectOwnDm(requireObject(req.body)),
    favorite: (req) => ops.injectFavorite(requireObject(req.body)),
    follow: (req) => ops.injectFollow(requireObject(req.body)),
    'tweet-edit': (req) => ops.injectTweetEdit(requireObject(req.body)),
    'tweet-delete': (req) => ops.injectTweetDelete(requireObject(req.body)),
    raw: (req) => ops.injectRaw(requireObject(req.body)),
  };
  for (const [name, inject] of Object.entries(injections)) {
    router.post(`/inject/${name}`, route(inject));
  }
  router.get(
    '/sent',
    route((req) => ops.sent(requireObject(req.query))),
  );
  router.get(
    '/deliveries',
    route(() => ops.deliveries()),
  );
  router.get(
    '/webhook-mode',
    route(() => ops.webhookMode()),
  );
  router.post(
    '/webhook-mode',
    route((req) => ops.setWebhookMode(requireObject(req.body))),
  );
  router.post(
    '/flush',
    route(() => ops.flushWebhooks()),
  );
  router.post(
    '/fail-next',
    route((req) => ({ rule: ops.failNext(requireObject(req.body)), pending: ops.pendingFailures() })),
  );
  router.get(
    '/fail-next',
    route(() => ops.pendingFailures()),
  );
  router.get(
    '/clock',
    route(() => ({ now: ops.now().toISOString() })),
  );
  router.post(
    '/clock',
    route((req) => ops.setClock(requireObject(req.body))),
  );
  router.post(
    '/reset',
    route(() => {
      ops.reset();
      return { ok: true };
    }),
  );
  router.post(
    '/handshake/facebook',
    route((req) => {
      const r = FieldReader.of(req.body);
      const options = { pageId: r.optString('pageId'), verifyToken: r.optString('verifyToken') };
      r.done();
      return ops.verifyFacebookWebhook(withoutUndefined(options));
    }),
  );
  router.post(
    '/handshake/twitter',
    route((req) => {
      const r = FieldReader.of(req.body);
      const options = { userId: r.optString('userId') };
      r.done();
      return ops.checkTwitterCrc(withoutUndefined(options));
    }),
  );

  // Profile pictures for the generated people, so the agent desktop shows faces without internet access.
  router.get('/avatars/:file', (req, res) => {
    const id = String(req.params.file).replace(/\.svg$/, '');
    res
      .type('image/svg+xml')
      .set('cache-control', 'public, max-age=86400')
      .send(avatarSvg(id, displayName(state, id)));
  });

  // Sticker images for injected Messenger stickers, so that the agent desktop shows them offline.
  router.get('/stickers/:file', (_req, res) => {
    res.type('image/svg+xml').set('cache-control', 'public, max-age=86400').send(STICKER_SVG);
  });

  router.use((_req, res) => {
    res.status(404).json({ error: 'unknown control route', details: CONTROL_ROUTES });
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof SimulatorInputError) {
      res.status(400).json({ error: error.message, details: error.details });
    } else if (isBodyParseError(error)) {
      res.status(400).json({ error: 'invalid JSON body', details: [{ field: 'body', message: 'must be valid JSON' }] });
    } else {
      res.status(500).json({ error: error instanceof Error ? error.message : String(error), details: [] });
    }
  });
  return router;
}

/** The body as the input type of an operation, whose parser then checks every field; an empty body is `{}`. */
function requireObject<T>(value: unknown): T {
  if (value === undefined) return {} as T;
  if (!isPlainObject(value)) {
    throw new SimulatorInputError('body must be a JSON object', [{ field: 'body', message: 'must be an object' }]);
  }
  return value as T;
}

const STICKER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">' +
  '<circle cx="60" cy="60" r="56" fill="#0866ff"/>' +
  '<text x="60" y="64" font-size="64" text-anchor="middle" dominant-baseline="middle">\u{1F44D}</text></svg>';

function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

function displayName(state: SimulatorState, id: string): string {
  const xUser = state.xUser(id);
  if (xUser) return xUser.name;
  const fbUser = state.fbUsers.get(id);
  if (fbUser?.name) return fbUser.name;
  for (const page of state.config.pages) {
    const profile = state.profile(page.pageId, id);
    if (profile) return `${profile.firstName} ${profile.lastName}`;
  }
  return '?';
}

function avatarSvg(id: string, name: string): string {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => Array.from(part)[0]?.toUpperCase() ?? '')
      .join('') || '?';
  const hue = parseInt(createHash('sha1').update(id).digest('hex').slice(0, 4), 16) % 360;
  const escaped = initials.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="48" fill="hsl(${hue},55%,45%)"/>` +
    `<text x="48" y="50" font-family="sans-serif" font-size="38" fill="#fff" text-anchor="middle" ` +
    `dominant-baseline="middle">${escaped}</text></svg>`
  );
}
