import http from 'node:http';
import { ApiRequestError, ApiResponseError, TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import { PlatformErrorCode, type PlatformError, type SendResult } from '../types';

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
}
