import type { Client } from '@temporalio/client';
import { signalThreadDeleted } from '@switchboard/interactions';
import { messagesIngested, type Logger } from '@switchboard/observability';
import type { NormalizedEvent } from '@switchboard/platforms';
import type { MessageRouter } from './message-router';
import type { MessageStore, StoreOutcome } from './message-store';
import type { ProfileEnricher } from './profile-enricher';

/**
 * The way in, for webhooks and pollers alike: store durably first, then the follow-ups (routing, abandoning deleted
 * threads, profile look-ups). Every follow-up is repeated by a sweep if this process dies before it ran.
 */
export class IngestPipeline {
  constructor(
    private readonly store: MessageStore,
    private readonly router: MessageRouter,
    private readonly profiles: ProfileEnricher,
    private readonly temporal: Client,
    private readonly logger: Logger,
  ) {}

  /**
   * Resolves once the events are committed; the follow-ups run in the background. A delivery that could not be stored
   * whole by `deadlineAt` is refused (what was stored is kept and recognised when the platform retries).
   */
  async accept(
    events: NormalizedEvent[],
    accounts: ReadonlyMap<string, string>,
    deadlineAt?: number,
  ): Promise<StoreOutcome> {
    const outcome = await this.store.store(events, accounts, deadlineAt);
    countIngested(events, outcome);
    this.router.routeSoon(outcome.created);
    this.profiles.enrichSoon(outcome.profiles);
    for (const target of outcome.abandoned) {
      this.signalThreadDeleted(target).catch((error: unknown) =>
        this.logger.warn(
          { err: error, ...target },
          'could not tell the workflow its thread was deleted; retried later',
        ),
      );
    }
    if (outcome.incomplete) throw new DeliveryDeadlineError(events.length);
    return outcome;
  }

  /** Stores and routes before resolving: for a poller, whose next step should see the interactions exist. */
  async acceptAndRoute(events: NormalizedEvent[], accounts: ReadonlyMap<string, string>): Promise<StoreOutcome> {
    const outcome = await this.store.store(events, accounts);
    countIngested(events, outcome);
    this.profiles.enrichSoon(outcome.profiles);
    const routed = outcome.created.map((hint) =>
      this.router.route(hint.id, hint).catch((error: unknown) => {
        this.logger.warn({ err: error, messageId: hint.id }, 'routing failed; the sweep will retry');
      }),
    );
    await Promise.all([...routed, ...outcome.abandoned.map((target) => this.signalThreadDeleted(target))]);
    return outcome;
  }

  private signalThreadDeleted(target: { interactionId: string; workflowId: string }): Promise<void> {
    return signalThreadDeleted(this.temporal, target);
  }
}

function countIngested(events: NormalizedEvent[], outcome: StoreOutcome): void {
  for (const message of outcome.created) messagesIngested.inc({ platform: message.platform, direction: 'inbound' });
  const platform = events[0]?.platform;
  if (platform && outcome.outbound > 0) messagesIngested.inc({ platform, direction: 'outbound' }, outcome.outbound);
}

/** A delivery too large or too slow to store before the platform gives up: answered 503 so that it is sent again. */
export class DeliveryDeadlineError extends Error {
  constructor(events: number) {
    super(`the deadline passed before all ${events} events were stored`);
  }
}
