import { Module, type DynamicModule, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { createInteractionActivities, type InteractionActivities } from '@switchboard/activities';
import type { AppConfig, Endpoints } from '@switchboard/config';
import { Dispatcher, InteractionLifecycle, ReplySender, temporalOfferSink } from '@switchboard/interactions';
import type { Logger } from '@switchboard/observability';
import { openDataSource, SecretBox } from '@switchboard/persistence';
import { FacebookGraphClient, TwitterClient } from '@switchboard/platforms';

export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const ACTIVITIES = Symbol('ACTIVITIES');

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

/** Everything the worker's activities need, built once from the validated configuration. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, endpoints: Endpoints, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: DATA_SOURCE, useFactory: () => openDataSource(endpoints.databaseUrl, 'switchboard-worker') },
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
              logger.warn({ err: error }, 'dispatch signal failed'),
            ),
        },
        {
          provide: InteractionLifecycle,
          inject: [DATA_SOURCE, Dispatcher],
          useFactory: (dataSource: DataSource, dispatcher: Dispatcher) =>
            new InteractionLifecycle(dataSource, dispatcher),
        },
        {
          provide: ReplySender,
          inject: [DATA_SOURCE],
          useFactory: (dataSource: DataSource) =>
            new ReplySender(
              dataSource,
              new SecretBox(config.secretKey),
              new FacebookGraphClient(config.facebook),
              new TwitterClient(config.twitter),
            ),
        },
        {
          provide: ACTIVITIES,
          inject: [DATA_SOURCE, InteractionLifecycle, ReplySender],
          useFactory: (
            dataSource: DataSource,
            lifecycle: InteractionLifecycle,
            replies: ReplySender,
          ): InteractionActivities => createInteractionActivities({ dataSource, lifecycle, replies }),
        },
        ResourceCloser,
      ],
      exports: [ACTIVITIES, Dispatcher],
    };
  }
}
