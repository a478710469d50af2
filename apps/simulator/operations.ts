import { cloneConfig } from './defaults';
import type { Injector } from './injector';
import {
  applyConfigPatch,
  parseClockChange,
  parseConfigPatch,
  parseFailRule,
  parseSentFilter,
  parseWebhookMode,
} from './inputs';
import type {
  ClockChange,
  FailRuleInput,
  InjectCommentInput,
  InjectDmInput,
  InjectFavoriteInput,
  InjectFollowInput,
  InjectInboxEchoInput,
  InjectMentionInput,
  InjectMessageEditInput,
  InjectMessageInput,
  InjectOwnDmInput,
  InjectOwnTweetInput,
  InjectPostbackInput,
  InjectPostInput,
  InjectQuoteInput,
  InjectRawInput,
  InjectReactionInput,
  InjectReceiptInput,
  InjectStandbyInput,
  InjectTestInput,
  InjectTweetDeleteInput,
  InjectTweetEditInput,
  SentFilter,
  WebhookModeInput,
} from './inputs';
import type { SimulatorState } from './state';
import type {
  DeliveryRecord,
  FacebookBatchConfig,
  FailRule,
  HandshakeResult,
  InjectResult,
  SentRecord,
  SimulatorConfig,
  SimulatorConfigPatch,
  WebhookModeConfig,
  XWebhookFormat,
} from './types';
import type { WebhookQueueStatus, WebhookSender } from './webhook-sender';

export type { WebhookQueueStatus } from './webhook-sender';

/** The webhook sender's switches and what it holds right now. */
export interface WebhookModeStatus extends WebhookModeConfig {
  batch: FacebookBatchConfig | null;
  xWebhookFormat: XWebhookFormat;
  autoUnsubscribeAfterMs: number | null;
  queue: WebhookQueueStatus;
}

/**
 * What tests and the control API can do with a running simulator. Every method validates its input the same way the
 * control API does and throws {@link SimulatorInputError} on bad input.
 */
export class SimulatorOperations {
  constructor(
    protected readonly state: SimulatorState,
    protected readonly sender: WebhookSender,
    protected readonly injector: Injector,
  ) {}

  config(): SimulatorConfig {
    return cloneConfig(this.state.config);
  }

  /**
   * Each top-level key given replaces that setting (`rateLimits` merges per endpoint, `webhookMode` per field);
   * returns the new config.
   */
  updateConfig(patch: SimulatorConfigPatch): SimulatorConfig {
    const parsed = parseConfigPatch(patch);
    const previousMode = { ...this.state.config.webhookMode };
    this.state.setConfig(applyConfigPatch(this.state.config, parsed));
    this.sender.configChanged(previousMode);
    return this.config();
  }

  // --- Facebook ----------------------------------------------------------------------------------------------------

  injectComment(input: InjectCommentInput) {
    return this.injector.facebook.injectComment(input);
  }

  injectPost(input: InjectPostInput) {
    return this.injector.facebook.injectPost(input);
  }

  injectMessage(input: InjectMessageInput) {
    return this.injector.facebook.injectMessage(input);
  }

  injectReaction(input: InjectReactionInput = {}) {
    return this.injector.facebook.injectReaction(input);
  }

  injectInboxEcho(input: InjectInboxEchoInput) {
    return this.injector.facebook.injectInboxEcho(input);
  }

  injectDelivery(input: InjectReceiptInput = {}) {
    return this.injector.facebook.injectDelivery(input);
  }

  injectRead(input: InjectReceiptInput = {}) {
    return this.injector.facebook.injectRead(input);
  }

  injectPostback(input: InjectPostbackInput = {}) {
    return this.injector.facebook.injectPostback(input);
  }

  injectStandby(input: InjectStandbyInput) {
    return this.injector.facebook.injectStandby(input);
  }

  injectMessageEdit(input: InjectMessageEditInput) {
    return this.injector.facebook.injectMessageEdit(input);
  }

  injectTest(input: InjectTestInput = {}) {
    return this.injector.facebook.injectTest(input);
  }

  // --- X -----------------------------------------------------------------------------------------------------------

  injectMention(input: InjectMentionInput = {}) {
    return this.injector.x.injectMention(input);
  }

  injectQuote(input: InjectQuoteInput = {}) {
    return this.injector.x.injectQuote(input);
  }

  injectDm(input: InjectDmInput) {
    return this.injector.x.injectDm(input);
  }

  injectOwnTweet(input: InjectOwnTweetInput) {
    return this.injector.x.injectOwnTweet(input);
  }

  injectOwnDm(input: InjectOwnDmInput) {
    return this.injector.x.injectOwnDm(input);
  }

  injectFavorite(input: InjectFavoriteInput = {}) {
    return this.injector.x.injectFavorite(input);
  }

  injectFollow(input: InjectFollowInput = {}) {
    return this.injector.x.injectFollow(input);
  }

  injectTweetEdit(input: InjectTweetEditInput) {
    return this.injector.x.injectTweetEdit(input);
  }

  injectTweetDelete(input: InjectTweetDeleteInput) {
    return this.injector.x.injectTweetDelete(input);
  }

  injectRaw(input: InjectRawInput): Promise<Omit<InjectResult<null>, 'ids'>> {
    return this.injector.injectRaw(input);
  }

  // --- observation -------------------------------------------------------------------------------------------------

  /** What the backend sent through the simulated APIs, oldest first. */
  sent(filter: SentFilter = {}): SentRecord[] {
    const { platform, kind } = parseSentFilter(filter);
    return this.state.sentLog
      .filter(
        (record) =>
          (platform === undefined || record.platform === platform) && (kind === undefined || record.kind === kind),
      )
      .map((record) => ({ ...record }));
  }

  deliveries(): DeliveryRecord[] {
    return this.sender.deliveries();
  }

  // --- webhook sender ----------------------------------------------------------------------------------------------

  webhookMode(): WebhookModeStatus {
    const config = this.state.config;
    return {
      ...config.webhookMode,
      batch: config.batch && { ...config.batch },
      xWebhookFormat: config.xWebhookFormat,
      autoUnsubscribeAfterMs: config.autoUnsubscribeAfterMs,
      queue: this.sender.status(),
    };
  }

  /** Switches the sender (`down`, `slow`, `duplicate`, `reorder`, back to `normal`); fields left out keep their value. */
  setWebhookMode(input: WebhookModeInput): WebhookModeStatus {
    this.updateConfig({ webhookMode: parseWebhookMode(input) });
    return this.webhookMode();
  }

  /** Sends held deliveries (open batches, the `reorder` buffer) now. */
  flushWebhooks(): { released: number } {
    return { released: this.sender.flush() };
  }

  // --- failures, clock, reset --------------------------------------------------------------------------------------

  /** The next `count` API calls matching the rule fail as described. */
  failNext(rule: FailRuleInput): FailRule {
    const parsed = parseFailRule(rule);
    this.state.addFailRule(parsed);
    return parsed;
  }

  pendingFailures(): FailRule[] {
    return this.state.failRulesPending();
  }

  /** Moves the simulator clock (Messenger windows, private-reply limits, timestamps and ids); rate limits use real time. */
  setClock(change: ClockChange): { now: string; offsetSeconds: number } {
    return this.state.setClock(parseClockChange(change));
  }

  now(): Date {
    return new Date(this.state.now());
  }

  /** Clears logs, known objects, windows, failures and rate limits, cancels retries and restores the start-up config. */
  reset(): void {
    this.sender.clear();
    this.state.reset();
  }

  /** Runs Meta's verification GET against the gateway and checks the echoed challenge. */
  verifyFacebookWebhook(options: { pageId?: string; verifyToken?: string } = {}): Promise<HandshakeResult> {
    const page = this.state.page(options.pageId);
    return this.sender.verifyFacebook(page, options.verifyToken ?? page.verifyToken);
  }

  /** Runs X's CRC GET against the gateway and checks the response token. */
  checkTwitterCrc(options: { userId?: string } = {}): Promise<HandshakeResult> {
    return this.sender.checkTwitterCrc(this.state.xAccount(options.userId));
  }

  /** Waits until no webhook (echoes and held batches included) is being delivered; scheduled retries are not waited for. */
  idle(): Promise<void> {
    return this.sender.idle();
  }
}
