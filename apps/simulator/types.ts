import type { JsonValue } from './json-text';

export type SimPlatform = 'facebook' | 'twitter';

export interface FacebookPageConfig {
  pageId: string;
  name: string;
  pageAccessToken: string;
  appSecret: string;
  verifyToken: string;
  /** Id of the app the page token belongs to; Messenger echoes carry it as a JSON number. */
  appId: string;
}

export interface XAccountConfig {
  userId: string;
  handle: string;
  /** Display name (users/me and the `user` objects of webhooks). */
  name: string;
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

export interface RateLimitRule {
  /** Requests allowed per window, per account. */
  limit: number;
  windowSeconds: number;
  /** Per-account 24-hour cap reported in `x-user-limit-24hour-*`; null when the endpoint has none. */
  dailyLimit: number | null;
}

export const X_RATE_LIMITED_ENDPOINTS = ['tweets', 'dms', 'usersMe', 'mentions', 'dmEvents'] as const;
export type XRateLimitedEndpoint = (typeof X_RATE_LIMITED_ENDPOINTS)[number];

export interface SimulatorConfig {
  /** Base URL of our gateway; webhooks go to `{gatewayUrl}/webhooks/facebook|twitter`. */
  gatewayUrl: string;
  pages: FacebookPageConfig[];
  xAccounts: XAccountConfig[];
  /** Send the platform's echo webhooks for what the backend sends (page comments, Messenger echoes, own tweets, DMs). */
  echoes: boolean;
  /** X self-serve rule of 2026: reply only to posts that mention the account (or are its own). */
  replyRestriction: boolean;
  /** Delays before each retry of a failed webhook delivery; its length is the number of retries. */
  retryScheduleMs: number[];
  webhookTimeoutMs: number;
  rateLimits: Record<XRateLimitedEndpoint, RateLimitRule>;
}

/** A partial configuration: each top-level key given replaces that setting; `rateLimits` merges per endpoint. */
export type SimulatorConfigPatch = Partial<Omit<SimulatorConfig, 'rateLimits'>> & {
  rateLimits?: Partial<Record<XRateLimitedEndpoint, Partial<RateLimitRule>>>;
};

export type SentKind = 'comment_reply' | 'messenger' | 'private_reply' | 'tweet' | 'dm';
export const SENT_KINDS: readonly SentKind[] = ['comment_reply', 'messenger', 'private_reply', 'tweet', 'dm'];

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
}

/** Something the backend successfully sent through the simulated APIs. */
export interface SentRecord {
  platform: SimPlatform;
  kind: SentKind;
  /** Platform id of what was created: comment id, Messenger message id, tweet id, DM event id. */
  id: string;
  /** Our account: page id or X user id. */
  accountId: string;
  /** What it answers or whom it goes to: comment/post id, PSID, tweet id (null for a new tweet), DM participant. */
  target: string | null;
  /** The PSID a private reply went to. */
  recipientId?: string;
  text: string | null;
  request: RecordedRequest;
  /** Simulator-clock time. */
  at: string;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

export type DeliverySource = 'inject' | 'echo' | 'raw';

export interface DeliveryRecord {
  id: number;
  platform: SimPlatform;
  source: DeliverySource;
  url: string;
  headers: Record<string, string>;
  /** The exact body text that was signed and sent. */
  body: string;
  state: 'pending' | 'delivered' | 'retrying' | 'failed';
  attempts: DeliveryAttempt[];
  nextAttemptAt: string | null;
  createdAt: string;
}

/** Outcome of the first delivery attempt (retries continue in the background). */
export interface DeliveryOutcome {
  deliveryId: number;
  status: number | null;
  body: string | null;
  error?: string;
}

export interface InjectResult<Ids> {
  ids: Ids;
  payload: JsonValue;
  /** The exact body text that was (or would have been) signed and sent. */
  rawBody: string;
  /** Null when the caller asked not to deliver. */
  delivery: DeliveryOutcome | null;
}

export interface HandshakeResult {
  ok: boolean;
  url: string;
  status: number | null;
  body: string | null;
  expected: string;
  error?: string;
}

export interface FailRule {
  /** HTTP method or `*`. */
  method: string;
  /** Regular expression tested against the request path (no query string). */
  pathPattern: string;
  /** HTTP status to answer; 0 drops the connection instead. */
  status: number;
  /** Response body; when absent, a generic error in the platform's shape. */
  body?: unknown;
  headers?: Record<string, string>;
  count: number;
}
