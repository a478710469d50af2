import { finished } from 'node:stream/promises';
import { FacebookInjector } from './facebook-injector';
import { parseInjectRaw } from './inputs';
import type { InjectRawInput } from './inputs';
import { toJsonText, toMetaJson } from './json-text';
import type { JsonValue } from './json-text';
import type { SimulatorState } from './state';
import type { DeliveryOutcome, InjectResult } from './types';
import { firstString } from './validation';
import type { WebhookSender } from './webhook-sender';
import { XInjector } from './x-injector';

export { dmConversationId } from './x-injector';

/**
 * The operations of the control API: create platform events as customers would, remember them so the APIs know
 * them, and deliver them as signed webhooks. Also sends the echo webhooks for what the backend does through the APIs.
 */
export class Injector {
  readonly facebook: FacebookInjector;
  readonly x: XInjector;

  constructor(
    private readonly state: SimulatorState,
    private readonly sender: WebhookSender,
  ) {
    this.facebook = new FacebookInjector(state, sender);
    this.x = new XInjector(state, sender);
  }

  /** Signs and sends a caller-built payload; objects in it become known to the APIs (fixtures can be answered). */
  async injectRaw(raw: InjectRawInput): Promise<Omit<InjectResult<null>, 'ids'>> {
    const input = parseInjectRaw(raw);
    const text =
      typeof input.body === 'string'
        ? input.body
        : input.platform === 'facebook'
          ? toMetaJson(input.body)
          : toJsonText(input.body);
    let parsed: unknown = input.body;
    if (typeof input.body === 'string') {
      try {
        parsed = JSON.parse(input.body);
      } catch {
        parsed = null;
      }
    }
    let delivery: DeliveryOutcome;
    if (input.platform === 'facebook') {
      const entryPage = firstString(parsed, ['entry', 0, 'id']);
      const page = this.state.page(
        input.accountId ?? (entryPage && this.state.findPage(entryPage) ? entryPage : undefined),
      );
      this.facebook.learn(parsed);
      delivery = await this.sender.deliverFacebookText(text, page, 'raw');
    } else {
      const forUser = firstString(parsed, ['for_user_id']) ?? firstString(parsed, ['data', 'filter', 'user_id']);
      const account = this.state.xAccount(
        input.accountId ?? (forUser && this.state.findXAccount(forUser) ? forUser : undefined),
      );
      this.x.learn(parsed);
      delivery = await this.sender.deliverTwitter(text, account, 'raw');
    }
    return { payload: (parsed ?? null) as JsonValue, rawBody: text, delivery };
  }

  /**
   * Sends an echo once the API response that caused it has gone out, as the platforms do; the echo may still reach
   * the gateway before the backend has processed the response, which the backend has to cope with anyway.
   */
  echoAfter(response: NodeJS.WritableStream, send: () => Promise<unknown>): void {
    if (!this.state.config.echoes) return;
    this.sender.track(
      finished(response).then(
        () => send(),
        () => send(),
      ),
    );
  }
}
