import type { Client } from '@temporalio/client';
import { offerCreatedSignal } from '@switchboard/contracts';
import type { OfferSink } from './dispatcher';

/** Delivers the dispatcher's offers to the interaction workflows. */
export function temporalOfferSink(client: Client): OfferSink {
  return async (workflowId, offer) => {
    await client.workflow.getHandle(workflowId).signal(offerCreatedSignal, offer);
  };
}
