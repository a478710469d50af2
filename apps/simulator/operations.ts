import { cloneConfig } from './defaults';
import type { Injector } from './injector';
import { applyConfigPatch, parseClockChange, parseConfigPatch, parseFailRule, parseSentFilter } from './inputs';
import type {
  ClockChange,
  FailRuleInput,
  InjectCommentInput,
  InjectDmInput,
  InjectMentionInput,
  InjectMessageInput,
  InjectPostInput,
  InjectRawInput,
  InjectTweetDeleteInput,
  SentFilter,
} from './inputs';
import type { SimulatorState } from './state';
import type {
  DeliveryRecord,
  FailRule,
  HandshakeResult,
  InjectResult,
  SentRecord,
  SimulatorConfig,
  SimulatorConfigPatch,
} from './types';
import type { WebhookSender } from './webhook-sender';

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

  /** Each top-level key given replaces that setting (`rateLimits` merges per endpoint); returns the new config. */
  updateConfig(patch: SimulatorConfigPatch): SimulatorConfig {
    const parsed = parseConfigPatch(patch);
    this.state.setConfig(applyConfigPatch(this.state.config, parsed));
    return this.config();
  }

  injectComment(input: InjectCommentInput) {
    return this.injector.injectComment(input);
  }

  injectPost(input: InjectPostInput) {
    return this.injector.injectPost(input);
  }

  injectMessage(input: InjectMessageInput) {
    return this.injector.injectMessage(input);
  }

  injectMention(input: InjectMentionInput) {
    return this.injector.injectMention(input);
  }

  injectDm(input: InjectDmInput) {
    return this.injector.injectDm(input);
  }

  injectTweetDelete(input: InjectTweetDeleteInput) {
    return this.injector.injectTweetDelete(input);
  }

  injectRaw(input: InjectRawInput): Promise<Omit<InjectResult<null>, 'ids'>> {
    return this.injector.injectRaw(input);
  }

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

  /** Waits until no webhook (echoes included) is being delivered; scheduled retries are not waited for. */
  idle(): Promise<void> {
    return this.sender.idle();
  }
}
