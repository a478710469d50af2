import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { signalThreadDeleted, type Dispatcher } from '@switchboard/interactions';
import { ensureXPoller, type XPoller } from '@switchboard/ingest';
import type { Logger } from '@switchboard/observability';
import { queryRows } from '@switchboard/persistence';

/** How often the worker runs its safety nets; none of them is the normal path. */
export const MAINTENANCE_INTERVAL_MS = 5_000;

/** Pollers known started by this process are checked again after this long (another may have ended meanwhile). */
const POLLER_RECHECK_MS = 60_000;

/**
 * The worker's periodic repairs: re-signal offers and thread deletions whose signal was lost, dispatch what waits,
 * and make sure every polled X account has its poller running (any number of workers may do this at once).
 */
export class WorkerMaintenance {
  private readonly pollersStarted = new Map<string, number>();

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly dataSource: DataSource,
    private readonly temporal: Client,
    private readonly poller: XPoller,
    private readonly logger: Logger,
  ) {}

  start(): () => void {
    const timer = setInterval(() => void this.tick(), MAINTENANCE_INTERVAL_MS);
    void this.tick();
    return () => clearInterval(timer);
  }

  async tick(): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      ['offers', () => this.dispatcher.resignalStaleOffers().then(() => this.dispatcher.dispatch(null))],
      ['deleted threads', () => this.resignalDeletedThreads()],
      ['pollers', () => this.ensurePollers()],
    ];
    for (const [name, step] of steps) {
      await step().catch((error: unknown) => this.logger.warn({ err: error, step: name }, 'maintenance step failed'));
    }
  }

  private async resignalDeletedThreads(): Promise<void> {
    const rows = await queryRows<{ id: string; workflow_id: string }>(
      this.dataSource,
      `SELECT id, workflow_id FROM interactions
        WHERE thread_deleted_at < now() - interval '10 seconds' AND state IN ('queued', 'offered')
          AND workflow_id IS NOT NULL
        LIMIT 100`,
    );
    for (const row of rows) {
      // One run gone (terminated by hand, say) must not keep the others from hearing.
      await signalThreadDeleted(this.temporal, { interactionId: row.id, workflowId: row.workflow_id }).catch(
        (error: unknown) => this.logger.warn({ err: error, interactionId: row.id }, 'could not re-signal'),
      );
    }
  }

  private async ensurePollers(): Promise<void> {
    const now = Date.now();
    for (const accountId of await this.poller.pollingAccounts()) {
      if (now - (this.pollersStarted.get(accountId) ?? 0) < POLLER_RECHECK_MS) continue;
      await ensureXPoller(this.temporal, accountId).then(
        () => this.pollersStarted.set(accountId, now),
        (error: unknown) => this.logger.warn({ err: error, accountId }, 'could not start the poller'),
      );
    }
  }
}
