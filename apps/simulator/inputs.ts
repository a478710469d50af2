import { SIMULATOR_DEFAULTS } from './defaults';
import { X_RATE_LIMITED_ENDPOINTS, SENT_KINDS } from './types';
import type {
  FacebookPageConfig,
  FailRule,
  RateLimitRule,
  SentKind,
  SimPlatform,
  SimulatorConfig,
  SimulatorConfigPatch,
  XAccountConfig,
  XRateLimitedEndpoint,
} from './types';
import { FieldReader, SimulatorInputError } from './validation';

/*
 * Inputs of the control API and of the matching Simulator methods, with parsers that check untrusted JSON and name
 * every bad field.
 */

const NUMERIC_ID = /^\d{1,25}$/;
const NUMERIC_HINT = 'must be a numeric id string';

export interface FbPersonInput {
  id: string;
  name?: string;
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
  /** `edited` / `remove` change an existing comment given by `commentId`. */
  verb?: 'add' | 'edited' | 'remove';
  commentId?: string;
  /** false: build and remember, but do not send (default true). */
  deliver?: boolean;
}

export interface InjectPostInput {
  pageId?: string;
  text: string;
  from?: FbPersonInput;
  deliver?: boolean;
}

export interface MessengerAttachmentInput {
  type: string;
  url?: string;
  payload?: Record<string, unknown>;
}

export interface InjectMessageInput {
  pageId?: string;
  /** `from.id` is the PSID. */
  from?: FbPersonInput;
  text?: string;
  attachments?: MessengerAttachmentInput[];
  deliver?: boolean;
}

export interface InjectMentionInput {
  userId?: string;
  from?: XPersonInput;
  /** Defaults to `@<handle> ` and a customer-care question. */
  text?: string;
  inReplyToStatusId?: string;
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

export type FailRuleInput = Partial<FailRule> & Pick<FailRule, 'pathPattern'>;

function fbPerson(reader: FieldReader, key: string): FbPersonInput | undefined {
  const from = reader.optObject(key);
  if (!from) return undefined;
  const id = from.string('id', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT });
  const name = from.optString('name', { nonEmpty: true });
  return id === undefined ? undefined : { id, ...(name !== undefined ? { name } : {}) };
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
  const verbRaw = r.optString('verb');
  let verb: InjectCommentInput['verb'];
  if (verbRaw === 'add' || verbRaw === 'edited' || verbRaw === 'remove') verb = verbRaw;
  else if (verbRaw !== undefined) r.fail('verb', 'must be add, edited or remove');
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
  if ((verb === 'edited' || verb === 'remove') && !r.has('commentId')) r.fail('commentId', `is required with ${verb}`);
  if ((verb ?? 'add') !== 'remove' && !r.has('text')) r.fail('text', 'is required');
  r.done();
  return input;
}

export function parseInjectPost(body: unknown): InjectPostInput {
  const r = FieldReader.of(body);
  const input = defined<InjectPostInput>({
    pageId: r.optString('pageId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    text: r.string('text', { nonEmpty: true }) ?? '',
    from: fbPerson(r, 'from'),
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
  const input = defined<InjectMessageInput>({
    pageId: r.optString('pageId', { pattern: NUMERIC_ID, patternHint: NUMERIC_HINT }),
    from: fbPerson(r, 'from'),
    text: r.optString('text', { nonEmpty: true }),
    attachments: attachments.length > 0 ? attachments : undefined,
    deliver: r.optBoolean('deliver'),
  });
  if (input.text === undefined && attachments.length === 0 && !r.has('text')) {
    r.fail('text', 'text or attachments is required');
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
  const pathPattern = r.string('pathPattern', { nonEmpty: true });
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
    status: status ?? 500,
    count: count ?? 1,
  };
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
  return Object.values(account).every((v) => v !== undefined) ? (account as XAccountConfig) : undefined;
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
  const known = new Set([
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
