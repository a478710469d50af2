import http from 'node:http';
import { ApiRequestError, ApiResponseError, TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import { type MessageEvent, PlatformErrorCode, type PlatformError, type SendResult } from '../types';
import { arr, field, objects, str } from '../untrusted-json';
import { normalizeV2DmEvent, normalizeV2Tweet } from './twitter-v2.normalizer';

export interface TwitterCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

const X_ORIGIN = /^https:\/\/(api|upload)\.x\.com/;

/**
 * twitter-api-v2 has no base-URL setting: a plugin rewrites each request URL (before it is signed, so OAuth covers the
 * rewritten URL), and a plain http agent is needed because the library always calls https.request.
 * shared/reference/platform-apis.md §2.10.
 */
function redirectPlugin(apiUrl: string): ITwitterApiClientPlugin {
  const rewrite = ({ params }: { params: { url: URL | string } }) => {
    const url = params.url.toString().replace(X_ORIGIN, apiUrl);
    params.url = params.url instanceof URL ? new URL(url) : url;
  };
  return { onBeforeRequestConfig: rewrite, onBeforeStreamRequestConfig: rewrite };
}

export function classifyTwitterError(error: unknown): PlatformError {
  if (error instanceof ApiResponseError) {
    const data = error.data as { detail?: string; title?: string } | undefined;
    const detail = data?.detail ?? data?.title ?? error.message;
    const make = (code: PlatformErrorCode, retryable: boolean, retryAt: string | null = null): PlatformError => ({
      code,
      retryable,
      message: detail,
      retryAt,
      platformBody: error.data,
    });
    if (error.code === 429 || error.rateLimitError) {
      const reset = error.rateLimit?.reset;
      return make(PlatformErrorCode.RATE_LIMITED, true, reset ? new Date(reset * 1000).toISOString() : null);
    }
    if (error.code === 401) return make(PlatformErrorCode.TOKEN_EXPIRED, false);
    if (error.code === 403 && /duplicate/i.test(detail)) return make(PlatformErrorCode.DUPLICATE, false);
    if (error.code === 403 && /not allowed|mentioned|engaged/i.test(detail)) {
      return make(PlatformErrorCode.REPLY_NOT_ALLOWED, false);
    }
    if (error.code === 403) return make(PlatformErrorCode.PERMISSION_DENIED, false);
    if (error.code >= 500) return make(PlatformErrorCode.TRANSIENT, true);
    return make(PlatformErrorCode.INVALID_REQUEST, false);
  }
  const message = error instanceof ApiRequestError || error instanceof Error ? error.message : String(error);
  return { code: PlatformErrorCode.TRANSIENT, retryable: true, message, retryAt: null, platformBody: null };
}

/** X answered 429: nothing more can be read before `resetAt` (the `x-rate-limit-reset` of the exhausted window). */
export class XRateLimitedError extends Error {
  readonly code = PlatformErrorCode.RATE_LIMITED;

  constructor(
    readonly resetAt: Date,
    options?: ErrorOptions,
  ) {
    super(`X rate limit reached until ${resetAt.toISOString()}`, options);
    this.name = 'XRateLimitedError';
  }
}

/** X's rate-limit window, assumed when a 429 names no reset time. */
const RATE_LIMIT_WINDOW_MS = 15 * 60 * 1000;

function rateLimitResetAt(error: ApiResponseError): Date {
  const limit = error.rateLimit;
  // The 24-hour caps can be what ran out while the 15-minute window still has room: wait for the exhausted ones.
  const exhausted = [limit, limit?.userDay, limit?.day].flatMap((window) =>
    window && window.remaining === 0 && window.reset > 0 ? [window.reset] : [],
  );
  const header = Number(error.headers['x-rate-limit-reset']);
  const resetSeconds =
    exhausted.length > 0 ? Math.max(...exhausted) : Number.isFinite(header) && header > 0 ? header : null;
  return resetSeconds === null ? new Date(Date.now() + RATE_LIMIT_WINDOW_MS) : new Date(resetSeconds * 1000);
}

/** What a poll read: new events oldest first, and the id to resume from next time. */
export interface PollResult {
  events: MessageEvent[];
  /** The newest id seen, or the id the poll started from when nothing newer came: store it as the next cursor. */
  newestId: string | null;
}

type XQuery = Record<string, string | number | undefined>;

const USER_FIELDS = 'username,name,profile_image_url,public_metrics';
const MEDIA_FIELDS = 'type,url,preview_image_url';
const MENTIONS_QUERY: XQuery = {
  'tweet.fields':
    'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,note_tweet,edit_history_tweet_ids,attachments',
  expansions: 'author_id,attachments.media_keys',
  'user.fields': USER_FIELDS,
  'media.fields': MEDIA_FIELDS,
  max_results: 100,
};
const DM_EVENTS_QUERY: XQuery = {
  'dm_event.fields': 'id,event_type,text,sender_id,dm_conversation_id,created_at,attachments,referenced_tweets',
  event_types: 'MessageCreate',
  expansions: 'sender_id,attachments.media_keys',
  'user.fields': USER_FIELDS,
  'media.fields': MEDIA_FIELDS,
  max_results: 100,
};
/** X keeps about 800 mentions reachable: 8 pages of 100 are all there is. */
const MAX_MENTION_PAGES = 8;
/** DM reads are limited to 15 per 15 minutes; one poll may use a third of them. */
const MAX_DM_PAGES = 5;

const SNOWFLAKE = /^\d{1,20}$/;

function newer(a: string | null, b: string): string {
  return a === null || BigInt(b) > BigInt(a) ? b : a;
}

function oldestFirst(events: MessageEvent[]): MessageEvent[] {
  const unique = new Map(events.map((event) => [event.platformMessageId, event]));
  return [...unique.values()].sort((a, b) => {
    const diff = BigInt(a.platformMessageId) - BigInt(b.platformMessageId);
    return diff < 0n ? -1 : diff > 0n ? 1 : 0;
  });
}

interface TimelinePage {
  items: { id: string; item: unknown }[];
  users: unknown[];
  media: unknown[];
  nextToken: string | null;
}

/** A v2 timeline response, newest first; items without a snowflake id are dropped. */
function readPage(body: unknown): TimelinePage {
  const includes = field(body, 'includes');
  return {
    items: objects(field(body, 'data')).flatMap((item) => {
      const id = str(item['id']);
      return id && SNOWFLAKE.test(id) ? [{ id, item }] : [];
    }),
    users: arr(field(includes, 'users')),
    media: arr(field(includes, 'media')),
    nextToken: str(field(field(body, 'meta'), 'next_token')),
  };
}

/** Every X call goes through twitter-api-v2 at `TWITTER_API_URL`. */
export class TwitterClient {
  private readonly agent: http.Agent | undefined;

  constructor(private readonly options: { apiUrl: string }) {
    this.agent = options.apiUrl.startsWith('http:') ? new http.Agent({ keepAlive: true }) : undefined;
  }

  private client(credentials: TwitterCredentials): TwitterApi {
    const redirect = !this.options.apiUrl.startsWith('https://api.x.com');
    return new TwitterApi(
      {
        appKey: credentials.consumerKey,
        appSecret: credentials.consumerSecret,
        accessToken: credentials.accessToken,
        accessSecret: credentials.accessTokenSecret,
      },
      {
        plugins: redirect ? [redirectPlugin(this.options.apiUrl)] : [],
        ...(this.agent ? { httpAgent: this.agent } : {}),
      },
    );
  }

  async reply(input: { credentials: TwitterCredentials; text: string; inReplyToTweetId: string }): Promise<SendResult> {
    try {
      const result = await this.client(input.credentials).v2.reply(input.text, input.inReplyToTweetId);
      return { ok: true, platformMessageId: result.data.id };
    } catch (error) {
      return { ok: false, error: classifyTwitterError(error) };
    }
  }

  async sendDirectMessage(input: {
    credentials: TwitterCredentials;
    participantId: string;
    text: string;
  }): Promise<SendResult> {
    try {
      const result = await this.client(input.credentials).v2.sendDmToParticipant(input.participantId, {
        text: input.text,
      });
      // The library types the result without X's `data` envelope, but returns the body as sent: read both.
      const body = result as unknown as { data?: { dm_event_id?: string }; dm_event_id?: string };
      const id = body.data?.dm_event_id ?? body.dm_event_id;
      if (!id) return { ok: false, error: classifyTwitterError(new Error('X answered without a dm_event_id')) };
      return { ok: true, platformMessageId: id };
    } catch (error) {
      return { ok: false, error: classifyTwitterError(error) };
    }
  }

  /**
   * Mentions of `userId` newer than `sinceId`, paging back through the timeline. The first poll of an account
   * (`sinceId` null) reads only the newest page: connecting an account must not import its whole mention history as
   * open interactions. Throws {@link XRateLimitedError} on 429; the poller retries from the same `sinceId` (the
   * ingest ignores what it already stored).
   */
  async fetchMentions(input: {
    credentials: TwitterCredentials;
    userId: string;
    sinceId: string | null;
  }): Promise<PollResult> {
    const client = this.client(input.credentials);
    const events: MessageEvent[] = [];
    let newestId = input.sinceId;
    let paginationToken: string | null = null;
    const maxPages = input.sinceId === null ? 1 : MAX_MENTION_PAGES;
    for (let page = 0; page < maxPages; page += 1) {
      const body = await readX(client, `users/${input.userId}/mentions`, {
        ...MENTIONS_QUERY,
        since_id: input.sinceId ?? undefined,
        pagination_token: paginationToken ?? undefined,
      });
      const { items, users, media, nextToken } = readPage(body);
      for (const { id, item } of items) {
        newestId = newer(newestId, id);
        const event = normalizeV2Tweet(input.userId, item, users, media);
        if (event) events.push(event);
      }
      if (!nextToken) break;
      paginationToken = nextToken;
    }
    return { events: oldestFirst(events), newestId };
  }

  /**
   * DM events of the account newer than `lastSeenId`. `GET /2/dm_events` lists newest first and has no since_id, so
   * it pages back until it meets an id at or below `lastSeenId` (snowflakes: compared as big integers) or a page cap;
   * DMs beyond the cap (more than 500 since the last poll) are skipped. Like {@link fetchMentions}, a first poll
   * (`lastSeenId` null) reads only the newest page.
   */
  async fetchDmEvents(input: {
    credentials: TwitterCredentials;
    accountUserId: string;
    lastSeenId: string | null;
  }): Promise<PollResult> {
    const client = this.client(input.credentials);
    const { lastSeenId } = input;
    const events: MessageEvent[] = [];
    let newestId = lastSeenId;
    let paginationToken: string | null = null;
    const maxPages = lastSeenId === null ? 1 : MAX_DM_PAGES;
    for (let page = 0; page < maxPages; page += 1) {
      const body = await readX(client, 'dm_events', {
        ...DM_EVENTS_QUERY,
        pagination_token: paginationToken ?? undefined,
      });
      const { items, users, media, nextToken } = readPage(body);
      const unseen = lastSeenId === null ? items : items.filter(({ id }) => BigInt(id) > BigInt(lastSeenId));
      for (const { id, item } of unseen) {
        newestId = newer(newestId, id);
        const event = normalizeV2DmEvent(input.accountUserId, item, users, media);
        if (event) events.push(event);
      }
      if (!nextToken || unseen.length < items.length) break;
      paginationToken = nextToken;
    }
    return { events: oldestFirst(events), newestId };
  }
}

/** A v2 GET whose 429 becomes {@link XRateLimitedError}; other errors propagate as twitter-api-v2 throws them. */
async function readX(client: TwitterApi, path: string, query: XQuery): Promise<unknown> {
  try {
    return await client.v2.get<unknown>(path, query);
  } catch (error) {
    if (error instanceof ApiResponseError && error.rateLimitError) {
      throw new XRateLimitedError(rateLimitResetAt(error), { cause: error });
    }
    throw error;
  }
}
