import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { pollerAccountChangedSignal } from '@switchboard/contracts';
import type { PollerActivities } from '@switchboard/activities';

const poller = proxyActivities<PollerActivities>({
  startToCloseTimeout: '2 minutes',
  // X or the network is down: keep trying, ever more patiently; the cursor makes a late pass lose nothing.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Passes per run before continuing as new, which keeps the history short (each pass is an activity and a timer). */
const PASSES_PER_RUN = 200;

/** Even a rate limit that resets in 15 minutes does not keep the poller from re-reading its account that long. */
const MAX_WAIT_SECONDS = 60;

export interface XPollerInput {
  accountId: string;
}

/**
 * The durable poller of one X account set to `ingest: "poll"`: reads its mention and DM timelines when each is due,
 * sleeping in between (until a rate limit's reset when X says so). It ends when the account stops polling.
 */
export async function xPollerWorkflow(input: XPollerInput): Promise<void> {
  let changed = false;
  setHandler(pollerAccountChangedSignal, () => {
    changed = true;
  });
  for (let pass = 0; pass < PASSES_PER_RUN; pass += 1) {
    changed = false;
    const result = await poller.pollXAccount({ accountId: input.accountId });
    if (!result.active) return;
    // A change to the account (no longer polled, new credentials) cuts the wait short.
    await condition(() => changed, Math.min(result.nextPollInSeconds, MAX_WAIT_SECONDS) * 1000);
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof xPollerWorkflow>(input);
}
