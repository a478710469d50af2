import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { WebSocket } from 'ws';
import type { Logger } from '@switchboard/observability';
import { LOGGER } from '../core/tokens';
import { StatsService } from '../stats/stats.service';
import { SocketRegistry } from './socket-registry';

/** Pushes are at least this far apart: a burst of changes becomes one frame (at most four a second). */
const MIN_GAP_MS = 250;
/** And at least this often while a supervisor is connected, so that ages and "today" move on. */
const HEARTBEAT_MS = 5_000;

/**
 * `stats` frames to this gateway's supervisors: after every change the bus reports (interactions, offers, agents'
 * statuses), coalesced, and every 5 s. Each gateway computes for its own supervisors, so any instance serves them.
 */
@Injectable()
export class StatsPublisher implements OnApplicationShutdown {
  private readonly heartbeat: NodeJS.Timeout;
  private pending: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private lastPushAt = 0;

  constructor(
    private readonly stats: StatsService,
    private readonly sockets: SocketRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.heartbeat = setInterval(() => this.changed(), HEARTBEAT_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    if (this.pending) clearTimeout(this.pending);
  }

  /** Something the figures depend on changed. */
  changed(): void {
    this.stats.invalidate();
    if (!this.sockets.hasWatchers) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.pending) return;
    const wait = Math.max(0, this.lastPushAt + MIN_GAP_MS - Date.now());
    this.pending = setTimeout(() => void this.push(), wait);
  }

  /** A supervisor just connected: the figures at once, not at the next change. */
  greet(socket: WebSocket): void {
    this.stats
      .realtime()
      .then((stats) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event: 'stats', data: stats }));
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not compute statistics'));
  }

  private async push(): Promise<void> {
    this.pending = null;
    this.running = true;
    try {
      const stats = await this.stats.realtime();
      this.sockets.send([], true, 'stats', stats, { skipIfBehind: true });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not compute statistics');
    } finally {
      this.running = false;
      this.lastPushAt = Date.now();
      if (this.again) {
        this.again = false;
        this.changed();
      }
    }
  }
}
