import { DEFAULT_BATCH_MAX_ENTRIES, SIMULATOR_DEFAULTS } from './defaults';
import { SENT_KINDS, WEBHOOK_MODES, X_RATE_LIMITED_ENDPOINTS } from './types';
import type {
  FacebookBatchConfig,
  FacebookPageConfig,
  FailRule,
  RateLimitRule,
  SentKind,
  SimPlatform,
  SimulatorConfig,
  SimulatorConfigPatch,
  WebhookModeConfig,
  XAccountConfig,
  XRateLimitedEndpoint,
} from './types';
import { GRAPH_ERROR_PRESETS, GRAPH_PATH_PATTERN, graphErrorStatus } from './graph-error-presets';
import { FieldReader, SimulatorInputError } from './validation';

/*
 * Inputs of the control API and of the matching Simulator methods, with parsers that check untrusted JSON and name
 * every bad field.
 */

const NUMERIC_ID = /^\d{1,25}$/;
const NUMERIC_HINT = 'must be a numeric id string';

/**
 * What `GET /{psid}?fields=...` answers for a person: the profile (`full`, default), an empty object (`none`: the app
 * may not read it) or error 2018218 (`phone`: an account created with a phone number).
 */
export const PROFILE_ACCESS = ['full', 'none', 'phone'] as const;
export type ProfileAccess = (typeof PROFILE_ACCESS)[number];

export interface FbPersonInput {
  id: string;
  name?: string;
  profile?: ProfileAccess;
}

export interface XPersonInput {
  id: string;
  screen_name?: string;
  name?: string;
  followers_count?: number;
}

export interface InjectCommentInput {
  pageId?: string;
  /** Post to comment on (`{pageId}_{objectId}` or just the object id); a new page post when omitted. */
  postId?: string;
  /** Makes this a reply to that comment. */
  parentCommentId?: string;
  text?: string;
  from?: FbPersonInput;
  /** `edited` / `remove` / `hide` / `unhide` change an existing comment given by `commentId`. */
  verb?: CommentVerb;
  commentId?: string;
  /** false: build and remember, but do not send (default true). */
  deliver?: boolean;
}

export const COMMENT_VERBS = ['add', 'edited', 'remove', 'hide', 'unhide'] as const;
export type CommentVerb = (typeof COMMENT_VERBS)[number];

export interface InjectPostInput {
  pageId?: string;
  text: string;
  /** A visitor's post by default; `asPage` (or `from.id` = the page id) makes it the page's own post. */
  from?: FbPersonInput;
  asPage?: boolean;
  deliver?: boolean;
}

export interface MessengerAttachmentInput {
  type: string;
  url?: string;
  payload?: Record<string, unknown>;
}

export interface StickerInput {
  /** Numeric sticker id (default 369239263222822, the thumbs-up). */
  id?: string;
  url?: string;
}

export interface InjectMessageInput {
  pageId?: string;
  /** `from.id` is the PSID. */
  from?: FbPersonInput;
  text?: string;
  attachments?: MessengerAttachmentInput[];
  /** A sticker: `sticker` + `image` attachments before 2026-08-30 (simulator clock), only `sticker` from then on. */
  sticker?: boolean | StickerInput;
  deliver?: boolean;
}

export const REACTION_VERBS = ['add', 'edit', 'remove'] as const;

/** A reaction (`item: "reaction"`) on a comment, or on a post when no comment is given. */
export interface InjectReactionInput {
  pageId?: string;
  commentId?: string;
  postId?: string;
  from?: FbPersonInput;
  /** like, love, haha, wow, sad, angry, care (default like). */
  reaction?: string;
  verb?: (typeof REACTION_VERBS)[number];
  deliver?: boolean;
}

/** A message a person typed in Meta's Page Inbox: an echo whose `app_id` is the Inbox's, not the simulator app's. */
export interface InjectInboxEchoInput {
  pageId?: string;
  psid: string;
  text: string;
  /** Default 263902037430900 (the Page Inbox). */
  appId?: string;
  deliver?: boolean;
}

/** A delivery or read receipt from the person; `psid` defaults to whom the page last messaged. */
export interface InjectReceiptInput {
  pageId?: string;
  psid?: string;
  /** Delivery only: the message ids (default: what the page sent to this PSID since the last delivery receipt). */
  mids?: string[];
  /** Epoch ms; default now. */
  watermark?: number;
  deliver?: boolean;
}

export interface InjectPostbackInput {
  pageId?: string;
  from?: FbPersonInput;
  title?: string;
  payload?: string;
  referral?: { ref?: string; source?: string; type?: string };
  deliver?: boolean;
}

/** A message while another app owns the thread: it arrives in `entry.standby[]`. */
export interface InjectStandbyInput {
  pageId?: string;
  from?: FbPersonInput;
  text: string;
  deliver?: boolean;
}

/** The person edits a message they sent earlier (`message_edit`). */
export interface InjectMessageEditInput {
  pageId?: string;
  mid: string;
  text: string;
  deliver?: boolean;
}

/** The App Dashboard's "Test" button: `entry[].id` is "0". */
export interface InjectTestInput {
  pageId?: string;
  field?: 'feed' | 'messages';
  deliver?: boolean;
}

export interface InjectMentionInput {
  userId?: string;
  from?: XPersonInput;
  /** Defaults to `@<handle> ` and a customer-care question. */
  text?: string;
  inReplyToStatusId?: string;
  /** Without `text`: a generated post longer than 280 characters (truncated `text` + `extended_tweet`). */
  long?: boolean;
  deliver?: boolean;
}

/** A customer's quote of one of the account's posts (default: its latest, or a new one). */
export interface InjectQuoteInput {
  userId?: string;
  from?: XPersonInput;
  text?: string;
  quotedTweetId?: string;
  deliver?: boolean;
}

/** A post the account made outside the API (a person in the X app): an outbound echo nobody asked the API for. */
export interface InjectOwnTweetInput {
  userId?: string;
  text: string;
  inReplyToStatusId?: string;
  deliver?: boolean;
}

/** A DM the account sent outside the API. */
export interface InjectOwnDmInput {
  userId?: string;
  to: XPersonInput;
  text: string;
  deliver?: boolean;
}

/** A customer likes one of the account's posts (default: its latest, or a new one). */
export interface InjectFavoriteInput {
  userId?: string;
  from?: XPersonInput;
  tweetId?: string;
  deliver?: boolean;
}

export interface InjectFollowInput {
  userId?: string;
  from?: XPersonInput;
  type?: 'follow' | 'unfollow';
  deliver?: boolean;
}

/** The author edits a post: X publishes a new post whose edit history starts with the original. */
export interface InjectTweetEditInput {
  userId?: string;
  tweetId: string;
  text: string;
  deliver?: boolean;
}

export interface InjectDmInput {
  userId?: string;
  from?: XPersonInput;
  text: string;
  deliver?: boolean;
}

export interface InjectTweetDeleteInput {
  userId?: string;
  tweetId: string;
  deliver?: boolean;
}

export interface InjectRawInput {
  platform: SimPlatform;
  /** A JSON value (serialised like the platform does) or the exact body text. */
  body: unknown;
  /** Page id or X user id whose secret signs it; by default taken from the payload, else the first account. */
  accountId?: string;
}

export interface SentFilter {
  platform?: SimPlatform;
  kind?: SentKind;
}

export interface ClockChange {
  now?: string;
  advanceSeconds?: number;
}

/** `pathPattern` is required unless `graphError` is given (then it defaults to every Graph call). */
export type FailRuleInput = Partial<FailRule>;

export type WebhookModeInput = Partial<WebhookModeConfig>;

function fbPerson(reader: FieldReader, key: string): FbPersonInput | undefined {
  const from = reader.optObject(key);
  if (!from) return undefined;
  const id = from.string('id', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT });
  const name = from.optString('name', { nonEmpty: true });
  const profile = from.optEnum('profile', PROFILE_ACCESS);
  if (id === undefined) return undefined;
  return { id, ...(name !== undefined ? { name } : {}), ...(profile !== undefined ? { profile } : {}) };
}

function xPerson(reader: FieldReader, key: string): XPersonInput | undefined {
  const from = reader.optObject(key);
  if (!from) return undefined;
  const id = from.string('id', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT });
  const screenName = from.optString('screen_name', {
    pattern: /^[A-Za-z0-9_]{1,15}$/,
    patternHint: 'must be 1-15 letters, digits or underscores',
  });
  const name = from.optString('name', { nonEmpty: true });
  const followers = from.optNumber('followers_count', { min: 0, integer: true });
  if (id === undefined) return undefined;
  return {
    id,
    ...(screenName !== undefined ? { screen_name: screenName } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(followers !== undefined ? { followers_count: followers } : {}),
  };
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function parseInjectComment(body: unknown): InjectCommentInput {
  const r = FieldReader.of(body);
  const verb = r.optEnum('verb', COMMENT_VERBS);
  const input = defined<InjectCommentInput>({
    pageId: r.optString('pageId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    postId: r.optString('postId', { pattern: /^\d+(_\d+)?$/, patternHint: 'must look like <pageId>_<objectId>' }),
    parentCommentId: r.optString('parentCommentId', {
      pattern: /^\d+_\d+$/,
      patternHint: 'must look like <postObjectId>_<commentObjectId>',
    }),
    commentId: r.optString('commentId', {
      pattern: /^\d+_\d+$/,
      patternHint: 'must look like <postObjectId>_<commentObjectId>',
    }),
    text: r.optString('text', { nonEmpty: true }),
    from: fbPerson(r, 'from'),
    verb,
    deliver: r.optBoolean('deliver'),
  });
  if (verb !== undefined && verb !== 'add' && !r.has('commentId')) r.fail('commentId', `is required with ${verb}`);
  if ((verb === undefined || verb === 'add' || verb === 'edited') && !r.has('text')) r.fail('text', 'is required');
  r.done();
  return input;
}

export function parseInjectPost(body: unknown): InjectPostInput {
  const r = FieldReader.of(body);
  const input = defined<InjectPostInput>({
    pageId: r.optString('pageId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    text: r.string('text', { nonEmpty: true }) ?? '',
    from: fbPerson(r, 'from'),
    asPage: r.optBoolean('asPage'),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectMessage(body: unknown): InjectMessageInput {
  const r = FieldReader.of(body);
  const attachments: MessengerAttachmentInput[] = [];
  (r.optArray('attachments') ?? []).forEach((item, index) => {
    const a = r.element('attachments', index, item);
    if (!a) return;
    const type = a.string('type', { nonEmpty: true });
    const url = a.optString('url', { nonEmpty: true });
    const payload = a.optObject('payload');
    if (url === undefined && !payload) a.fail('url', 'url or payload is required');
    if (type !== undefined) {
      attachments.push(
        defined<MessengerAttachmentInput>({
          type,
          url,
          payload: payload ? (a.raw('payload') as Record<string, unknown>) : undefined,
        }),
      );
    }
  });
  let sticker: boolean | StickerInput | undefined;
  if (typeof r.raw('sticker') === 'boolean') sticker = r.optBoolean('sticker');
  else {
    const s = r.optObject('sticker');
    if (s) {
      sticker = defined<StickerInput>({
        id: s.optString('id', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
        url: s.optString('url', { nonEmpty: true }),
      });
    }
  }
  const input = defined<InjectMessageInput>({
    pageId: r.optString('pageId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    from: fbPerson(r, 'from'),
    text: r.optString('text', { nonEmpty: true }),
    attachments: attachments.length > 0 ? attachments : undefined,
    sticker,
    deliver: r.optBoolean('deliver'),
  });
  if (input.text === undefined && attachments.length === 0 && !sticker && !r.has('text')) {
    r.fail('text', 'text, attachments or sticker is required');
  }
  r.done();
  return input;
}

export function parseInjectMention(body: unknown): InjectMentionInput {
  const r = FieldReader.of(body);
  const input = defined<InjectMentionInput>({
    userId: r.optString('userId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    from: xPerson(r, 'from'),
    text: r.optString('text', { nonEmpty: true }),
    inReplyToStatusId: r.optString('inReplyToStatusId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    long: r.optBoolean('long'),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectDm(body: unknown): InjectDmInput {
  const r = FieldReader.of(body);
  const input = defined<InjectDmInput>({
    userId: r.optString('userId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    from: xPerson(r, 'from'),
    text: r.string('text', { nonEmpty: true }) ?? '',
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectTweetDelete(body: unknown): InjectTweetDeleteInput {
  const r = FieldReader.of(body);
  const input = defined<InjectTweetDeleteInput>({
    userId: r.optString('userId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    tweetId: r.string('tweetId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }) ?? '',
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

const PAGE_ID_OPTS = { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT };
const OBJECT_ID_OPTS = { pattern: /^\d+_\d+$/, patternHint: 'must look like <objectId>_<objectId>' };

export function parseInjectReaction(body: unknown): InjectReactionInput {
  const r = FieldReader.of(body);
  const input = defined<InjectReactionInput>({
    pageId: r.optString('pageId', PAGE_ID_OPTS),
    commentId: r.optString('commentId', OBJECT_ID_OPTS),
    postId: r.optString('postId', { pattern: /^\d+(_\d+)?$/, patternHint: 'must look like <pageId>_<objectId>' }),
    from: fbPerson(r, 'from'),
    reaction: r.optString('reaction', { pattern: /^[a-z_]{1,20}$/, patternHint: 'must be a reaction name like love' }),
    verb: r.optEnum('verb', REACTION_VERBS),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectInboxEcho(body: unknown): InjectInboxEchoInput {
  const r = FieldReader.of(body);
  const input = defined<InjectInboxEchoInput>({
    pageId: r.optString('pageId', PAGE_ID_OPTS),
    psid: r.string('psid', PAGE_ID_OPTS) ?? '',
    text: r.string('text', { nonEmpty: true }) ?? '',
    appId: r.optString('appId', PAGE_ID_OPTS),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectReceipt(body: unknown, kind: 'delivery' | 'read'): InjectReceiptInput {
  const r = FieldReader.of(body);
  let mids: string[] | undefined;
  if (kind === 'delivery') {
    const raw = r.optArray('mids');
    if (raw) {
      if (raw.every((mid): mid is string => typeof mid === 'string' && mid !== '')) mids = raw;
      else r.fail('mids', 'must be an array of message ids');
    }
  }
  const input = defined<InjectReceiptInput>({
    pageId: r.optString('pageId', PAGE_ID_OPTS),
    psid: r.optString('psid', PAGE_ID_OPTS),
    mids,
    watermark: r.optNumber('watermark', { integer: true, min: 0 }),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectPostback(body: unknown): InjectPostbackInput {
  const r = FieldReader.of(body);
  const referral = r.optObject('referral');
  const input = defined<InjectPostbackInput>({
    pageId: r.optString('pageId', PAGE_ID_OPTS),
    from: fbPerson(r, 'from'),
    title: r.optString('title', { nonEmpty: true }),
    payload: r.optString('payload', { nonEmpty: true }),
    referral: referral
      ? defined({
          ref: referral.optString('ref'),
          source: referral.optString('source'),
          type: referral.optString('type'),
        })
      : undefined,
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectStandby(body: unknown): InjectStandbyInput {
  const r = FieldReader.of(body);
  const input = defined<InjectStandbyInput>({
    pageId: r.optString('pageId', PAGE_ID_OPTS),
    from: fbPerson(r, 'from'),
    text: r.string('text', { nonEmpty: true }) ?? '',
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectMessageEdit(body: unknown): InjectMessageEditInput {
  const r = FieldReader.of(body);
  const input = defined<InjectMessageEditInput>({
    pageId: r.optString('pageId', PAGE_ID_OPTS),
    mid: r.string('mid', { nonEmpty: true }) ?? '',
    text: r.string('text', { nonEmpty: true }) ?? '',
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectTest(body: unknown): InjectTestInput {
  const r = FieldReader.of(body);
  const input = defined<InjectTestInput>({
    pageId: r.optString('pageId', PAGE_ID_OPTS),
    field: r.optEnum('field', ['feed', 'messages'] as const),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectQuote(body: unknown): InjectQuoteInput {
  const r = FieldReader.of(body);
  const input = defined<InjectQuoteInput>({
    userId: r.optString('userId', PAGE_ID_OPTS),
    from: xPerson(r, 'from'),
    text: r.optString('text', { nonEmpty: true }),
    quotedTweetId: r.optString('quotedTweetId', PAGE_ID_OPTS),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectOwnTweet(body: unknown): InjectOwnTweetInput {
  const r = FieldReader.of(body);
  const input = defined<InjectOwnTweetInput>({
    userId: r.optString('userId', PAGE_ID_OPTS),
    text: r.string('text', { nonEmpty: true }) ?? '',
    inReplyToStatusId: r.optString('inReplyToStatusId', PAGE_ID_OPTS),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectOwnDm(body: unknown): InjectOwnDmInput {
  const r = FieldReader.of(body);
  const to = xPerson(r, 'to');
  if (!r.has('to')) r.fail('to', 'is required');
  const input = defined<InjectOwnDmInput>({
    userId: r.optString('userId', PAGE_ID_OPTS),
    to: to ?? { id: '' },
    text: r.string('text', { nonEmpty: true }) ?? '',
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectFavorite(body: unknown): InjectFavoriteInput {
  const r = FieldReader.of(body);
  const input = defined<InjectFavoriteInput>({
    userId: r.optString('userId', PAGE_ID_OPTS),
    from: xPerson(r, 'from'),
    tweetId: r.optString('tweetId', PAGE_ID_OPTS),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectFollow(body: unknown): InjectFollowInput {
  const r = FieldReader.of(body);
  const input = defined<InjectFollowInput>({
    userId: r.optString('userId', PAGE_ID_OPTS),
    from: xPerson(r, 'from'),
    type: r.optEnum('type', ['follow', 'unfollow'] as const),
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

export function parseInjectTweetEdit(body: unknown): InjectTweetEditInput {
  const r = FieldReader.of(body);
  const input = defined<InjectTweetEditInput>({
    userId: r.optString('userId', PAGE_ID_OPTS),
    tweetId: r.string('tweetId', PAGE_ID_OPTS) ?? '',
    text: r.string('text', { nonEmpty: true }) ?? '',
    deliver: r.optBoolean('deliver'),
  });
  r.done();
  return input;
}

function parseWebhookModeFields(r: FieldReader): Partial<WebhookModeConfig> {
  return defined<Partial<WebhookModeConfig>>({
    mode: r.optEnum('mode', WEBHOOK_MODES),
    slowMs: r.optNumber('slowMs', { integer: true, min: 0, max: 600_000 }),
    copies: r.optNumber('copies', { integer: true, min: 1, max: 20 }),
    windowMs: r.optNumber('windowMs', { integer: true, min: 1, max: 600_000 }),
    order: r.optEnum('order', ['reverse', 'shuffle'] as const),
  });
}

export function parseWebhookMode(body: unknown): WebhookModeInput {
  const r = FieldReader.of(body);
  const mode = parseWebhookModeFields(r);
  if (Object.keys(mode).length === 0 && r.issuesCount() === 0) {
    r.fail('mode', 'mode, slowMs, copies, windowMs or order is required');
  }
  for (const key of Object.keys(body as object)) {
    if (!['mode', 'slowMs', 'copies', 'windowMs', 'order'].includes(key)) r.fail(key, 'unknown setting');
  }
  r.done('invalid webhook mode');
  return mode;
}

export function parseInjectRaw(body: unknown): InjectRawInput {
  const r = FieldReader.of(body);
  const platform = parsePlatform(r, 'platform', true);
  if (!r.has('body')) r.fail('body', 'is required');
  const accountId = r.optString('accountId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT });
  r.done();
  return defined<InjectRawInput>({ platform: platform ?? 'facebook', body: r.raw('body'), accountId });
}

function parsePlatform(r: FieldReader, key: string, required: boolean): SimPlatform | undefined {
  const value = required ? r.string(key) : r.optString(key);
  if (value === undefined) return undefined;
  if (value !== 'facebook' && value !== 'twitter') return r.fail(key, 'must be facebook or twitter');
  return value;
}

export function parseSentFilter(query: unknown): SentFilter {
  const r = FieldReader.of(query, 'query');
  const platform = parsePlatform(r, 'platform', false);
  const kindRaw = r.optString('kind');
  let kind: SentKind | undefined;
  if (kindRaw !== undefined) {
    kind = SENT_KINDS.find((k) => k === kindRaw);
    if (!kind) r.fail('kind', `must be one of ${SENT_KINDS.join(', ')}`);
  }
  r.done('invalid query');
  return defined<SentFilter>({ platform, kind });
}

export function parseClockChange(body: unknown): ClockChange {
  const r = FieldReader.of(body);
  const now = r.optString('now');
  if (now !== undefined && Number.isNaN(Date.parse(now))) r.fail('now', 'must be an ISO date-time');
  const advanceSeconds = r.optNumber('advanceSeconds');
  if (now === undefined && advanceSeconds === undefined && r.issuesCount() === 0) {
    r.fail('now', 'now or advanceSeconds is required');
  }
  r.done();
  return defined<ClockChange>({ now, advanceSeconds });
}

export function parseFailRule(body: unknown): FailRule {
  const r = FieldReader.of(body);
  const method = r.optString('method', { pattern: /^(\*|[A-Za-z]+)$/, patternHint: 'must be an HTTP method or *' });
  const graphError = r.optNumber('graphError', { integer: true, min: 1 });
  if (graphError !== undefined && !GRAPH_ERROR_PRESETS.includes(graphError)) {
    r.fail('graphError', `must be one of ${GRAPH_ERROR_PRESETS.join(', ')}`);
  }
  const pathPattern =
    graphError !== undefined && !r.has('pathPattern')
      ? GRAPH_PATH_PATTERN
      : r.string('pathPattern', { nonEmpty: true });
  if (pathPattern !== undefined) {
    try {
      new RegExp(pathPattern);
    } catch {
      r.fail('pathPattern', 'must be a valid regular expression');
    }
  }
  const status = r.optNumber('status', { integer: true, min: 0, max: 599 });
  if (status !== undefined && status !== 0 && status < 100) r.fail('status', 'must be 0 (drop) or 100-599');
  const headersReader = r.optObject('headers');
  const headers: Record<string, string> = {};
  if (headersReader) {
    for (const [key, value] of Object.entries(r.raw('headers') as Record<string, unknown>)) {
      if (typeof value === 'string') headers[key] = value;
      else headersReader.fail(key, 'must be a string');
    }
  }
  const count = r.optNumber('count', { integer: true, min: 1 });
  r.done();
  const rule: FailRule = {
    method: (method ?? '*').toUpperCase(),
    pathPattern: pathPattern ?? '',
    status: status ?? (graphError !== undefined ? graphErrorStatus(graphError) : 500),
    count: count ?? 1,
  };
  if (graphError !== undefined) rule.graphError = graphError;
  if (r.has('body')) rule.body = r.raw('body');
  if (headersReader) rule.headers = headers;
  return rule;
}

function parsePage(r: FieldReader): FacebookPageConfig | undefined {
  const page = {
    pageId: r.string('pageId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    name: r.string('name', { nonEmpty: true }),
    pageAccessToken: r.string('pageAccessToken', { nonEmpty: true }),
    appSecret: r.string('appSecret', { nonEmpty: true }),
    verifyToken: r.string('verifyToken', { nonEmpty: true }),
    appId:
      r.optString('appId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }) ?? SIMULATOR_DEFAULTS.facebook.appId,
  };
  return Object.values(page).every((v) => v !== undefined) ? (page as FacebookPageConfig) : undefined;
}

function parseXAccount(r: FieldReader): XAccountConfig | undefined {
  const account = {
    userId: r.string('userId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    handle: r.string('handle', { pattern: /^[A-Za-z0-9_]{1,15}$/, patternHint: 'must be an X handle without @' }),
    name: r.optString('name', { nonEmpty: true }) ?? r.optString('handle') ?? '',
    consumerKey: r.string('consumerKey', { nonEmpty: true }),
    consumerSecret: r.string('consumerSecret', { nonEmpty: true }),
    accessToken: r.string('accessToken', { nonEmpty: true }),
    accessTokenSecret: r.string('accessTokenSecret', { nonEmpty: true }),
  };
  const webhook = r.optBoolean('webhook');
  if (!Object.values(account).every((v) => v !== undefined)) return undefined;
  return { ...(account as XAccountConfig), ...(webhook !== undefined ? { webhook } : {}) };
}

function uniqueBy<T>(r: FieldReader, key: string, items: T[], pick: (item: T) => string, what: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    const value = pick(item);
    if (seen.has(value)) r.fail(key, `duplicate ${what} ${value}`);
    seen.add(value);
  }
}

export function parseConfigPatch(body: unknown): SimulatorConfigPatch {
  const r = FieldReader.of(body);
  const patch: SimulatorConfigPatch = {};
  const gatewayUrl = r.optString('gatewayUrl', {
    pattern: /^https?:\/\/[^\s/]+/,
    patternHint: 'must be an http(s) URL',
  });
  if (gatewayUrl !== undefined) patch.gatewayUrl = gatewayUrl;
  const pages = r.optArray('pages');
  if (pages) {
    const parsed = pages.flatMap((item, index) => {
      const reader = r.element('pages', index, item);
      const page = reader ? parsePage(reader) : undefined;
      return page ? [page] : [];
    });
    uniqueBy(r, 'pages', parsed, (p) => p.pageId, 'pageId');
    uniqueBy(r, 'pages', parsed, (p) => p.pageAccessToken, 'pageAccessToken');
    patch.pages = parsed;
  }
  const accounts = r.optArray('xAccounts');
  if (accounts) {
    const parsed = accounts.flatMap((item, index) => {
      const reader = r.element('xAccounts', index, item);
      const account = reader ? parseXAccount(reader) : undefined;
      return account ? [account] : [];
    });
    uniqueBy(r, 'xAccounts', parsed, (a) => a.userId, 'userId');
    uniqueBy(r, 'xAccounts', parsed, (a) => `${a.consumerKey}/${a.accessToken}`, 'consumerKey/accessToken');
    patch.xAccounts = parsed;
  }
  const echoes = r.optBoolean('echoes');
  if (echoes !== undefined) patch.echoes = echoes;
  const replyRestriction = r.optBoolean('replyRestriction');
  if (replyRestriction !== undefined) patch.replyRestriction = replyRestriction;
  const schedule = r.optArray('retryScheduleMs');
  if (schedule) {
    if (schedule.length > 20) r.fail('retryScheduleMs', 'must have at most 20 entries');
    if (schedule.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 86_400_000)) {
      r.fail('retryScheduleMs', 'must hold integers from 0 to 86400000');
    } else {
      patch.retryScheduleMs = schedule as number[];
    }
  }
  const timeout = r.optNumber('webhookTimeoutMs', { integer: true, min: 1, max: 600_000 });
  if (timeout !== undefined) patch.webhookTimeoutMs = timeout;
  const limits = r.optObject('rateLimits');
  if (limits) {
    patch.rateLimits = {};
    for (const key of Object.keys(r.raw('rateLimits') as Record<string, unknown>)) {
      const endpoint = X_RATE_LIMITED_ENDPOINTS.find((e) => e === key);
      if (!endpoint) {
        limits.fail(key, `unknown endpoint (expected ${X_RATE_LIMITED_ENDPOINTS.join(', ')})`);
        continue;
      }
      const rule = limits.optObject(endpoint);
      if (!rule) continue;
      const parsed: Partial<RateLimitRule> = {};
      const limit = rule.optNumber('limit', { integer: true, min: 0 });
      if (limit !== undefined) parsed.limit = limit;
      const windowSeconds = rule.optNumber('windowSeconds', { min: 0.001 });
      if (windowSeconds !== undefined) parsed.windowSeconds = windowSeconds;
      if (rule.raw('dailyLimit') === null) parsed.dailyLimit = null;
      else {
        const daily = rule.optNumber('dailyLimit', { integer: true, min: 0 });
        if (daily !== undefined) parsed.dailyLimit = daily;
      }
      patch.rateLimits[endpoint satisfies XRateLimitedEndpoint] = parsed;
    }
  }
  const mode = r.optObject('webhookMode');
  if (mode) patch.webhookMode = parseWebhookModeFields(mode);
  if (r.raw('batch') === null) patch.batch = null;
  else {
    const batch = r.optObject('batch');
    if (batch) {
      const maxEntries = batch.optNumber('maxEntries', { integer: true, min: 1, max: 1000 });
      const windowMs = batch.optNumber('windowMs', { integer: true, min: 1, max: 600_000 });
      if (windowMs === undefined && !batch.has('windowMs')) batch.fail('windowMs', 'is required');
      if (windowMs !== undefined) {
        patch.batch = { maxEntries: maxEntries ?? DEFAULT_BATCH_MAX_ENTRIES, windowMs } satisfies FacebookBatchConfig;
      }
    }
  }
  const format = r.optEnum('xWebhookFormat', ['aaa', 'xaa'] as const);
  if (format !== undefined) patch.xWebhookFormat = format;
  if (r.raw('autoUnsubscribeAfterMs') === null) patch.autoUnsubscribeAfterMs = null;
  else {
    const after = r.optNumber('autoUnsubscribeAfterMs', { integer: true, min: 1 });
    if (after !== undefined) patch.autoUnsubscribeAfterMs = after;
  }
  const known = new Set([
    'webhookMode',
    'batch',
    'xWebhookFormat',
    'autoUnsubscribeAfterMs',
    'gatewayUrl',
    'pages',
    'xAccounts',
    'echoes',
    'replyRestriction',
    'retryScheduleMs',
    'webhookTimeoutMs',
    'rateLimits',
  ]);
  for (const key of Object.keys(body as object)) if (!known.has(key)) r.fail(key, 'unknown setting');
  r.done('invalid configuration');
  return patch;
}

/** Applies a patch to a configuration (the patch must come from {@link parseConfigPatch} or be typed). */
export function applyConfigPatch(config: SimulatorConfig, patch: SimulatorConfigPatch): SimulatorConfig {
  const next: SimulatorConfig = {
    gatewayUrl: patch.gatewayUrl ?? config.gatewayUrl,
    pages: patch.pages ?? config.pages,
    xAccounts: patch.xAccounts ?? config.xAccounts,
    echoes: patch.echoes ?? config.echoes,
    replyRestriction: patch.replyRestriction ?? config.replyRestriction,
    retryScheduleMs: patch.retryScheduleMs ?? config.retryScheduleMs,
    webhookTimeoutMs: patch.webhookTimeoutMs ?? config.webhookTimeoutMs,
    rateLimits: { ...config.rateLimits },
    webhookMode: { ...config.webhookMode, ...defined(patch.webhookMode ?? {}) },
    batch: patch.batch === undefined ? config.batch : patch.batch,
    xWebhookFormat: patch.xWebhookFormat ?? config.xWebhookFormat,
    autoUnsubscribeAfterMs:
      patch.autoUnsubscribeAfterMs === undefined ? config.autoUnsubscribeAfterMs : patch.autoUnsubscribeAfterMs,
  };
  for (const endpoint of X_RATE_LIMITED_ENDPOINTS) {
    const change = patch.rateLimits?.[endpoint];
    if (change) next.rateLimits[endpoint] = { ...config.rateLimits[endpoint], ...defined(change) };
  }
  if (next.pages.length === 0 && next.xAccounts.length === 0) {
    throw new SimulatorInputError('invalid configuration', [
      { field: 'pages', message: 'at least one Facebook page or X account is required' },
    ]);
  }
  return next;
}
