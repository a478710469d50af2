import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { Logger } from '@switchboard/observability';
import type { DeliveryStatus } from '@switchboard/contracts';
import {
  RetryableSendError,
  TransitionConflictError,
  type AssignmentOutcome,
  type InteractionLifecycle,
  type ReplySender,
  type RoutingSettings,
} from '@switchboard/interactions';

export interface InteractionActivityDeps {
  lifecycle: InteractionLifecycle;
  replies: ReplySender;
  logger: Logger;
}

/** What a lifecycle step takes: the activity passes it on as the workflow gave it. */
type StepInput<K extends 'overflow' | 'declineOffer' | 'assign' | 'moveWaiting'> = Parameters<
  InteractionLifecycle[K]
>[0];

/** Attempts before a reply that keeps failing for a retryable reason is recorded as failed. */
export const REPLY_MAX_ATTEMPTS = 8;

/** Maps domain errors to Temporal failures, once, at the activity edge. */
async function atEdge<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TransitionConflictError) {
      throw ApplicationFailure.nonRetryable(error.message, 'TransitionConflict');
    }
    if (error instanceof RetryableSendError) {
      const retryAt = error.error.retryAt ? Date.parse(error.error.retryAt) : NaN;
      const delay = Number.isNaN(retryAt) ? undefined : Math.max(1000, retryAt - Date.now());
      throw ApplicationFailure.create({
        message: error.message,
        type: error.error.code,
        ...(delay ? { nextRetryDelay: delay } : {}),
      });
    }
    throw error;
  }
}

export function createInteractionActivities({ lifecycle, replies, logger }: InteractionActivityDeps) {
  /** Every step's log line names its interaction (and, for a reply, its message). */
  const step = async <T>(name: string, ids: { interactionId?: string; messageId?: string }, work: () => Promise<T>) => {
    const context = { ...ids, step: name, attempt: activityInfo().attempt };
    try {
      const result = await atEdge(work);
      logger.debug(context, 'interaction step done');
      return result;
    } catch (error) {
      logger.warn({ ...context, err: error }, 'interaction step failed');
      throw error;
    }
  };
  return {
    async enqueueInteraction(input: { interactionId: string }): Promise<RoutingSettings> {
      return step('enqueue', input, () => lifecycle.enqueue(input.interactionId));
    },

    async expireOffer(input: { interactionId: string; offerId: string }): Promise<{ expired: boolean }> {
      return step('expireOffer', input, () => lifecycle.expireOffer(input));
    },

    async overflowInteraction(input: StepInput<'overflow'>): Promise<{ moved: boolean; settings: RoutingSettings }> {
      return step('overflow', input, () => lifecycle.overflow(input));
    },

    async declineOffer(input: StepInput<'declineOffer'>): Promise<{ declined: boolean }> {
      return step('declineOffer', input, () => lifecycle.declineOffer(input));
    },

    /** A supervisor's assignment: the new offer, or why it could not be made (nothing changed then). */
    async assignInteraction(input: StepInput<'assign'>): Promise<AssignmentOutcome> {
      return step('assign', input, () => lifecycle.assign(input));
    },

    async moveWaitingInteraction(
      input: StepInput<'moveWaiting'>,
    ): Promise<{ moved: boolean; settings: RoutingSettings }> {
      return step('moveWaiting', input, () => lifecycle.moveWaiting(input));
    },

    async connectInteraction(input: { interactionId: string; agentId: string }): Promise<void> {
      return step('connect', input, () => lifecycle.connect(input));
    },

    async transferInteraction(input: {
      interactionId: string;
      toWorkgroupId: string | null;
      toAgentId: string | null;
    }): Promise<void> {
      return step('transfer', input, () => lifecycle.transfer(input));
    },

    async disconnectInteraction(input: { interactionId: string; agentId: string }): Promise<void> {
      return step('disconnect', input, () => lifecycle.disconnect(input));
    },

    async completeInteraction(input: {
      interactionId: string;
      wrapUpCode: string | null;
      reason: string;
    }): Promise<void> {
      return step('complete', input, () => lifecycle.complete(input));
    },

    /** The customer took the question back (deleted the thread) before an agent had it. */
    async abandonInteraction(input: { interactionId: string; reason: string }): Promise<{ abandoned: boolean }> {
      return step('abandon', input, () => lifecycle.abandon(input));
    },

    /** `interactionId` is for the log; histories recorded before it was passed lack it. */
    async sendReply(input: { interactionId?: string; messageId: string }): Promise<DeliveryStatus> {
      const finalAttempt = activityInfo().attempt >= REPLY_MAX_ATTEMPTS;
      return step('sendReply', input, () => replies.send(input.messageId, finalAttempt));
    },

    /** For a reply whose sending failed in an unforeseen way: the agent sees it failed instead of pending forever. */
    async failReply(input: { interactionId?: string; messageId: string; error: string }): Promise<void> {
      await step('failReply', input, () => replies.markFailed(input.messageId, input.error));
    },
  };
}

export type InteractionActivities = ReturnType<typeof createInteractionActivities>;
