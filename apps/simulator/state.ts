import { cloneConfig } from './defaults';
import { FacebookIdGenerator, SnowflakeGenerator, randomDigits } from './ids';
import type { ProfileAccess } from './inputs';
import type {
  FacebookPageConfig,
  FailRule,
  SentRecord,
  SimulatorConfig,
  XAccountConfig,
  XRateLimitedEndpoint,
} from './types';
import { SimulatorInputError } from './validation';

export interface FbUser {
  /** App-scoped id as it appears in feed `from.id`. */
  id: string;
  name: string | null;
  /** Carried over to the PSID a private reply creates for this person. */
  profileAccess: ProfileAccess;
}

export interface FbPost {
  id: string;
  pageId: string;
  fromId: string;
  fromName: string | null;
  message: string | null;
  createdAt: number;
  privateReplied: boolean;
  deleted: boolean;
}

export interface FbComment {
  id: string;
  pageId: string;
  postId: string;
  /** `post_id` for a top-level comment, else the top-level comment it answers (Meta has one level of replies). */
  parentId: string;
  fromId: string;
  fromName: string | null;
  message: string | null;
  createdAt: number;
  privateReplied: boolean;
  deleted: boolean;
  hidden: boolean;
}

/** A Messenger user as a page sees it (PSIDs are page-scoped). */
export interface FbProfile {
  psid: string;
  pageId: string;
  firstName: string;
  lastName: string;
  access: ProfileAccess;
}

/** A message a person sent to a page, kept so that it can be edited later. */
export interface FbInboundMessage {
  mid: string;
  pageId: string;
  psid: string;
  text: string | null;
  numEdit: number;
}

export interface XUser {
  id: string;
  screenName: string;
  name: string;
  followersCount: number;
  friendsCount: number;
  statusesCount: number;
  createdAt: number;
  location: string | null;
  description: string | null;
  verified: boolean;
}

export interface XTweet {
  id: string;
  authorId: string;
  text: string;
  mentionIds: string[];
  inReplyToStatusId: string | null;
  inReplyToUserId: string | null;
  quotedTweetId: string | null;
  /** Every version of the post, oldest first, this one included (X keeps the list the same on every version). */
  editHistoryIds: string[];
  /** The newer version that replaced this one, if the author edited it. */
  supersededBy: string | null;
  createdAt: number;
  deleted: boolean;
}

export interface XDmEvent {
  id: string;
  conversationId: string;
  senderId: string;
  recipientId: string;
  text: string;
  createdAt: number;
}

export interface RateLimitStatus {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds (real time: X clients compare it with their own clock). */
  reset: number;
  daily: { limit: number; remaining: number; reset: number } | null;
}

interface RateBucket {
  windowStart: number;
  count: number;
  dayStart: number;
  dayCount: number;
}

interface ActiveFailRule extends FailRule {
  regex: RegExp;
}

const FIRST_NAMES = [
  'Jane',
  'Omar',
  'Mei',
  'Lucas',
  'Priya',
  'Tomás',
  'Amara',
  'Noah',
  'Sofia',
  'Kenji',
  'Léa',
  'Ivan',
];
const LAST_NAMES = ['Doe', 'Haddad', 'Chen', 'Martin', 'Patel', 'García', 'Okafor', 'Smith', 'Rossi', 'Sato', 'Dubois'];

const DAY_MS = 86_400_000;

/**
 * Everything the simulator knows: configuration, the simulated clock, the platform objects it has seen or created,
 * Messenger windows, the log of what the backend sent, pending failures and rate-limit counters.
 */
export class SimulatorState {
  config: SimulatorConfig;
  /** Where the simulator itself is reachable (for avatar URLs); set once it listens. */
  publicUrl = '';

  readonly snowflakes = new SnowflakeGenerator();
  readonly fbIds = new FacebookIdGenerator();

  readonly fbUsers = new Map<string, FbUser>();
  readonly fbPosts = new Map<string, FbPost>();
  readonly fbComments = new Map<string, FbComment>();
  private readonly profiles = new Map<string, FbProfile>();
  readonly messengerMessages = new Map<string, FbInboundMessage>();
  /** Epoch ms up to which the person's client has confirmed delivery, per page and PSID. */
  private readonly deliveryWatermarks = new Map<string, number>();
  /** Pages the simulated Meta unsubscribed after an hour of failed deliveries. */
  private readonly unsubscribedPages = new Set<string>();
  private readonly lastInbound = new Map<string, number>();
  private readonly commenterPsids = new Map<string, string>();
  /** Webhook fields the backend subscribed each page to through `POST /{page-id}/subscribed_apps`. */
  readonly subscribedFields = new Map<string, string[]>();

  readonly xUsers = new Map<string, XUser>();
  readonly tweets = new Map<string, XTweet>();
  readonly dmEvents: XDmEvent[] = [];
  private readonly tweetTexts = new Map<string, Set<string>>();

  readonly sentLog: SentRecord[] = [];
  private failRules: ActiveFailRule[] = [];
  private readonly rateBuckets = new Map<string, RateBucket>();
  private clockOffsetMs = 0;
  /** Never reset, so that generated people and ids stay distinct across tests sharing one backend database. */
  private identityCounter = 0;
  private readonly identitySeed = randomDigits(5);

  constructor(private readonly initialConfig: SimulatorConfig) {
    this.config = cloneConfig(initialConfig);
  }

  // --- clock -------------------------------------------------------------------------------------------------------

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  setClock(change: { now?: string; advanceSeconds?: number }): { now: string; offsetSeconds: number } {
    if (change.now !== undefined) {
      const target = Date.parse(change.now);
      if (Number.isNaN(target)) {
        throw new SimulatorInputError('invalid clock', [{ field: 'now', message: 'must be an ISO date-time' }]);
      }
      this.clockOffsetMs = target - Date.now();
    }
    if (change.advanceSeconds !== undefined) this.clockOffsetMs += change.advanceSeconds * 1000;
    return { now: this.nowIso(), offsetSeconds: Math.round(this.clockOffsetMs / 1000) };
  }

  // --- configuration -----------------------------------------------------------------------------------------------

  page(pageId?: string): FacebookPageConfig {
    const page = pageId === undefined ? this.config.pages[0] : this.config.pages.find((p) => p.pageId === pageId);
    if (!page) {
      throw new SimulatorInputError('unknown page', [
        { field: 'pageId', message: pageId === undefined ? 'no Facebook page is configured' : `no page ${pageId}` },
      ]);
    }
    return page;
  }

  pageByToken(token: string): FacebookPageConfig | undefined {
    return this.config.pages.find((page) => page.pageAccessToken === token);
  }

  findPage(pageId: string): FacebookPageConfig | undefined {
    return this.config.pages.find((page) => page.pageId === pageId);
  }

  xAccount(userId?: string): XAccountConfig {
    const account =
      userId === undefined ? this.config.xAccounts[0] : this.config.xAccounts.find((a) => a.userId === userId);
    if (!account) {
      throw new SimulatorInputError('unknown X account', [
        { field: 'userId', message: userId === undefined ? 'no X account is configured' : `no account ${userId}` },
      ]);
    }
    return account;
  }

  findXAccount(userId: string): XAccountConfig | undefined {
    return this.config.xAccounts.find((account) => account.userId === userId);
  }

  xAccountByCredentials(consumerKey: string, accessToken: string | undefined): XAccountConfig | undefined {
    return this.config.xAccounts.find(
      (account) => account.consumerKey === consumerKey && account.accessToken === accessToken,
    );
  }

  setConfig(config: SimulatorConfig): void {
    this.config = cloneConfig(config);
  }

  /** Back to the start-up configuration with nothing remembered; id generators keep going so ids never repeat. */
  reset(): void {
    this.config = cloneConfig(this.initialConfig);
    this.clockOffsetMs = 0;
    this.fbUsers.clear();
    this.fbPosts.clear();
    this.fbComments.clear();
    this.profiles.clear();
    this.messengerMessages.clear();
    this.deliveryWatermarks.clear();
    this.unsubscribedPages.clear();
    this.lastInbound.clear();
    this.commenterPsids.clear();
    this.subscribedFields.clear();
    this.xUsers.clear();
    this.tweets.clear();
    this.dmEvents.length = 0;
    this.tweetTexts.clear();
    this.sentLog.length = 0;
    this.failRules = [];
    this.rateBuckets.clear();
  }

  // --- generated people --------------------------------------------------------------------------------------------

  private nextIdentity(): { n: number; firstName: string; lastName: string } {
    const n = ++this.identityCounter;
    return {
      n,
      firstName: FIRST_NAMES[(n - 1) % FIRST_NAMES.length] ?? 'Jane',
      lastName: LAST_NAMES[Math.floor((n - 1) / FIRST_NAMES.length) % LAST_NAMES.length] ?? 'Doe',
    };
  }

  /** A Facebook person with a 15-digit id starting with 3. */
  newFacebookPerson(): { id: string; name: string } {
    const { n, firstName, lastName } = this.nextIdentity();
    return { id: `3${this.identitySeed}${String(n).padStart(9, '0')}`, name: `${firstName} ${lastName}` };
  }

  /** An X user with a 19-digit id (above 2^53, like real ones) and handle `customer_<n>`. */
  newXPerson(): XUser {
    const { n, firstName, lastName } = this.nextIdentity();
    return {
      id: `3${this.identitySeed}${String(n).padStart(13, '0')}`,
      screenName: `customer_${n}`,
      name: `${firstName} ${lastName}`,
      followersCount: (n * 137) % 5000,
      friendsCount: (n * 53) % 800,
      statusesCount: 10 + ((n * 71) % 3000),
      createdAt: Date.UTC(2015, 0, 1) + n * 86_400_000,
      location: null,
      description: null,
      verified: false,
    };
  }

  // --- Facebook ----------------------------------------------------------------------------------------------------

  rememberFbUser(id: string, name: string | null, profileAccess?: ProfileAccess): FbUser {
    const known = this.fbUsers.get(id);
    const user: FbUser = {
      id,
      name: name ?? known?.name ?? null,
      profileAccess: profileAccess ?? known?.profileAccess ?? 'full',
    };
    this.fbUsers.set(id, user);
    return user;
  }

  /** Stable PSID for a commenter, created the first time the page messages them (private reply). */
  psidForCommenter(pageId: string, commenterId: string): string {
    const key = `${pageId}:${commenterId}`;
    let psid = this.commenterPsids.get(key);
    if (!psid) {
      psid = `7${randomDigits(15)}`;
      this.commenterPsids.set(key, psid);
    }
    return psid;
  }

  rememberProfile(pageId: string, psid: string, name: string | null, access?: ProfileAccess): FbProfile {
    const key = `${pageId}:${psid}`;
    const known = this.profiles.get(key);
    if (known && name === null) {
      if (access !== undefined) known.access = access;
      return known;
    }
    const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
    const generated = parts.length > 0 ? undefined : this.nextIdentity();
    const profile: FbProfile = {
      psid,
      pageId,
      firstName: generated?.firstName ?? parts[0] ?? '',
      lastName: generated?.lastName ?? parts.slice(1).join(' '),
      access: access ?? known?.access ?? 'full',
    };
    this.profiles.set(key, profile);
    return profile;
  }

  /** Moves the person's delivery watermark forward and returns the previous one (0 when none). */
  advanceDeliveryWatermark(pageId: string, psid: string, watermark: number): number {
    const key = `${pageId}:${psid}`;
    const previous = this.deliveryWatermarks.get(key) ?? 0;
    this.deliveryWatermarks.set(key, Math.max(previous, watermark));
    return previous;
  }

  unsubscribePage(pageId: string): void {
    this.unsubscribedPages.add(pageId);
    this.subscribedFields.delete(pageId);
  }

  resubscribePage(pageId: string): void {
    this.unsubscribedPages.delete(pageId);
  }

  isPageUnsubscribed(pageId: string): boolean {
    return this.unsubscribedPages.has(pageId);
  }

  profile(pageId: string, psid: string): FbProfile | undefined {
    return this.profiles.get(`${pageId}:${psid}`);
  }

  /** Records an action that opens the standard messaging window (a message, or a comment followed by a private reply). */
  openWindow(pageId: string, psid: string, atMs: number): void {
    const key = `${pageId}:${psid}`;
    this.lastInbound.set(key, Math.max(this.lastInbound.get(key) ?? 0, atMs));
  }

  lastInboundAt(pageId: string, psid: string): number | undefined {
    return this.lastInbound.get(`${pageId}:${psid}`);
  }

  // --- X -----------------------------------------------------------------------------------------------------------

  /** Our accounts and the customers seen so far. */
  xUser(id: string): XUser | undefined {
    const account = this.findXAccount(id);
    if (account) return this.accountUser(account);
    return this.xUsers.get(id);
  }

  accountUser(account: XAccountConfig): XUser {
    return {
      id: account.userId,
      screenName: account.handle,
      name: account.name,
      followersCount: 12840,
      friendsCount: 310,
      statusesCount: 5521,
      createdAt: Date.UTC(2012, 2, 14),
      location: null,
      description: `Official customer care of ${account.name}`,
      verified: false,
    };
  }

  xUserByScreenName(screenName: string): XUser | undefined {
    const lower = screenName.toLowerCase();
    const account = this.config.xAccounts.find((a) => a.handle.toLowerCase() === lower);
    if (account) return this.accountUser(account);
    for (const user of this.xUsers.values()) if (user.screenName.toLowerCase() === lower) return user;
    return undefined;
  }

  rememberXUser(user: XUser): XUser {
    if (!this.findXAccount(user.id)) this.xUsers.set(user.id, user);
    return user;
  }

  /** X rejects posting the same text twice from one account. */
  isDuplicateTweet(accountId: string, text: string): boolean {
    return this.tweetTexts.get(accountId)?.has(text.trim()) ?? false;
  }

  rememberTweetText(accountId: string, text: string): void {
    let texts = this.tweetTexts.get(accountId);
    if (!texts) this.tweetTexts.set(accountId, (texts = new Set()));
    texts.add(text.trim());
  }

  // --- failure injection and rate limits ----------------------------------------------------------------------------

  addFailRule(rule: FailRule): void {
    let regex: RegExp;
    try {
      regex = new RegExp(rule.pathPattern);
    } catch {
      throw new SimulatorInputError('invalid fail rule', [
        { field: 'pathPattern', message: 'must be a valid regular expression' },
      ]);
    }
    this.failRules.push({ ...rule, regex });
  }

  failRulesPending(): FailRule[] {
    return this.failRules.map(({ regex: _regex, ...rule }) => ({ ...rule }));
  }

  /** Consumes one use of the first rule matching this call, if any. */
  takeFailure(method: string, path: string): FailRule | undefined {
    const index = this.failRules.findIndex(
      (rule) => (rule.method === '*' || rule.method.toUpperCase() === method.toUpperCase()) && rule.regex.test(path),
    );
    if (index < 0) return undefined;
    const rule = this.failRules[index];
    if (!rule) return undefined;
    rule.count -= 1;
    if (rule.count <= 0) this.failRules.splice(index, 1);
    const { regex: _regex, ...plain } = rule;
    return plain;
  }

  /**
   * Counts one call against the account's window for the endpoint. Windows run on real time, not the simulator
   * clock, because clients wait for `x-rate-limit-reset` by their own clocks.
   */
  consumeRateLimit(accountId: string, endpoint: XRateLimitedEndpoint): RateLimitStatus {
    const rule = this.config.rateLimits[endpoint];
    const now = Date.now();
    const key = `${accountId}:${endpoint}`;
    let bucket = this.rateBuckets.get(key);
    if (!bucket) this.rateBuckets.set(key, (bucket = { windowStart: now, count: 0, dayStart: now, dayCount: 0 }));
    if (now >= bucket.windowStart + rule.windowSeconds * 1000) {
      bucket.windowStart = now;
      bucket.count = 0;
    }
    if (now >= bucket.dayStart + DAY_MS) {
      bucket.dayStart = now;
      bucket.dayCount = 0;
    }
    const dailyLeft = rule.dailyLimit === null ? Infinity : rule.dailyLimit - bucket.dayCount;
    const allowed = bucket.count < rule.limit && dailyLeft > 0;
    if (allowed) {
      bucket.count += 1;
      bucket.dayCount += 1;
    }
    return {
      allowed,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - bucket.count),
      reset: Math.ceil((bucket.windowStart + rule.windowSeconds * 1000) / 1000),
      daily:
        rule.dailyLimit === null
          ? null
          : {
              limit: rule.dailyLimit,
              remaining: Math.max(0, rule.dailyLimit - bucket.dayCount),
              reset: Math.ceil((bucket.dayStart + DAY_MS) / 1000),
            },
    };
  }

  recordSent(record: SentRecord): void {
    this.sentLog.push(record);
  }
}
