import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type InteractionState,
  OPEN_INTERACTION_STATES,
  SearchAttributes,
  TASK_QUEUE,
  threadDeletedSignal,
  type InteractionType,
  type CustomerMessageSignal,
  type InteractionWorkflowInput,
} from '@switchboard/contracts';
import { queryOne } from '@switchboard/persistence';
import type { interactionWorkflow } from '@switchboard/workflows';

type Executor = DataSource | EntityManager;
type MessageSignal = CustomerMessageSignal;

export interface ThreadMessage {
  platform_message_id: string | null;
  text: string | null;
  sent_at: Date;
}

/**
 * The customer's latest message on a thread. `replyable`: only one that still exists on the platform and has an id,
 * i.e. one a reply can be attached to.
 */
export function latestInboundMessage(
  executor: Executor,
  accountId: string,
  conversationKey: string,
  options: { replyable?: boolean } = {},
): Promise<ThreadMessage | null> {
  const replyable = options.replyable ? 'AND deleted_at IS NULL AND platform_message_id IS NOT NULL' : '';
  return queryOne<ThreadMessage>(
    executor,
    `SELECT platform_message_id, text, sent_at FROM messages
      WHERE account_id = $1 AND conversation_key = $2 AND direction = 'inbound' ${replyable}
      ORDER BY sent_at DESC LIMIT 1`,
    [accountId, conversationKey],
  );
}

export interface OpenInteraction {
  id: string;
  type: InteractionType;
  state: InteractionState;
  workflow_id: string | null;
}

/**
 * The thread's open interaction in this account, if any (at most one, by a partial unique index); `lock` takes its
 * row lock.
 */
export function openInteractionOnThread(
  executor: Executor,
  accountId: string,
  conversationKey: string,
  options: { lock?: boolean } = {},
): Promise<OpenInteraction | null> {
  return queryOne<OpenInteraction>(
    executor,
    `SELECT id, type, state, workflow_id FROM interactions
      WHERE account_id = $1 AND conversation_key = $2 AND state = ANY($3) ${options.lock ? 'FOR UPDATE' : ''}`,
    [accountId, conversationKey, OPEN_INTERACTION_STATES],
  );
}

/**
 * The workflow id of a new interaction on this thread (see `sb_workflow_id`): `interaction-<platform>-<key>`, or with
 * `~<account platform id>` when an open interaction holds that id. Holds a transaction lock on the id until commit.
 */
export async function workflowIdFor(executor: Executor, accountId: string, conversationKey: string): Promise<string> {
  const row = await queryOne<{ id: string }>(executor, 'SELECT sb_workflow_id($1, $2) AS id', [
    accountId,
    conversationKey,
  ]);
  if (!row?.id) throw new Error(`account ${accountId} does not exist`);
  return row.id;
}

/**
 * Hands a message to the thread's workflow, starting it if it is not running: the only way work reaches an
 * interaction workflow from outside, so its start options and search attributes are set in one place.
 */
export async function signalInteraction(
  client: Client,
  options: {
    workflowId: string;
    input: InteractionWorkflowInput;
    state: InteractionState;
    /** The customer's new message or the agent's reply: both name the interaction and the message. */
    signal: SignalDefinition<[MessageSignal]>;
    message: MessageSignal;
  },
): Promise<void> {
  const { input } = options;
  await client.workflow.signalWithStart<typeof interactionWorkflow, [MessageSignal]>('interactionWorkflow', {
    workflowId: options.workflowId,
    taskQueue: TASK_QUEUE,
    args: [input],
    signal: options.signal,
    signalArgs: [options.message],
    typedSearchAttributes: [
      { key: SearchAttributes.Platform, value: input.platform },
      { key: SearchAttributes.InteractionType, value: input.type },
      { key: SearchAttributes.InteractionState, value: options.state },
      ...(input.connectedAgentName ? [{ key: SearchAttributes.Agent, value: input.connectedAgentName }] : []),
    ],
  });
}

/** Tells an interaction's workflow that the customer deleted its thread (repeating it is harmless). */
export async function signalThreadDeleted(
  client: Client,
  target: { interactionId: string; workflowId: string },
): Promise<void> {
  await client.workflow
    .getHandle(target.workflowId)
    .signal(threadDeletedSignal, { interactionId: target.interactionId });
}
