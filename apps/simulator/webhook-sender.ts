import { randomBytes, randomInt } from 'node:crypto';
import { toMetaJson } from './json-text';
import type { JsonObject, JsonValue } from './json-text';
import { metaSignature1, metaSignature256, xCrcResponseToken, xWebhookSignature } from './signing';
import type { SimulatorState } from './state';
import type {
  DeliveryAttempt,
  DeliveryOutcome,
  DeliveryRecord,
  DeliverySource,
  FacebookPageConfig,
  HandshakeResult,
  SimPlatform,
  WebhookHealth,
  WebhookModeConfig,
  XAccountConfig,
} from './types';

const MAX_LOGGED_RESPONSE = 2000;
/** Meta alerts the developer after 15 minutes of failed deliveries. */
const ALERT_AFTER_MS = 15 * 60_000;
const OUTAGE_ERROR = 'not sent: webhook mode "down" (simulated outage)';

interface PendingBatch {
  key: string;
  record: DeliveryRecord;
  page: FacebookPageConfig;
  entries: JsonValue[];
  timer: NodeJS.Timeout;
  release: () => void;
}

interface ReorderBuffer {
  records: DeliveryRecord[];
  timer: NodeJS.Timeout;
  release: () => void;
}

interface FailingDestination {
  platform: SimPlatform;
  accountId: string;
  since: number;
  alerted: boolean;
}

interface PostResult {
  status: number | null;
  body: string | null;
  error: string | null;
  at: number;
  durationMs: number;
}

export interface WebhookQueueStatus {
  /** Deliveries held by batching or `reorder`, not attempted yet. */
  queued: number;
  /** Failed deliveries waiting for the `down` mode to end before their next attempt. */
  waitingForRecovery: number;
  /** Failed deliveries with a retry timer running. */
  retrying: number;
  failing: WebhookHealth[];
}

/**
 * Signs and POSTs webhooks to the gateway like Meta and X do, keeps a log of every delivery and retries failed ones
 * in the background on the configured schedule. On top of that, the switches of platform-apis.md §3.1: Facebook
 * batching, the `down` / `slow` / `duplicate` / `reorder` modes, and Messenger's "failing since" bookkeeping that
 * unsubscribes a Page after an hour of failures.
 */
export class WebhookSender {
  private readonly log: DeliveryRecord[] = [];
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  /** Retries due while the gateway was "down": record id → the delay to wait once it is back. */
  private readonly waitingForRecovery = new Map<number, number>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly batches = new Map<string, PendingBatch>();
  private reorderBuffer: ReorderBuffer | null = null;
  private readonly failing = new Map<string, FailingDestination>();
  private nextId = 1;

  constructor(
    private readonly state: SimulatorState,
    private readonly logLine: (line: string) => void,
  ) {}

  deliveries(): DeliveryRecord[] {
    return this.log.map((record) => ({
      ...record,
      headers: { ...record.headers },
      accounts: [...record.accounts],
      attempts: [...record.attempts],
    }));
  }

  /**
   * Sends a Page payload; with batching configured its entries join the current batch of the app (same secret) and
   * the call returns at once with the batch's delivery id and state `queued`.
   */
  deliverFacebook(payload: JsonObject, page: FacebookPageConfig, source: DeliverySource): Promise<DeliveryOutcome> {
    if (this.state.isPageUnsubscribed(page.pageId)) return Promise.resolve(this.dropped(page, payload, source));
    const batch = this.state.config.batch;
    const entries = Array.isArray(payload.entry) ? payload.entry : [];
    if (batch && entries.length > 0) return Promise.resolve(this.addToBatch(page, entries, source));
    const body = toMetaJson(payload);
    const record = this.newRecord('facebook', source, body, facebookHeaders(page, body), [page.pageId]);
    record.entries = entries.length;
    return this.dispatch(record);
  }

  /** Sends exact text (a raw fixture): never batched, so the bytes stay the caller's. */
  deliverFacebookText(body: string, page: FacebookPageConfig, source: DeliverySource): Promise<DeliveryOutcome> {
    return this.dispatch(this.newRecord('facebook', source, body, facebookHeaders(page, body), [page.pageId]));
  }

  deliverTwitter(body: string, account: XAccountConfig, source: DeliverySource): Promise<DeliveryOutcome> {
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'x-twitter-webhooks-signature': xWebhookSignature(account.consumerSecret, body),
      'user-agent': 'Twitter-Webhooks/1.0',
    };
    return this.dispatch(this.newRecord('twitter', source, body, headers, [account.userId]));
  }

  /** Runs work in the background while letting {@link idle} and close() wait for it. */
  track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => this.logLine(`background task failed: ${describe(error)}`));
    this.inflight.add(guarded);
    void guarded.finally(() => this.inflight.delete(guarded));
  }

  /**
   * Resolves when nothing is in flight: held batches and `reorder` buffers are waited for (their windows are short),
   * scheduled retries and retries waiting for the `down` mode to end are not.
   */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Sends held batches and `reorder` buffers now; returns how many deliveries were released. */
  flush(): number {
    const batches = [...this.batches.values()];
    for (const batch of batches) this.flushBatch(batch);
    return batches.length + this.releaseReorder();
  }

  /** To be called after the configuration changed: ending `down` resumes retries, ending `reorder` releases. */
  configChanged(previous: WebhookModeConfig): void {
    const current = this.state.config.webhookMode.mode;
    if (previous.mode === 'down' && current !== 'down') this.resumeAfterOutage();
    if (previous.mode === 'reorder' && current !== 'reorder') this.releaseReorder();
    if (!this.state.config.batch) for (const batch of [...this.batches.values()]) this.flushBatch(batch);
  }

  status(): WebhookQueueStatus {
    return {
      queued: this.log.filter((record) => record.state === 'queued').length,
      waitingForRecovery: this.waitingForRecovery.size,
      retrying: this.retryTimers.size,
      failing: [...this.failing.values()].map((entry) => ({
        platform: entry.platform,
        accountId: entry.accountId,
        failingSince: new Date(entry.since).toISOString(),
        alerted: entry.alerted,
        unsubscribed: entry.platform === 'facebook' && this.state.isPageUnsubscribed(entry.accountId),
      })),
    };
  }

  /** Forgets everything (reset): the log, held deliveries, retries and failure tracking. */
  clear(): void {
    this.stopRetries();
    for (const batch of this.batches.values()) {
      clearTimeout(batch.timer);
      batch.release();
    }
    this.batches.clear();
    if (this.reorderBuffer) {
      clearTimeout(this.reorderBuffer.timer);
      this.reorderBuffer.release();
      this.reorderBuffer = null;
    }
    this.failing.clear();
    this.log.length = 0;
  }

  /** On close: held deliveries go out now, scheduled retries are cancelled. */
  shutdown(): void {
    this.flush();
    this.stopRetries();
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

  // --- records -----------------------------------------------------------------------------------------------------

  private newRecord(
    platform: SimPlatform,
    source: DeliverySource,
    body: string,
    headers: Record<string, string>,
    accounts: string[],
  ): DeliveryRecord {
    const record: DeliveryRecord = {
      id: this.nextId++,
      platform,
      source,
      url: this.webhookUrl(platform),
      headers,
      body,
      accounts,
      state: 'pending',
      attempts: [],
      nextAttemptAt: null,
      createdAt: new Date().toISOString(),
    };
    this.log.push(record);
    return record;
  }

  private dropped(page: FacebookPageConfig, payload: JsonObject, source: DeliverySource): DeliveryOutcome {
    const body = toMetaJson(payload);
    const record = this.newRecord('facebook', source, body, facebookHeaders(page, body), [page.pageId]);
    record.state = 'dropped';
    const error = `not sent: the app was unsubscribed from page ${page.pageId} (POST /${page.pageId}/subscribed_apps)`;
    this.logLine(`webhook #${record.id} facebook (${source}) dropped: page ${page.pageId} is unsubscribed`);
    return { deliveryId: record.id, state: 'dropped', status: null, body: null, error };
  }

  private webhookUrl(platform: SimPlatform): string {
    return `${this.state.config.gatewayUrl.replace(/\/+$/, '')}/webhooks/${platform}`;
  }

  // --- batching ----------------------------------------------------------------------------------------------------

  private addToBatch(page: FacebookPageConfig, entries: JsonValue[], source: DeliverySource): DeliveryOutcome {
    const config = this.state.config.batch;
    // One app signs a batch, so only pages sharing the app secret share a POST.
    const key = page.appSecret;
    let batch = this.batches.get(key);
    if (!batch) {
      const record = this.newRecord('facebook', source, '', {}, []);
      record.state = 'queued';
      let release = (): void => undefined;
      this.track(new Promise<void>((resolve) => (release = () => resolve())));
      const created: PendingBatch = {
        key,
        record,
        page,
        entries: [],
        release,
        timer: setTimeout(() => this.flushBatch(created), config?.windowMs ?? 0),
      };
      batch = created;
      this.batches.set(key, batch);
    }
    batch.entries.push(...entries);
    for (const entry of entries) {
      const id = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? entry.id : undefined;
      const pageId = typeof id === 'string' ? id : page.pageId;
      if (!batch.record.accounts.includes(pageId)) batch.record.accounts.push(pageId);
    }
    batch.record.entries = batch.entries.length;
    const outcome: DeliveryOutcome = { deliveryId: batch.record.id, state: 'queued', status: null, body: null };
    if (batch.entries.length >= (config?.maxEntries ?? 1)) this.flushBatch(batch);
    return outcome;
  }

  private flushBatch(batch: PendingBatch): void {
    if (this.batches.get(batch.key) !== batch) return;
    clearTimeout(batch.timer);
    this.batches.delete(batch.key);
    const body = toMetaJson({ object: 'page', entry: batch.entries });
    batch.record.body = body;
    batch.record.headers = facebookHeaders(batch.page, body);
    batch.record.state = 'pending';
    this.track(this.dispatch(batch.record));
    batch.release();
  }

  // --- modes -------------------------------------------------------------------------------------------------------

  private dispatch(record: DeliveryRecord): Promise<DeliveryOutcome> {
    if (this.state.config.webhookMode.mode !== 'reorder') return this.attempt(record);
    record.state = 'queued';
    if (!this.reorderBuffer) {
      let release = (): void => undefined;
      this.track(new Promise<void>((resolve) => (release = () => resolve())));
      this.reorderBuffer = {
        records: [],
        release,
        timer: setTimeout(() => this.releaseReorder(), this.state.config.webhookMode.windowMs),
      };
    }
    this.reorderBuffer.records.push(record);
    return Promise.resolve({ deliveryId: record.id, state: 'queued', status: null, body: null });
  }

  /** Sends the held deliveries one after the other, newest first (or shuffled), so the gateway sees them out of order. */
  private releaseReorder(): number {
    const buffer = this.reorderBuffer;
    if (!buffer) return 0;
    clearTimeout(buffer.timer);
    this.reorderBuffer = null;
    const ordered = this.state.config.webhookMode.order === 'shuffle' ? shuffled(buffer.records) : [...buffer.records];
    if (this.state.config.webhookMode.order !== 'shuffle') ordered.reverse();
    this.track(
      (async () => {
        for (const record of ordered) await this.attempt(record);
      })(),
    );
    buffer.release();
    return ordered.length;
  }

  private async attempt(record: DeliveryRecord): Promise<DeliveryOutcome> {
    record.state = 'pending';
    record.nextAttemptAt = null;
    const mode = this.state.config.webhookMode;
    let results: Array<PostResult & { copy?: number }>;
    if (mode.mode === 'down') {
      results = [{ status: null, body: null, error: OUTAGE_ERROR, at: Date.now(), durationMs: 0 }];
    } else {
      if (mode.mode === 'slow') await sleep(mode.slowMs);
      results =
        mode.mode === 'duplicate' && mode.copies > 1
          ? await this.postCopies(record, mode.copies)
          : [await this.post(record)];
    }
    for (const result of results) {
      const attempt: DeliveryAttempt = {
        at: new Date(result.at).toISOString(),
        status: result.status,
        body: result.body,
        error: result.error,
        durationMs: result.durationMs,
      };
      if (result.copy !== undefined) attempt.copy = result.copy;
      record.attempts.push(attempt);
    }
    const best = results.find((result) => isSuccess(result.status)) ?? results[results.length - 1];
    const ok = best !== undefined && isSuccess(best.status);
    const round = record.attempts.filter((attempt) => (attempt.copy ?? 1) === 1).length;
    this.logLine(
      `webhook #${record.id} ${record.platform} (${record.source}) attempt ${round}` +
        `${results.length > 1 ? ` ×${results.length}` : ''} → ${best?.status ?? best?.error ?? '?'}`,
    );
    if (ok) {
      record.state = 'delivered';
      this.markHealthy(record);
    } else {
      this.markFailing(record);
      this.scheduleRetry(record, round);
    }
    const outcome: DeliveryOutcome = {
      deliveryId: record.id,
      state: record.state,
      status: best?.status ?? null,
      body: best?.body ?? null,
    };
    if (best?.error) outcome.error = best.error;
    return outcome;
  }

  /** The first two copies race each other, the rest follow one by one. */
  private async postCopies(record: DeliveryRecord, copies: number): Promise<Array<PostResult & { copy: number }>> {
    const racing = await Promise.all([1, 2].map(async (copy) => ({ ...(await this.post(record)), copy })));
    const results = [...racing];
    for (let copy = 3; copy <= copies; copy++) results.push({ ...(await this.post(record)), copy });
    return results;
  }

  private async post(record: DeliveryRecord): Promise<PostResult> {
    const started = Date.now();
    try {
      const response = await fetch(record.url, {
        method: 'POST',
        headers: record.headers,
        body: record.body,
        signal: AbortSignal.timeout(this.state.config.webhookTimeoutMs),
      });
      const body = (await response.text()).slice(0, MAX_LOGGED_RESPONSE);
      return { status: response.status, body, error: null, at: started, durationMs: Date.now() - started };
    } catch (caught) {
      return { status: null, body: null, error: describe(caught), at: started, durationMs: Date.now() - started };
    }
  }

  // --- retries -----------------------------------------------------------------------------------------------------

  private scheduleRetry(record: DeliveryRecord, round: number): void {
    if (record.platform === 'facebook' && record.accounts.every((id) => this.state.isPageUnsubscribed(id))) {
      record.state = 'dropped';
      return;
    }
    const delay = this.state.config.retryScheduleMs[round - 1];
    if (delay === undefined) {
      record.state = 'failed';
      return;
    }
    record.state = 'retrying';
    if (this.state.config.webhookMode.mode === 'down') {
      this.waitingForRecovery.set(record.id, delay);
      return;
    }
    this.startRetryTimer(record, delay);
  }

  private startRetryTimer(record: DeliveryRecord, delay: number): void {
    record.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    const timer = setTimeout(() => {
      this.retryTimers.delete(record.id);
      this.track(this.attempt(record));
    }, delay);
    timer.unref();
    this.retryTimers.set(record.id, timer);
  }

  private resumeAfterOutage(): void {
    for (const [id, delay] of this.waitingForRecovery) {
      const record = this.log.find((candidate) => candidate.id === id);
      if (record?.state === 'retrying') this.startRetryTimer(record, delay);
    }
    this.waitingForRecovery.clear();
  }

  private stopRetries(): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.waitingForRecovery.clear();
    for (const record of this.log) {
      if (record.state === 'retrying') {
        record.state = 'failed';
        record.nextAttemptAt = null;
      }
    }
  }

  // --- failing since -----------------------------------------------------------------------------------------------

  private markHealthy(record: DeliveryRecord): void {
    for (const accountId of record.accounts) this.failing.delete(`${record.platform}:${accountId}`);
  }

  private markFailing(record: DeliveryRecord): void {
    const now = this.state.now();
    for (const accountId of record.accounts) {
      const key = `${record.platform}:${accountId}`;
      let entry = this.failing.get(key);
      if (!entry) this.failing.set(key, (entry = { platform: record.platform, accountId, since: now, alerted: false }));
      const failingFor = now - entry.since;
      if (!entry.alerted && failingFor >= ALERT_AFTER_MS) {
        entry.alerted = true;
        this.logLine(
          `webhooks to ${record.platform} account ${accountId} failing for ${Math.round(failingFor / 60_000)} min`,
        );
      }
      const unsubscribeAfter = this.state.config.autoUnsubscribeAfterMs;
      if (
        record.platform === 'facebook' &&
        unsubscribeAfter !== null &&
        failingFor >= unsubscribeAfter &&
        !this.state.isPageUnsubscribed(accountId)
      ) {
        this.state.unsubscribePage(accountId);
        this.logLine(
          `page ${accountId}: deliveries failed for ${Math.round(failingFor / 60_000)} min, app unsubscribed`,
        );
        this.dropPendingFor(accountId);
      }
    }
  }

  /** Meta stops retrying what it had queued for a Page once it unsubscribed the app from it. */
  private dropPendingFor(pageId: string): void {
    for (const record of this.log) {
      if (record.platform !== 'facebook' || record.state !== 'retrying' || !record.accounts.includes(pageId)) continue;
      if (!record.accounts.every((id) => this.state.isPageUnsubscribed(id))) continue;
      const timer = this.retryTimers.get(record.id);
      if (timer) clearTimeout(timer);
      this.retryTimers.delete(record.id);
      this.waitingForRecovery.delete(record.id);
      record.state = 'dropped';
      record.nextAttemptAt = null;
    }
  }

  private async get(url: string): Promise<{ status: number | null; body: string | null; error?: string }> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.state.config.webhookTimeoutMs) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: null, body: null, error: describe(error) };
    }
  }
}

function facebookHeaders(page: FacebookPageConfig, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-hub-signature-256': metaSignature256(page.appSecret, body),
    'x-hub-signature': metaSignature1(page.appSecret, body),
    'user-agent': 'facebookexternalua',
  };
}

function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A random order that differs from the given one whenever it can. */
function shuffled<T>(items: T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  if (result.length > 1 && result.every((item, index) => item === items[index])) result.reverse();
  return result;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
