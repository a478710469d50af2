import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { AppConfig, Endpoints } from '@switchboard/config';
import { Dispatcher, temporalOfferSink } from '@switchboard/interactions';
import type { Logger } from '@switchboard/observability';
import { openDataSource, SecretBox } from '@switchboard/persistence';
import { CONFIG, DATA_SOURCE, ENDPOINTS, LOGGER, TEMPORAL_CLIENT } from './tokens';

@Injectable()
class ResourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
    await this.dataSource.destroy();
  }
}

/**
 * What every process shares: the validated configuration, PostgreSQL (migrated at boot), a Temporal client and the
 * dispatcher, closed in order at shutdown.
 */
export function coreProviders(app: string, config: AppConfig, endpoints: Endpoints, logger: Logger): Provider[] {
  return [
    { provide: CONFIG, useValue: config },
    { provide: ENDPOINTS, useValue: endpoints },
    { provide: LOGGER, useValue: logger },
    { provide: SecretBox, useValue: new SecretBox(config.secretKey) },
    {
      provide: DATA_SOURCE,
      // A gateway statement may not outlast a platform's patience with a webhook (Meta: 5 s, X: 10 s).
      useFactory: () =>
        openDataSource(
          endpoints.databaseUrl,
          `switchboard-${app}`,
          app === 'gateway' ? { statementTimeoutMs: 3_000, warmConnections: 16 } : {},
        ),
    },
    {
      provide: TEMPORAL_CLIENT,
      useFactory: async () =>
        new Client({
          connection: await Connection.connect({ address: endpoints.temporalAddress }),
          namespace: config.temporal.namespace,
        }),
    },
    {
      provide: Dispatcher,
      inject: [DATA_SOURCE, TEMPORAL_CLIENT],
      useFactory: (dataSource: DataSource, client: Client) =>
        new Dispatcher(dataSource, temporalOfferSink(client), (error, interactionId) =>
          logger.warn({ err: error, ...(interactionId ? { interactionId } : {}) }, 'dispatch failed'),
        ),
    },
    ResourceCloser,
  ];
}

export const CORE_EXPORTS = [CONFIG, ENDPOINTS, LOGGER, SecretBox, DATA_SOURCE, TEMPORAL_CLIENT, Dispatcher];
