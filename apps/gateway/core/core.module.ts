import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
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

/** The gateway's shared resources: configuration, PostgreSQL, a Temporal *client* (never a worker). */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, endpoints: Endpoints, logger: Logger): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: ENDPOINTS, useValue: endpoints },
        { provide: LOGGER, useValue: logger },
        { provide: SecretBox, useValue: new SecretBox(config.secretKey) },
        { provide: DATA_SOURCE, useFactory: () => openDataSource(endpoints.databaseUrl, 'switchboard-gateway') },
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
            new Dispatcher(dataSource, temporalOfferSink(client), (error) =>
              logger.warn({ err: error }, 'dispatch failed'),
            ),
        },
        ResourceCloser,
      ],
      exports: [CONFIG, ENDPOINTS, LOGGER, SecretBox, DATA_SOURCE, TEMPORAL_CLIENT, Dispatcher],
    };
  }
}
