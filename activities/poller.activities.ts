import type { PollResult, XPoller } from '@switchboard/ingest';

export function createPollerActivities({ poller }: { poller: XPoller }) {
  return {
    async pollXAccount(input: { accountId: string }): Promise<PollResult> {
      return poller.poll(input.accountId);
    },
  };
}

export type PollerActivities = ReturnType<typeof createPollerActivities>;
