import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { BUS_CHANNEL, type BusEvent } from '@switchboard/contracts';
import type { Endpoints } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import { interactionView, loadInteraction, loadMessage, loadOfferPreview, messageView } from '../interactions/views';
import { AgentsService } from '../agents/agents.service';
import { AuthService } from '../auth/auth.service';
import { AgentGateway } from './agent.gateway';
import { StatsPublisher } from './stats-publisher';
import { DATA_SOURCE, ENDPOINTS, LOGGER } from '../core/tokens';
import { SocketRegistry } from './socket-registry';

/**
 * Listens to the events every process publishes with PostgreSQL NOTIFY and pushes them to this gateway's sockets, so
 * an agent connected to any gateway instance receives its offers.
 */
@Injectable()
export class BusListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private client: Client | null = null;
  private stopped = false;

  constructor(
    @Inject(ENDPOINTS) private readonly endpoints: Endpoints,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly sockets: SocketRegistry,
    private readonly agents: AgentsService,
    private readonly auth: AuthService,
    private readonly gateway: AgentGateway,
    private readonly stats: StatsPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.endpoints.databaseUrl, application_name: 'switchboard-bus' });
    client.on('notification', (message) => {
      if (message.channel !== BUS_CHANNEL || !message.payload) return;
      this.dispatch(JSON.parse(message.payload) as BusEvent).catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not push a bus event'),
      );
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'bus connection lost; reconnecting');
      this.reconnectSoon();
    });
    await client.connect();
    await client.query(`LISTEN ${BUS_CHANNEL}`);
    this.client = client;
  }

  private reconnectSoon(): void {
    const previous = this.client;
    this.client = null;
    previous?.end().catch(() => undefined);
    if (this.stopped) return;
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'bus reconnect failed');
        this.reconnectSoon();
      });
    }, 1000);
  }

  async dispatch(event: BusEvent): Promise<void> {
    if (event.kind === 'user') {
      this.auth.forget(event.userId);
      this.stats.changed();
      await this.gateway.recheckUser(event.userId);
      return;
    }
    if (event.kind === 'interaction' || event.kind === 'offer' || event.kind === 'agent') this.stats.changed();
    // Nobody here to tell: skip the loads (a gateway taking only webhooks hears every event).
    if (this.sockets.empty) return;
    switch (event.kind) {
      case 'offer': {
        if (!this.sockets.reaches([event.agentId], false)) return;
        const row = await loadInteraction(this.dataSource, event.interactionId);
        if (!row) return;
        this.sockets.send([event.agentId], false, 'offer', {
          interaction: interactionView(row),
          offerId: event.offerId,
          expiresAt: event.expiresAt,
          ...(await loadOfferPreview(this.dataSource, row)),
        });
        return;
      }
      case 'interaction': {
        const row = await loadInteraction(this.dataSource, event.interactionId);
        if (!row) return;
        this.sockets.send(
          [row.agent_id, ...(event.alsoNotify ?? [])],
          true,
          'interaction.updated',
          interactionView(row),
        );
        return;
      }
      case 'message.created':
      case 'message.updated': {
        const message = await loadMessage(this.dataSource, event.messageId);
        if (!message?.interaction_id) return;
        const row = await loadInteraction(this.dataSource, message.interaction_id);
        this.sockets.send([row?.agent_id], true, event.kind, messageView(message));
        return;
      }
      case 'agent': {
        if (!this.sockets.reaches([event.agentId], false)) return;
        const agent = await this.agents.get(event.agentId).catch(() => null);
        if (agent) this.sockets.send([event.agentId], true, 'agent.updated', agent);
        return;
      }
    }
  }
}
