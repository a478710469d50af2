import { randomBytes, randomInt } from 'node:crypto';
import { metaSignature1, metaSignature256, xCrcResponseToken, xWebhookSignature } from './signing';
import type { SimulatorState } from './state';
import type {
  DeliveryOutcome,
  DeliveryRecord,
  DeliverySource,
  FacebookPageConfig,
  HandshakeResult,
  SimPlatform,
  XAccountConfig,
} from './types';

const MAX_LOGGED_RESPONSE = 2000;

/**
 * Signs and POSTs webhooks to the gateway like Meta and X do, keeps a log of every delivery and retries failed ones
 * in the background on the configured schedule.
 */
export class WebhookSender {
  private readonly log: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<unknown>>();
  private nextId = 1;

  constructor(
    private readonly state: SimulatorState,
    private readonly logLine: (line: string) => void,
  ) {}

  deliveries(): DeliveryRecord[] {
    return this.log.map((record) => ({ ...record, headers: { ...record.headers }, attempts: [...record.attempts] }));
  }

  /** `body` must be the exact text to send (already Meta-escaped). */
  deliverFacebook(body: string, page: FacebookPageConfig, source: DeliverySource): Promise<DeliveryOutcome> {
    return this.deliver('facebook', body, source, {
      'content-type': 'application/json',
      'x-hub-signature-256': metaSignature256(page.appSecret, body),
      'x-hub-signature': metaSignature1(page.appSecret, body),
      'user-agent': 'facebookexternalua',
    });
  }

  deliverTwitter(body: string, account: XAccountConfig, source: DeliverySource): Promise<DeliveryOutcome> {
    return this.deliver('twitter', body, source, {
      'content-type': 'application/json; charset=utf-8',
      'x-twitter-webhooks-signature': xWebhookSignature(account.consumerSecret, body),
      'user-agent': 'Twitter-Webhooks/1.0',
    });
  }

  /** Runs work in the background while letting {@link idle} and close() wait for it. */
  track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => this.logLine(`background task failed: ${describe(error)}`));
    this.inflight.add(guarded);
    void guarded.finally(() => this.inflight.delete(guarded));
  }

  /** Resolves when no delivery is in flight (scheduled retries are not waited for). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Cancels scheduled retries and forgets the log. */
  clear(): void {
    this.cancelRetries();
    this.log.length = 0;
  }

  cancelRetries(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const record of this.log) {
      if (record.state === 'retrying') {
        record.state = 'failed';
        record.nextAttemptAt = null;
      }
    }
  }

  /** Meta's subscription check: GET with hub.mode, hub.verify_token and a random hub.challenge to be echoed. */
  async verifyFacebook(page: FacebookPageConfig, verifyToken = page.verifyToken): Promise<HandshakeResult> {
    const challenge = String(randomInt(100_000_000, 2_000_000_000));
    const query = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': verifyToken,
      'hub.challenge': challenge,
    });
    const url = `${this.webhookUrl('facebook')}?${query.toString()}`;
    const result = await this.get(url);
    return { ...result, url, expected: challenge, ok: result.status === 200 && result.body === challenge };
  }

  /** X's challenge-response check: GET ?crc_token=..., expecting {"response_token":"sha256=<base64 HMAC>"}. */
  async checkTwitterCrc(account: XAccountConfig): Promise<HandshakeResult> {
    const crcToken = randomBytes(24).toString('base64url');
    const url = `${this.webhookUrl('twitter')}?crc_token=${encodeURIComponent(crcToken)}`;
    const expected = xCrcResponseToken(account.consumerSecret, crcToken);
    const result = await this.get(url);
    let token: unknown;
    try {
      token = (JSON.parse(result.body ?? '') as { response_token?: unknown }).response_token;
    } catch {
      token = undefined;
    }
    return { ...result, url, expected, ok: result.status === 200 && token === expected };
  }

  private webhookUrl(platform: SimPlatform): string {
    return `${this.state.config.gatewayUrl.replace(/\/+$/, '')}/webhooks/${platform}`;
  }

  private async get(url: string): Promise<{ status: number | null; body: string | null; error?: string }> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.state.config.webhookTimeoutMs) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: null, body: null, error: describe(error) };
    }
  }

  private async deliver(
    platform: SimPlatform,
    body: string,
    source: DeliverySource,
    headers: Record<string, string>,
  ): Promise<DeliveryOutcome> {
    const record: DeliveryRecord = {
      id: this.nextId++,
      platform,
      source,
      url: this.webhookUrl(platform),
      headers,
      body,
      state: 'pending',
      attempts: [],
      nextAttemptAt: null,
      createdAt: new Date().toISOString(),
    };
    this.log.push(record);
    return this.attempt(record);
  }

  private async attempt(record: DeliveryRecord): Promise<DeliveryOutcome> {
    const started = Date.now();
    let status: number | null = null;
    let responseBody: string | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(record.url, {
        method: 'POST',
        headers: record.headers,
        body: record.body,
        signal: AbortSignal.timeout(this.state.config.webhookTimeoutMs),
      });
      status = response.status;
      responseBody = (await response.text()).slice(0, MAX_LOGGED_RESPONSE);
    } catch (caught) {
      error = describe(caught);
    }
    record.attempts.push({
      at: new Date(started).toISOString(),
      status,
      body: responseBody,
      error,
      durationMs: Date.now() - started,
    });
    const ok = status !== null && status >= 200 && status < 300;
    const attemptNo = record.attempts.length;
    this.logLine(
      `webhook #${record.id} ${record.platform} (${record.source}) attempt ${attemptNo} → ${status ?? error ?? '?'}`,
    );
    if (ok) {
      record.state = 'delivered';
      record.nextAttemptAt = null;
    } else {
      const delay = this.state.config.retryScheduleMs[attemptNo - 1];
      if (delay === undefined) {
        record.state = 'failed';
        record.nextAttemptAt = null;
      } else {
        record.state = 'retrying';
        record.nextAttemptAt = new Date(Date.now() + delay).toISOString();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.track(this.attempt(record));
        }, delay);
        timer.unref();
        this.timers.add(timer);
      }
    }
    return error === null
      ? { deliveryId: record.id, status, body: responseBody }
      : { deliveryId: record.id, status, body: responseBody, error };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
