import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@switchboard/config';
import { realtimeStats, statsTrend, type RealtimeStats, type StatsTrend } from '@switchboard/reporting';
import { CONFIG, DATA_SOURCE } from '../core/tokens';

/** Calls that arrive while one computation runs share it, and reuse its answer this briefly. */
const REUSE_MS = 200;

/** The live statistics of this moment, for the REST route, the supervisors' `stats` frames and `/metrics`. */
@Injectable()
export class StatsService {
  private latest: { at: number; stats: Promise<RealtimeStats> } | null = null;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  realtime(): Promise<RealtimeStats> {
    if (this.latest && Date.now() - this.latest.at < REUSE_MS) return this.latest.stats;
    const stats = realtimeStats(this.dataSource, this.config.reportTimeZone);
    const entry = { at: Date.now(), stats };
    this.latest = entry;
    stats.catch(() => {
      if (this.latest === entry) this.latest = null;
    });
    return stats;
  }

  trend(minutes: number, stepSeconds: number): Promise<StatsTrend> {
    return statsTrend(this.dataSource, this.config.reportTimeZone, minutes, stepSeconds);
  }

  /** The next call computes afresh (something changed). */
  invalidate(): void {
    this.latest = null;
  }
}
