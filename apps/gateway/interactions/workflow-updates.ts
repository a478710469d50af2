import { WorkflowUpdateFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { InteractionConflict } from '@switchboard/contracts';
import { ApiError } from '../core/api-error';

const CONFLICT_TYPES = new Set<string>(Object.values(InteractionConflict));
/** An agent action waits this long for the workflow's answer before the gateway says "try again". */
const UPDATE_DEADLINE_MS = 15_000;

/**
 * Runs a Temporal Update for an agent action and maps its outcome to HTTP at this one place: a refusal by the
 * workflow's validator is a 409, a workflow that is gone is a 409 too, no answer in time is a 503.
 */
export async function runUpdate<T>(client: Client, work: () => Promise<T>): Promise<T> {
  try {
    return await client.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, work);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      if (cause instanceof ApplicationFailure && cause.type && CONFLICT_TYPES.has(cause.type)) {
        throw ApiError.conflict(cause.message, [{ code: cause.type }]);
      }
      throw ApiError.conflict(cause?.message ?? error.message);
    }
    if (error instanceof WorkflowNotFoundError) throw ApiError.conflict('the interaction is no longer active');
    const code = (error as { code?: number }).code;
    // gRPC DEADLINE_EXCEEDED (4) / UNAVAILABLE (14): no worker answered, or Temporal is down.
    if (code === 4 || code === 14) throw ApiError.unavailable('the interaction did not answer in time; try again');
    throw error;
  }
}
