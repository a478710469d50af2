import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InteractionState, InteractionType, Platform } from './domain';

export const TASK_QUEUE = 'social-routing';

export const SearchAttributes = {
  Platform: defineSearchAttributeKey('Platform', SearchAttributeType.KEYWORD),
  InteractionType: defineSearchAttributeKey('InteractionType', SearchAttributeType.KEYWORD),
  Workgroup: defineSearchAttributeKey('Workgroup', SearchAttributeType.KEYWORD),
  Agent: defineSearchAttributeKey('Agent', SearchAttributeType.KEYWORD),
  InteractionState: defineSearchAttributeKey('InteractionState', SearchAttributeType.KEYWORD),
} as const;

export const SEARCH_ATTRIBUTE_NAMES = Object.keys(SearchAttributes) as (keyof typeof SearchAttributes)[];

/*
 * Interaction workflow ids are chosen by PostgreSQL (`sb_workflow_id`, migration AccountScope) when the interaction
 * is opened, and read from its row ever after: `interaction-<platform>-<conversation key>`.
 */

/** One poller per X account set to `ingest: "poll"`. */
export function xPollerWorkflowId(accountId: string): string {
  return `x-poller-${accountId}`;
}

export interface InteractionWorkflowInput {
  interactionId: string;
  platform: Platform;
  type: InteractionType;
  /** Set when the interaction starts already connected (a private reply escalated from a public thread). */
  connectedAgentId?: string;
  connectedAgentName?: string;
}

export interface CustomerMessageSignal {
  interactionId: string;
  messageId: string;
}

export interface OfferCreatedSignal {
  interactionId: string;
  offerId: string;
  agentId: string;
  agentName: string;
  expiresAt: string;
}

export interface AgentReplySignal {
  interactionId: string;
  messageId: string;
}

/** The customer deleted the thread while the interaction waited: it ends as abandoned unless already connected. */
export interface ThreadDeletedSignal {
  interactionId: string;
}

export interface AgentActionInput {
  interactionId: string;
  agentId: string;
}

/**
 * The gateway reads the offer from PostgreSQL, where the dispatcher committed it before signalling the workflow; an
 * agent can accept before that signal lands, so the update carries the offer too.
 */
export interface AcceptInput extends AgentActionInput {
  offerId: string;
  agentName: string;
  expiresAt: string;
}

/** Exactly one target: another workgroup's queue, or one agent (who gets the next offer of it). */
export interface TransferInput extends AgentActionInput {
  toWorkgroupId: string | null;
  toAgentId: string | null;
}

/** The agent turns down the offer they hold: it goes to the next eligible agent at once, never back to them. */
export interface DeclineInput extends AgentActionInput {
  offerId: string;
}

/**
 * A supervisor offers a waiting interaction to one agent (`agentId`), whatever the queue's order; an offer someone
 * else holds is withdrawn first.
 */
export interface AssignInput extends AgentActionInput {
  supervisorId: string;
}

/** Why an assignment could not be made, in words (the workflow's 409 says it). */
export const ASSIGN_REFUSALS = {
  'unknown-agent': 'no such agent',
  offline: 'the agent is offline',
  'no-free-slot': 'the agent has no free slot for this type of interaction',
  'not-waiting': 'the interaction is no longer waiting for an agent',
} as const;

export type AssignRefusalReason = keyof typeof ASSIGN_REFUSALS;

export interface WrapUpInput extends AgentActionInput {
  code: string | null;
}

export interface InteractionSnapshot {
  interactionId: string;
  state: InteractionState;
  agentId: string | null;
}

export const customerMessageSignal = defineSignal<[CustomerMessageSignal]>('customerMessage');
export const offerCreatedSignal = defineSignal<[OfferCreatedSignal]>('offerCreated');
export const agentReplySignal = defineSignal<[AgentReplySignal]>('agentReply');
/** The account was changed (ingest mode, credentials) or deleted: its poller looks again now. */
export const pollerAccountChangedSignal = defineSignal('pollerAccountChanged');
export const threadDeletedSignal = defineSignal<[ThreadDeletedSignal]>('threadDeleted');

export const acceptUpdate = defineUpdate<InteractionSnapshot, [AcceptInput]>('accept');
export const disconnectUpdate = defineUpdate<InteractionSnapshot, [AgentActionInput]>('disconnect');
export const wrapUpUpdate = defineUpdate<InteractionSnapshot, [WrapUpInput]>('wrapUp');
export const transferUpdate = defineUpdate<InteractionSnapshot, [TransferInput]>('transfer');
export const declineUpdate = defineUpdate<InteractionSnapshot, [DeclineInput]>('decline');
export const assignUpdate = defineUpdate<InteractionSnapshot, [AssignInput]>('assign');
/** A supervisor's transfer of a waiting interaction (`agentId` is the supervisor): to another queue or one agent. */
export const moveWaitingUpdate = defineUpdate<InteractionSnapshot, [TransferInput]>('moveWaiting');

/** Failure types the workflow's update validators raise; the gateway maps them to 409. */
export enum InteractionConflict {
  NOT_OFFERED_TO_AGENT = 'NOT_OFFERED_TO_AGENT',
  NOT_CONNECTED_TO_AGENT = 'NOT_CONNECTED_TO_AGENT',
  NOT_IN_WRAPUP = 'NOT_IN_WRAPUP',
  NOT_WAITING = 'NOT_WAITING',
  AGENT_CANNOT_TAKE = 'AGENT_CANNOT_TAKE',
  WRONG_INTERACTION = 'WRONG_INTERACTION',
}
