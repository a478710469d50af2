import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '@switchboard/observability';
import type { RealtimeStats, WorkgroupStats } from '@switchboard/reporting';
import { StatsService } from '../stats/stats.service';

const LABELS = ['workgroup_id', 'workgroup'] as const;

/**
 * Per-workgroup gauges, read from the live statistics when Prometheus scrapes (one query for all four): they are the
 * same on every gateway, so take one gateway's or `max()` across them.
 */
@Injectable()
export class WorkgroupGauges implements OnModuleDestroy {
  private readonly gauges: Gauge<(typeof LABELS)[number]>[];

  constructor(private readonly stats: StatsService) {
    const gauge = (name: string, help: string, value: (w: WorkgroupStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: LABELS,
        registers: [metricsRegistry],
        // A database that does not answer leaves these gauges as they were: the rest of /metrics still answers.
        collect: async function (this: Gauge<(typeof LABELS)[number]>) {
          const figures: RealtimeStats | null = await stats.realtime().catch(() => null);
          if (!figures) return;
          this.reset();
          for (const w of figures.workgroups) this.set({ workgroup_id: w.id, workgroup: w.name }, value(w));
        },
      });
    this.gauges = [
      gauge('switchboard_workgroup_waiting', 'Interactions waiting in the queue (queued or offered)', (w) => w.waiting),
      gauge(
        'switchboard_workgroup_longest_wait_seconds',
        'Age in the queue of the longest-waiting interaction',
        (w) => w.longestWaitingSeconds,
      ),
      gauge('switchboard_workgroup_agents_available', 'Members in status available', (w) => w.agentsAvailable),
      gauge(
        'switchboard_workgroup_agents_busy',
        'Members holding at least one offered, connected or wrap-up interaction',
        (w) => w.agentsBusy,
      ),
    ];
  }

  onModuleDestroy(): void {
    for (const gauge of this.gauges) metricsRegistry.removeSingleMetric((gauge as unknown as { name: string }).name);
  }
}
