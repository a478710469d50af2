import type {
  FacebookPageConfig,
  RateLimitRule,
  SimulatorConfig,
  WebhookModeConfig,
  XAccountConfig,
  XRateLimitedEndpoint,
} from './types';

/**
 * The demo accounts the simulator serves out of the box, so that the README's curl commands need no set-up. Create
 * the same accounts in Switchboard (`POST /api/accounts`) to connect the two. `appId` (Facebook) and `name` (X) are
 * simulator-only fields that Switchboard's account API does not take.
 */
export const SIMULATOR_DEFAULTS = {
  facebook: {
    pageId: '1000000000001',
    name: 'Acme Care',
    pageAccessToken: 'sim-page-token',
    appSecret: 'sim-app-secret',
    verifyToken: 'sim-verify-token',
    appId: '900000000000001',
  },
  twitter: {
    userId: '2000000000001',
    handle: 'acmecare',
    name: 'Acme Care',
    consumerKey: 'sim-consumer-key',
    consumerSecret: 'sim-consumer-secret',
    accessToken: '2000000000001-sim-access-token',
    accessTokenSecret: 'sim-access-secret',
  },
} as const satisfies { facebook: FacebookPageConfig; twitter: XAccountConfig };

/** X's documented per-user limits (docs.x.com rate-limit table); tests shrink them through the config. */
export const DEFAULT_RATE_LIMITS: Record<XRateLimitedEndpoint, RateLimitRule> = {
  tweets: { limit: 100, windowSeconds: 900, dailyLimit: 2400 },
  dms: { limit: 15, windowSeconds: 900, dailyLimit: 1440 },
  usersMe: { limit: 75, windowSeconds: 900, dailyLimit: null },
  users: { limit: 900, windowSeconds: 900, dailyLimit: null },
  mentions: { limit: 300, windowSeconds: 900, dailyLimit: null },
  dmEvents: { limit: 15, windowSeconds: 900, dailyLimit: null },
};

export const DEFAULT_RETRY_SCHEDULE_MS = [1000, 5000, 30000];
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10000;
export const DEFAULT_WEBHOOK_MODE: WebhookModeConfig = {
  mode: 'normal',
  slowMs: 3000,
  copies: 2,
  windowMs: 1000,
  order: 'reverse',
};
/** Meta's documented batch ceiling ("a maximum of 1000 updates"). */
export const DEFAULT_BATCH_MAX_ENTRIES = 1000;
export const DEFAULT_AUTO_UNSUBSCRIBE_MS = 3_600_000;

export function defaultConfig(gatewayUrl: string): SimulatorConfig {
  return {
    gatewayUrl,
    pages: [{ ...SIMULATOR_DEFAULTS.facebook }],
    xAccounts: [{ ...SIMULATOR_DEFAULTS.twitter }],
    echoes: true,
    replyRestriction: true,
    retryScheduleMs: [...DEFAULT_RETRY_SCHEDULE_MS],
    webhookTimeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
    rateLimits: cloneRateLimits(DEFAULT_RATE_LIMITS),
    webhookMode: { ...DEFAULT_WEBHOOK_MODE },
    batch: null,
    xWebhookFormat: 'aaa',
    autoUnsubscribeAfterMs: DEFAULT_AUTO_UNSUBSCRIBE_MS,
  };
}

export function cloneRateLimits(
  limits: Record<XRateLimitedEndpoint, RateLimitRule>,
): Record<XRateLimitedEndpoint, RateLimitRule> {
  return {
    tweets: { ...limits.tweets },
    dms: { ...limits.dms },
    usersMe: { ...limits.usersMe },
    users: { ...limits.users },
    mentions: { ...limits.mentions },
    dmEvents: { ...limits.dmEvents },
  };
}

export function cloneConfig(config: SimulatorConfig): SimulatorConfig {
  return {
    ...config,
    pages: config.pages.map((page) => ({ ...page })),
    xAccounts: config.xAccounts.map((account) => ({ ...account })),
    retryScheduleMs: [...config.retryScheduleMs],
    rateLimits: cloneRateLimits(config.rateLimits),
    webhookMode: { ...config.webhookMode },
    batch: config.batch && { ...config.batch },
  };
}
