import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  Platform,
  pollerAccountChangedSignal,
  SearchAttributes,
  TASK_QUEUE,
  xPollerWorkflowId,
} from '@switchboard/contracts';
import type { xPollerWorkflow } from '@switchboard/workflows';

/** Starts the account's poller if it is not running (any number of callers may race: one workflow per account). */
export async function ensureXPoller(client: Client, accountId: string): Promise<void> {
  await client.workflow.start<typeof xPollerWorkflow>('xPollerWorkflow', {
    workflowId: xPollerWorkflowId(accountId),
    taskQueue: TASK_QUEUE,
    args: [{ accountId }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [{ key: SearchAttributes.Platform, value: Platform.TWITTER }],
  });
}

/**
 * Tells an X account's poller that the account changed: started if the account now polls, woken so it ends (or uses
 * the new credentials) at once otherwise.
 */
export async function xAccountChanged(client: Client, accountId: string, polls: boolean): Promise<void> {
  if (polls) await ensureXPoller(client, accountId);
  try {
    await client.workflow.getHandle(xPollerWorkflowId(accountId)).signal(pollerAccountChangedSignal);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
