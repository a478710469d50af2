import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { InteractionActivities } from '@switchboard/activities';
import {
  acceptUpdate,
  agentReplySignal,
  ASSIGN_REFUSALS,
  assignUpdate,
  customerMessageSignal,
  declineUpdate,
  disconnectUpdate,
  moveWaitingUpdate,
  InteractionConflict,
  InteractionState,
  offerCreatedSignal,
  SearchAttributes,
  threadDeletedSignal,
  transferUpdate,
  wrapUpUpdate,
  type AcceptInput,
  type AgentActionInput,
  type AssignInput,
  type DeclineInput,
  type TransferInput,
  type InteractionSnapshot,
  type InteractionWorkflowInput,
  type OfferCreatedSignal,
} from '@switchboard/contracts';

/** What the queue steps answer about the workgroup the interaction waits in. */
type RoutingSettings = Awaited<ReturnType<InteractionActivities['enqueueInteraction']>>;

const steps = proxyActivities<InteractionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['TransitionConflict'] },
});

const delivery = proxyActivities<InteractionActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8 },
});

/** Finer than the contract's states: the in-between phases stop a second action while an activity runs. */
type Phase =
  | 'routing'
  | 'queued'
  | 'offered'
  | 'connecting'
  | 'connected'
  | 'transferring'
  | 'disconnecting'
  | 'wrapup'
  | 'completing'
  | 'completed';

export interface InteractionResult {
  interactionId: string;
  wrapUpCode: string | null;
  reason: string;
}

/**
 * One interaction, from the queue to its wrap-up. The workflow decides *when* (offer timers, wrap-up timers, the
 * order of replies); activities decide *who* and do all I/O against PostgreSQL and the platforms.
 */
export async function interactionWorkflow(input: InteractionWorkflowInput): Promise<InteractionResult> {
  const { interactionId } = input;
  const state = {
    phase: 'routing' as Phase,
    offer: null as OfferCreatedSignal | null,
    expiredOffers: [] as string[],
    agentId: null as string | null,
    /** Who the interaction is with, offered or connected: the `Agent` search attribute. */
    agentName: null as string | null,
    wrapUpCode: null as string | null,
    replies: [] as string[],
    /** Replies already handed to the sending activity: a repeated hand-over (the router's sweep) is not sent again. */
    sent: [] as string[],
    sending: false,
    nextInteractionId: null as string | null,
    /** The customer deleted the thread; while it still waits for an agent, the interaction is abandoned. */
    threadDeleted: false,
    /** Overflow: the queue it waits in, since when (workflow time), and where it has already waited this time round. */
    workgroupId: null as string | null,
    queueEnteredAt: 0,
    visited: [] as string[],
    overflow: null as { afterSeconds: number; workgroupId: string } | null,
    /** An overflow the row refused (reserved for an agent, moved meanwhile): not tried again until an offer comes. */
    overflowSpent: false,
    /** Decline and assignment steps under way: no overflow meanwhile (the row is theirs to change first). */
    stepping: 0,
  };

  const contractState = (): InteractionState => {
    switch (state.phase) {
      case 'routing':
      case 'queued':
        return InteractionState.QUEUED;
      case 'offered':
      case 'connecting':
        return InteractionState.OFFERED;
      case 'connected':
      case 'transferring':
      case 'disconnecting':
        return InteractionState.CONNECTED;
      case 'wrapup':
      case 'completing':
        return InteractionState.WRAPUP;
      case 'completed':
        return InteractionState.COMPLETED;
    }
  };
  const snapshot = (): InteractionSnapshot => ({ interactionId, state: contractState(), agentId: state.agentId });
  const publishState = (): void => {
    const pairs: SearchAttributeUpdatePair[] = [
      { key: SearchAttributes.InteractionState, value: contractState() },
      { key: SearchAttributes.Agent, value: state.agentName },
    ];
    upsertSearchAttributes(pairs);
  };
  const conflict = (message: string, type: InteractionConflict): ApplicationFailure =>
    ApplicationFailure.nonRetryable(message, type);
  const assertOwn = (id: string): void => {
    if (id !== interactionId) {
      throw conflict(`this run handles ${interactionId}, not ${id}`, InteractionConflict.WRONG_INTERACTION);
    }
  };

  setHandler(customerMessageSignal, (message) => {
    // A message for the thread's next interaction reached this run while it was ending: it continues as that one.
    if (message.interactionId !== interactionId && !state.nextInteractionId) {
      state.nextInteractionId = message.interactionId;
    }
  });

  setHandler(offerCreatedSignal, (offer) => {
    if (offer.interactionId !== interactionId || state.expiredOffers.includes(offer.offerId)) return;
    if (state.phase === 'routing' || state.phase === 'queued') state.offer = offer;
  });

  setHandler(threadDeletedSignal, ({ interactionId: id }) => {
    // Only while it waits for an agent: a deletion once connected is the agent's to see, not a later transfer's end.
    if (id === interactionId && (state.phase === 'routing' || state.phase === 'queued' || state.phase === 'offered')) {
      state.threadDeleted = true;
    }
  });

  setHandler(agentReplySignal, (reply) => {
    if (reply.interactionId !== interactionId || state.replies.includes(reply.messageId)) return;
    if (state.sent.includes(reply.messageId) && patched('reply-sent-once')) return;
    state.replies.push(reply.messageId);
  });

  setHandler(
    acceptUpdate,
    async ({ agentId, agentName, offerId, expiresAt }) => {
      if (state.offer?.offerId !== offerId) state.offer = { interactionId, offerId, agentId, agentName, expiresAt };
      state.agentName = agentName;
      state.phase = 'connecting';
      try {
        await steps.connectInteraction({ interactionId, agentId });
      } catch (error) {
        state.phase = 'offered';
        throw error;
      }
      state.agentId = agentId;
      state.phase = 'connected';
      publishState();
      return snapshot();
    },
    {
      validator: ({ interactionId: id, agentId, offerId }: AcceptInput) => {
        assertOwn(id);
        const current = state.offer;
        const awaitingSignal =
          (state.phase === 'routing' || state.phase === 'queued') &&
          (current === null || current.offerId === offerId) &&
          !state.expiredOffers.includes(offerId);
        const offeredToAgent =
          state.phase === 'offered' && current?.offerId === offerId && current?.agentId === agentId;
        if (!awaitingSignal && !offeredToAgent) {
          throw conflict('the interaction is not offered to this agent', InteractionConflict.NOT_OFFERED_TO_AGENT);
        }
      },
    },
  );

  setHandler(
    disconnectUpdate,
    async ({ agentId }) => {
      state.phase = 'disconnecting';
      try {
        await steps.disconnectInteraction({ interactionId, agentId });
      } catch (error) {
        state.phase = 'connected';
        throw error;
      }
      state.phase = 'wrapup';
      publishState();
      return snapshot();
    },
    {
      validator: ({ interactionId: id, agentId }: AgentActionInput) => {
        assertOwn(id);
        if (state.phase !== 'connected' || state.agentId !== agentId) {
          throw conflict('the interaction is not connected to this agent', InteractionConflict.NOT_CONNECTED_TO_AGENT);
        }
      },
    },
  );

  setHandler(
    transferUpdate,
    async ({ toWorkgroupId, toAgentId }) => {
      state.phase = 'transferring';
      try {
        await steps.transferInteraction({ interactionId, toWorkgroupId, toAgentId });
      } catch (error) {
        state.phase = 'connected';
        throw error;
      }
      // Back in a queue: the offer this run accepted no longer counts; the main loop dispatches it again.
      if (state.offer) state.expiredOffers.push(state.offer.offerId);
      state.offer = null;
      state.agentId = null;
      state.agentName = null;
      state.phase = 'queued';
      publishState();
      return snapshot();
    },
    {
      validator: ({ interactionId: id, agentId, toWorkgroupId, toAgentId }: TransferInput) => {
        assertOwn(id);
        if (state.phase !== 'connected' || state.agentId !== agentId) {
          throw conflict('the interaction is not connected to this agent', InteractionConflict.NOT_CONNECTED_TO_AGENT);
        }
        if ((toWorkgroupId === null) === (toAgentId === null)) {
          throw conflict('name exactly one of a workgroup and an agent', InteractionConflict.WRONG_INTERACTION);
        }
      },
    },
  );

  setHandler(
    wrapUpUpdate,
    async ({ code }) => {
      state.wrapUpCode = code;
      state.phase = 'completing';
      await condition(() => state.phase === 'completed');
      return snapshot();
    },
    {
      validator: ({ interactionId: id, agentId }: AgentActionInput) => {
        assertOwn(id);
        if (state.phase !== 'wrapup' || state.agentId !== agentId) {
          throw conflict('the interaction is not in wrap-up for this agent', InteractionConflict.NOT_IN_WRAPUP);
        }
      },
    },
  );

  setHandler(
    declineUpdate,
    async ({ agentId, offerId }) => {
      // An offer the workflow holds is over at once, as when it times out; one the dispatcher made whose signal is
      // still on its way is over once the step finds it on the row. The step records it and offers the next agent.
      const held = state.phase === 'offered' && state.offer?.offerId === offerId;
      const over = (): void => {
        state.expiredOffers.push(offerId);
        if (state.offer?.offerId === offerId) state.offer = null;
        if (state.phase === 'offered' && state.offer === null) {
          state.agentName = null;
          state.phase = 'queued';
          publishState();
        }
      };
      if (held) over();
      state.stepping += 1;
      try {
        const { declined } = await steps.declineOffer({ interactionId, offerId, agentId });
        if (!held && declined) over();
      } finally {
        state.stepping -= 1;
      }
      return snapshot();
    },
    {
      validator: ({ interactionId: id, agentId, offerId }: DeclineInput) => {
        assertOwn(id);
        const current = state.offer;
        const held = state.phase === 'offered' && current?.offerId === offerId && current?.agentId === agentId;
        const notYetSignalled =
          (state.phase === 'routing' || state.phase === 'queued') &&
          (current === null || current.offerId === offerId) &&
          !state.expiredOffers.includes(offerId);
        if (!held && !notYetSignalled) {
          throw conflict('the interaction is not offered to this agent', InteractionConflict.NOT_OFFERED_TO_AGENT);
        }
      },
    },
  );

  /**
   * A supervisor's step on a waiting interaction: the offer someone holds stops counting while it runs (the step
   * withdraws it on the row), and stands again as it was when the step changed nothing.
   */
  const withOfferSetAside = async <T>(
    step: (withdrawOfferId: string | null) => Promise<T>,
    changed: (answer: T) => boolean,
  ): Promise<T> => {
    const withdrawn = state.phase === 'offered' ? state.offer : null;
    if (withdrawn) state.expiredOffers.push(withdrawn.offerId);
    state.offer = null;
    state.agentName = null;
    state.phase = 'queued';
    state.stepping += 1;
    let answer: T;
    try {
      answer = await step(withdrawn?.offerId ?? null);
    } finally {
      state.stepping -= 1;
    }
    if (!changed(answer) && withdrawn && state.phase === 'queued' && state.offer === null) {
      state.expiredOffers = state.expiredOffers.filter((id) => id !== withdrawn.offerId);
      state.offer = withdrawn;
    }
    return answer;
  };

  setHandler(
    assignUpdate,
    async ({ agentId, supervisorId }) => {
      const outcome = await withOfferSetAside(
        (withdrawOfferId) => steps.assignInteraction({ interactionId, agentId, supervisorId, withdrawOfferId }),
        (answer) => !('refused' in answer),
      );
      const settled = state.phase === 'queued' && state.offer === null;
      if ('offer' in outcome) {
        // Unless the new agent already declined it (before its answer reached here).
        if (settled && !state.expiredOffers.includes(outcome.offer.offerId)) state.offer = outcome.offer;
      } else if ('refused' in outcome) {
        throw conflict(
          `${ASSIGN_REFUSALS[outcome.refused]} (${outcome.refused})`,
          InteractionConflict.AGENT_CANNOT_TAKE,
        );
      }
      return snapshot();
    },
    {
      validator: ({ interactionId: id }: AssignInput) => {
        assertOwn(id);
        if (state.phase !== 'routing' && state.phase !== 'queued' && state.phase !== 'offered') {
          throw conflict('the interaction is not waiting for an agent', InteractionConflict.NOT_WAITING);
        }
      },
    },
  );

  setHandler(
    moveWaitingUpdate,
    async ({ agentId: supervisorId, toWorkgroupId, toAgentId }) => {
      const result = await withOfferSetAside(
        (withdrawOfferId) =>
          steps.moveWaitingInteraction({
            interactionId,
            toWorkgroupId,
            toAgentId,
            supervisorId,
            withdrawOfferId,
            moveId: uuid4(),
          }),
        (answer) => answer.moved,
      );
      if (!result.moved) {
        throw conflict('the interaction is no longer waiting for an agent', InteractionConflict.NOT_WAITING);
      }
      // A new queue entry: its overflow clock starts again, wherever it waited before.
      enterQueue(result.settings, true);
      settings.wrapUpTimeoutSeconds = result.settings.wrapUpTimeoutSeconds;
      settings.wrapUpRequired = result.settings.wrapUpRequired;
      upsertSearchAttributes([{ key: SearchAttributes.Workgroup, value: result.settings.workgroupName ?? '' }]);
      publishState();
      return snapshot();
    },
    {
      validator: ({ interactionId: id, toWorkgroupId, toAgentId }: TransferInput) => {
        assertOwn(id);
        // Not before the queue step answered (an assignment while routing leaves it `queued`): its settings are needed.
        if ((state.phase !== 'queued' && state.phase !== 'offered') || state.queueEnteredAt === 0) {
          throw conflict('the interaction is not waiting for an agent', InteractionConflict.NOT_WAITING);
        }
        if ((toWorkgroupId === null) === (toAgentId === null)) {
          throw conflict('name exactly one of a workgroup and an agent', InteractionConflict.WRONG_INTERACTION);
        }
      },
    },
  );

  // Replies go out one at a time, in the order the agent wrote them.
  const replyPump = (async () => {
    for (;;) {
      await condition(() => state.replies.length > 0 || state.phase === 'completed');
      const messageId = state.replies[0];
      if (messageId === undefined) return;
      state.sending = true;
      try {
        await delivery.sendReply({ interactionId, messageId });
      } catch (error) {
        log.warn('reply failed', { interactionId, messageId, error: String(error) });
        await steps.failReply({
          interactionId,
          messageId,
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        state.replies.shift();
        state.sent.push(messageId);
        state.sending = false;
      }
    }
  })();

  const waiting = (): boolean => state.phase === 'queued' || state.phase === 'offered';

  /** Now waiting in this workgroup's queue: its overflow clock starts; `fresh` forgets where it waited before. */
  const enterQueue = (routing: RoutingSettings, fresh: boolean): void => {
    state.workgroupId = routing.workgroupId;
    state.overflow = routing.overflow ?? null;
    state.queueEnteredAt = Date.now();
    state.overflowSpent = false;
    if (fresh) state.visited = [];
    if (routing.workgroupId) state.visited.push(routing.workgroupId);
  };

  /** Milliseconds until the interaction overflows, or null when it will not (no overflow, or back where it was). */
  const overflowDue = (): number | null => {
    const target = state.overflow;
    if (
      !target ||
      state.overflowSpent ||
      state.stepping > 0 ||
      state.phase !== 'queued' ||
      state.visited.includes(target.workgroupId)
    ) {
      return null;
    }
    // Workers before overflow never set this timer: their histories replay without it.
    if (!patched('overflow-timer')) return null;
    return state.queueEnteredAt + target.afterSeconds * 1000 - Date.now();
  };

  const overflowNow = async (): Promise<void> => {
    const target = state.overflow as { afterSeconds: number; workgroupId: string };
    const { moved, settings: routing } = await steps.overflowInteraction({
      interactionId,
      fromWorkgroupId: state.workgroupId as string,
      toWorkgroupId: target.workgroupId,
    });
    if (!moved) {
      state.overflowSpent = true;
      return;
    }
    enterQueue(routing, false);
    upsertSearchAttributes([{ key: SearchAttributes.Workgroup, value: routing.workgroupName ?? '' }]);
    settings.wrapUpTimeoutSeconds = routing.wrapUpTimeoutSeconds;
    settings.wrapUpRequired = routing.wrapUpRequired;
  };

  /**
   * Offers until an agent accepts; an offer that times out puts the interaction back in the queue. A thread deleted
   * while it waits ends the wait (an accept already under way wins).
   */
  const offerUntilAccepted = async (): Promise<'accepted' | 'abandoned'> => {
    while (waiting()) {
      const due = overflowDue();
      const arrived = () => state.offer !== null || state.threadDeleted;
      if (due === null) {
        // A decline or an assignment under way may leave it queued with its overflow due: look again when it ends.
        const stepping = state.stepping > 0;
        await condition(() => arrived() || (stepping && state.stepping === 0));
        if (!arrived()) continue;
      } else if (!arrived() && !(due > 0 && (await condition(arrived, due)))) {
        // Waited long enough here: on to the overflow workgroup's queue (or, if the row refuses, on waiting).
        await overflowNow();
        continue;
      }
      if (state.threadDeleted && waiting()) return 'abandoned';
      const offer = state.offer as OfferCreatedSignal;
      if (state.phase === 'queued') {
        state.overflowSpent = false;
        state.phase = 'offered';
        state.agentName = offer.agentName;
        publishState();
      }
      const remaining = Date.parse(offer.expiresAt) - Date.now();
      const answered =
        state.phase !== 'offered' ||
        (remaining > 0 && (await condition(() => state.phase !== 'offered' || state.threadDeleted, remaining)));
      if (state.threadDeleted && waiting()) return 'abandoned';
      // Declined, or a supervisor's assignment under way: back to waiting for the next offer.
      if (answered && waiting()) continue;
      if (answered) return 'accepted';
      state.expiredOffers.push(offer.offerId);
      state.offer = null;
      state.phase = 'queued';
      state.agentName = null;
      publishState();
      await steps.expireOffer({ interactionId, offerId: offer.offerId });
    }
    return 'accepted';
  };

  if (input.connectedAgentId) {
    // Escalated from a public thread: it starts with the agent who wrote the private reply.
    state.agentId = input.connectedAgentId;
    state.agentName = input.connectedAgentName ?? null;
    state.phase = 'connected';
    publishState();
  }
  const settings = await steps.enqueueInteraction({ interactionId });
  upsertSearchAttributes([{ key: SearchAttributes.Workgroup, value: settings.workgroupName ?? '' }]);
  if (state.phase === 'routing') state.phase = 'queued';
  enterQueue(settings, true);

  let abandoned = false;
  for (;;) {
    if ((await offerUntilAccepted()) === 'abandoned') {
      // No accept may start while the row is being closed.
      const waitingPhase: Phase = state.phase;
      state.phase = 'completing';
      const result = await steps.abandonInteraction({ interactionId, reason: 'thread-deleted' });
      if (result.abandoned) {
        abandoned = true;
        break;
      }
      // The customer wrote again meanwhile (or it was answered): it waits on.
      state.phase = waitingPhase;
      state.threadDeleted = false;
      continue;
    }
    await condition(() => state.phase === 'wrapup' || state.phase === 'completing' || state.phase === 'queued');
    if (state.phase !== 'queued') break;
    // Transferred: the workflow's workgroup may have changed.
    const moved = await steps.enqueueInteraction({ interactionId });
    upsertSearchAttributes([{ key: SearchAttributes.Workgroup, value: moved.workgroupName ?? '' }]);
    settings.wrapUpTimeoutSeconds = moved.wrapUpTimeoutSeconds;
    settings.wrapUpRequired = moved.wrapUpRequired;
    enterQueue(moved, true);
  }

  if (abandoned) return finish('abandoned');

  let reason = 'handled';
  if (state.phase === 'wrapup') {
    const timeout = settings.wrapUpTimeoutSeconds;
    const chosen = timeout
      ? await condition(() => state.phase === 'completing', timeout * 1000)
      : (await condition(() => state.phase === 'completing'), true);
    if (!chosen && settings.wrapUpRequired) reason = 'wrapup-timeout';
  }
  await condition(() => state.replies.length === 0 && !state.sending);
  await steps.completeInteraction({ interactionId, wrapUpCode: state.wrapUpCode, reason });
  return finish(reason);

  async function finish(why: string): Promise<InteractionResult> {
    state.phase = 'completed';
    publishState();
    await replyPump;
    await condition(allHandlersFinished);

    if (state.nextInteractionId) {
      await continueAsNew<typeof interactionWorkflow>({
        interactionId: state.nextInteractionId,
        platform: input.platform,
        type: input.type,
      });
    }
    return { interactionId, wrapUpCode: state.wrapUpCode, reason: why };
  }
}
