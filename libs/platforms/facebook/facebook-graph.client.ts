import { PlatformErrorCode, type PlatformError, type SendResult } from '../types';

export interface FacebookGraphOptions {
  graphUrl: string;
  graphVersion: string;
  timeoutMs?: number;
}

export type MessengerRecipient = { id: string } | { comment_id: string } | { post_id: string };

export interface FacebookProfile {
  name: string | null;
  avatarUrl: string | null;
}

interface GraphErrorBody {
  error?: { message?: string; code?: number; error_subcode?: number; is_transient?: boolean };
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001]);
const WINDOW_SUBCODES = new Set([2018278, 2534022, 2018065]);

/** Maps a Graph API error body to our coded error, once, at the driver edge. */
export function classifyGraphError(status: number, body: unknown): PlatformError {
  const error = (body as GraphErrorBody | null)?.error ?? {};
  const code = error.code ?? 0;
  const subcode = error.error_subcode ?? 0;
  const message = error.message ?? `Graph API answered HTTP ${status}`;
  const make = (errorCode: PlatformErrorCode, retryable: boolean): PlatformError => ({
    code: errorCode,
    retryable,
    message,
    retryAt: null,
    platformBody: body,
  });
  if (RATE_LIMIT_CODES.has(code)) return make(PlatformErrorCode.RATE_LIMITED, true);
  if (code === 1 || code === 2 || error.is_transient === true || status >= 500) {
    return make(PlatformErrorCode.TRANSIENT, true);
  }
  if (code === 190) return make(PlatformErrorCode.TOKEN_EXPIRED, false);
  if (code === 10 && WINDOW_SUBCODES.has(subcode)) return make(PlatformErrorCode.WINDOW_CLOSED, false);
  if (code === 551 || subcode === 1545041) return make(PlatformErrorCode.RECIPIENT_UNAVAILABLE, false);
  if (code === 10 || code === 200 || code === 230) return make(PlatformErrorCode.PERMISSION_DENIED, false);
  if (code === 100) return make(PlatformErrorCode.INVALID_REQUEST, false);
  return make(PlatformErrorCode.UNKNOWN, false);
}

function networkError(error: unknown): PlatformError {
  return {
    code: PlatformErrorCode.TRANSIENT,
    retryable: true,
    message: `Graph API unreachable: ${error instanceof Error ? error.message : String(error)}`,
    retryAt: null,
    platformBody: null,
  };
}

/** Every Facebook call goes through `FACEBOOK_GRAPH_URL` / `FACEBOOK_GRAPH_VERSION`. */
export class FacebookGraphClient {
  constructor(private readonly options: FacebookGraphOptions) {}

  private url(path: string): string {
    return `${this.options.graphUrl}/${this.options.graphVersion}/${path}`;
  }

  private async post(
    path: string,
    accessToken: string,
    body: Record<string, unknown>,
  ): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; error: PlatformError }> {
    try {
      const response = await fetch(this.url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      const data = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      if (!response.ok || !data || 'error' in data) {
        return { ok: false, error: classifyGraphError(response.status, data) };
      }
      return { ok: true, data };
    } catch (error) {
      return { ok: false, error: networkError(error) };
    }
  }

  /** A public reply under a comment or a visitor post: `POST /{object-id}/comments`. */
  async replyToObject(input: { objectId: string; text: string; accessToken: string }): Promise<SendResult> {
    const result = await this.post(`${encodeURIComponent(input.objectId)}/comments`, input.accessToken, {
      message: input.text,
    });
    if (!result.ok) return result;
    const id = result.data['id'];
    return typeof id === 'string' ? { ok: true, platformMessageId: id } : { ok: false, error: networkError('no id') };
  }

  /**
   * A Messenger message. Inside the 24 h window a `RESPONSE`; after it, up to 7 days, a `HUMAN_AGENT` tagged message
   * (the only care tag Meta still accepts in 2026).
   */
  async sendMessage(input: {
    pageId: string;
    recipient: MessengerRecipient;
    text: string;
    accessToken: string;
    humanAgentTag?: boolean;
  }): Promise<SendResult & { recipientId?: string }> {
    const body: Record<string, unknown> = {
      recipient: input.recipient,
      message: { text: input.text },
      messaging_type: input.humanAgentTag ? 'MESSAGE_TAG' : 'RESPONSE',
      ...(input.humanAgentTag ? { tag: 'HUMAN_AGENT' } : {}),
    };
    const result = await this.post(`${encodeURIComponent(input.pageId)}/messages`, input.accessToken, body);
    if (!result.ok) return result;
    const id = result.data['message_id'];
    const recipientId = result.data['recipient_id'];
    if (typeof id !== 'string') return { ok: false, error: networkError('no message_id') };
    return { ok: true, platformMessageId: id, ...(typeof recipientId === 'string' ? { recipientId } : {}) };
  }

  /** Name and picture of a Messenger user; without the permission Meta answers `{}`, which leaves the name empty. */
  async getProfile(input: { psid: string; accessToken: string }): Promise<FacebookProfile | null> {
    try {
      const response = await fetch(
        `${this.url(encodeURIComponent(input.psid))}?fields=first_name,last_name,name,profile_pic`,
        {
          headers: { authorization: `Bearer ${input.accessToken}` },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        },
      );
      if (!response.ok) return null;
      const data = (await response.json()) as Record<string, unknown>;
      const first = typeof data['first_name'] === 'string' ? data['first_name'] : null;
      const last = typeof data['last_name'] === 'string' ? data['last_name'] : null;
      const name = typeof data['name'] === 'string' ? data['name'] : [first, last].filter(Boolean).join(' ') || null;
      return { name, avatarUrl: typeof data['profile_pic'] === 'string' ? data['profile_pic'] : null };
    } catch {
      return null;
    }
  }
}
