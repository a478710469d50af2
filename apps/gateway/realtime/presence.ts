import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { BUS_CHANNEL } from '@switchboard/contracts';
import type { AppConfig } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import { queryRows } from '@switchboard/persistence';
import { CONFIG, DATA_SOURCE, LOGGER } from '../core/tokens';

/** How often this gateway says its connected users are still here, and looks for users who left. */
const TICK_MS = 5_000;

/**
 * Presence across gateways: a user whose last socket on every gateway closed (or whose gateway stopped answering)
 * goes offline after `PRESENCE_GRACE_SECONDS`, so no offer goes to someone who left; coming back within the grace
 * changes nothing. A user who never held a socket (a REST client) is not touched.
 */
@Injectable()
export class Presence implements OnApplicationBootstrap, OnApplicationShutdown {
  /** This process, for its rows. */
  private readonly gatewayId = randomUUID();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Each user's writes, one after the other: a socket's close must not land after the next one's open. */
  private readonly writes = new Map<string, Promise<void>>();

  /** How many sockets the user now holds on this gateway (0: the last one closed, and the grace starts). */
  holds(userId: string, sockets: number): void {
    const previous = this.writes.get(userId) ?? Promise.resolve();
    const next = previous.then(() =>
      queryRows(
        this.dataSource,
        `INSERT INTO agent_presence (user_id, gateway_id, sockets, seen_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (user_id, gateway_id) DO UPDATE SET sockets = EXCLUDED.sockets, seen_at = now()`,
        [userId, this.gatewayId, sockets],
      ).then(
        () => undefined,
        (error: unknown) => this.logger.warn({ err: error, userId }, 'could not record presence'),
      ),
    );
    this.writes.set(userId, next);
    void next.then(() => {
      if (this.writes.get(userId) === next) this.writes.delete(userId);
    });
  }

  async tick(): Promise<void> {
    try {
      await queryRows(
        this.dataSource,
        'UPDATE agent_presence SET seen_at = now() WHERE gateway_id = $1 AND sockets > 0',
        [this.gatewayId],
      );
      await this.sweep();
    } catch (error) {
      this.logger.warn({ err: error }, 'presence check failed');
    }
  }

  /** Users gone for longer than the grace: offline (their agents' desktops and supervisors are told), rows removed. */
  async sweep(): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `WITH gone AS (
         SELECT p.user_id FROM agent_presence p
          GROUP BY p.user_id
         HAVING bool_and(NOT (p.sockets > 0 AND p.seen_at > now() - make_interval(secs => $1)))
            AND max(p.seen_at) < now() - make_interval(secs => $1)),
       offline AS (
         UPDATE users u SET status = 'offline', status_changed_at = now()
           FROM gone WHERE u.id = gone.user_id AND u.status <> 'offline'
         RETURNING u.id),
       cleared AS (DELETE FROM agent_presence p USING gone WHERE p.user_id = gone.user_id)
       SELECT id, pg_notify('${BUS_CHANNEL}', json_build_object('kind', 'agent', 'agentId', id)::text) FROM offline`,
      [this.config.presenceGraceSeconds],
    );
    for (const row of rows) this.logger.info({ userId: row.id }, 'agent left: set offline');
    return rows.map((row) => row.id);
  }
}
