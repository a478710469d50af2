import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@switchboard/config';
import { IngestPipeline, MessageRouter, MessageStore, ProfileEnricher } from '@switchboard/ingest';
import type { Logger } from '@switchboard/observability';
import { SecretBox } from '@switchboard/persistence';
import { FacebookGraphClient } from '@switchboard/platforms';
import { CONFIG, DATA_SOURCE, LOGGER, TEMPORAL_CLIENT } from '../core/tokens';
import { AccountDirectory } from './account-directory';

/** How often kept changes whose message has arrived are applied (normally at once; this is the crash net). */
const PENDING_SWEEP_MS = 30_000;

/** Runs the router's sweep while the gateway is up and lets in-flight routing finish at shutdown. */
@Injectable()
class IngestLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private pendingTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly router: MessageRouter,
    private readonly store: MessageStore,
    private readonly profiles: ProfileEnricher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.router.startSweeping();
    this.pendingTimer = setInterval(() => {
      this.store
        .sweepPending()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'pending-change sweep failed'));
    }, PENDING_SWEEP_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.pendingTimer) clearInterval(this.pendingTimer);
    await this.router.stop();
    await this.profiles.idle();
  }
}

@Module({
  providers: [
    AccountDirectory,
    {
      provide: MessageStore,
      inject: [DATA_SOURCE],
      useFactory: (dataSource: DataSource) => new MessageStore(dataSource),
    },
    {
      provide: MessageRouter,
      inject: [DATA_SOURCE, TEMPORAL_CLIENT, LOGGER],
      useFactory: (dataSource: DataSource, temporal: Client, logger: Logger) =>
        new MessageRouter(dataSource, temporal, logger),
    },
    {
      provide: ProfileEnricher,
      inject: [DATA_SOURCE, SecretBox, CONFIG, LOGGER],
      useFactory: (dataSource: DataSource, secrets: SecretBox, config: AppConfig, logger: Logger) =>
        new ProfileEnricher(dataSource, secrets, new FacebookGraphClient(config.facebook), logger),
    },
    {
      provide: IngestPipeline,
      inject: [MessageStore, MessageRouter, ProfileEnricher, TEMPORAL_CLIENT, LOGGER],
      useFactory: (
        store: MessageStore,
        router: MessageRouter,
        profiles: ProfileEnricher,
        temporal: Client,
        logger: Logger,
      ) => new IngestPipeline(store, router, profiles, temporal, logger),
    },
    IngestLifecycle,
  ],
  exports: [AccountDirectory, IngestPipeline, MessageRouter],
})
export class IngestModule {}
