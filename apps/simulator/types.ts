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
  /**
   * false: the account gets no webhooks (nor echoes); its mentions and DMs are only visible through the polling
   * endpoints, like an account set to `ingest: "poll"` in Switchboard. Default true.
   */
  webhook?: boolean;
}

export interface RateLimitRule {
  /** Requests allowed per window, per account. */
  limit: number;
  windowSeconds: number;
  /** Per-account 24-hour cap reported in `x-user-limit-24hour-*`; null when the endpoint has none. */
  dailyLimit: number | null;
}

export const X_RATE_LIMITED_ENDPOINTS = ['tweets', 'dms', 'usersMe', 'users', 'mentions', 'dmEvents'] as const;
export type XRateLimitedEndpoint = (typeof X_RATE_LIMITED_ENDPOINTS)[number];

export const WEBHOOK_MODES = ['normal', 'down', 'slow', 'duplicate', 'reorder'] as const;
/**
 * How the webhook sender behaves: `normal`; `down` (nothing reaches the gateway: every attempt fails as if the
 * network did, and retries wait until the mode changes); `slow` (each POST waits `slowMs` first); `duplicate` (each
 * delivery is POSTed `copies` times, the first two at the same moment); `reorder` (deliveries are held for
 * `windowMs`, or until flushed, then sent in reverse or shuffled order).
 */
export type WebhookMode = (typeof WEBHOOK_MODES)[number];

export interface WebhookModeConfig {
  mode: WebhookMode;
  slowMs: number;
  copies: number;
  windowMs: number;
  order: 'reverse' | 'shuffle';
}

/** Meta aggregates Page events: entries arriving within `windowMs` (up to `maxEntries`) share one signed POST. */
export interface FacebookBatchConfig {
  maxEntries: number;
  windowMs: number;
}

/** `aaa`: Account Activity API (v1.1 JSON, `for_user_id`); `xaa`: X Activity API envelopes (`data.event_type`). */
export type XWebhookFormat = 'aaa' | 'xaa';

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
  webhookMode: WebhookModeConfig;
  /** Facebook batching; null sends every event in its own POST. */
  batch: FacebookBatchConfig | null;
  xWebhookFormat: XWebhookFormat;
  /**
   * Messenger unsubscribes the app from a Page after an hour of failed deliveries (simulator clock); null never does.
   * While unsubscribed, the Page's webhooks are dropped until `POST /{page-id}/subscribed_apps`.
   */
  autoUnsubscribeAfterMs: number | null;
}

/**
 * A partial configuration: each top-level key given replaces that setting; `rateLimits` merges per endpoint and
 * `webhookMode` per field.
 */
export type SimulatorConfigPatch = Partial<Omit<SimulatorConfig, 'rateLimits' | 'webhookMode'>> & {
  rateLimits?: Partial<Record<XRateLimitedEndpoint, Partial<RateLimitRule>>>;
  webhookMode?: Partial<WebhookModeConfig>;
};

export const SENT_KINDS = [
  'comment_reply',
  'messenger',
  'private_reply',
  'tweet',
  'dm',
  'post',
  'hide',
  'delete',
] as const;
/** `post`: a page post (`POST /{page-id}/feed`); `hide` / `delete`: a comment hidden or an object deleted. */
export type SentKind = (typeof SENT_KINDS)[number];

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
  /** In `duplicate` mode, which copy of the delivery this POST was (1-based). */
  copy?: number;
}

export type DeliverySource = 'inject' | 'echo' | 'raw';

/**
 * `queued`: held by Facebook batching or the `reorder` mode, not attempted yet; `retrying`: failed, another attempt is
 * scheduled (or waits for the `down` mode to end); `dropped`: not sent because the Page's webhooks were disabled.
 */
export type DeliveryState = 'queued' | 'pending' | 'delivered' | 'retrying' | 'failed' | 'dropped';

export interface DeliveryRecord {
  id: number;
  platform: SimPlatform;
  source: DeliverySource;
  url: string;
  headers: Record<string, string>;
  /** The exact body text that was signed and sent (empty while a batch is still collecting entries). */
  body: string;
  /** Pages (Facebook) or X users the delivery is for. */
  accounts: string[];
  /** Facebook: how many `entry[]` items the body holds. */
  entries?: number;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  nextAttemptAt: string | null;
  createdAt: string;
}

/** Outcome of the first delivery attempt (retries continue in the background). */
export interface DeliveryOutcome {
  deliveryId: number;
  /** `queued` when the delivery is held (batching, `reorder`): it is sent later, see `GET /_sim/deliveries`. */
  state: DeliveryState;
  status: number | null;
  body: string | null;
  error?: string;
}

/** Webhook destinations whose deliveries fail, by the simulator clock (Meta alerts after 15 min, unsubscribes after 1 h). */
export interface WebhookHealth {
  platform: SimPlatform;
  accountId: string;
  failingSince: string;
  alerted: boolean;
  unsubscribed: boolean;
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
  /**
   * A Graph error preset by code (4, 17, 32, 613, 80001 rate limits with `X-App-Usage` / `X-Business-Use-Case-Usage`
   * headers; 1, 2, 10, 100, 190, 200, 551, 2018218): body and headers are built when the rule fires.
   */
  graphError?: number;
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
