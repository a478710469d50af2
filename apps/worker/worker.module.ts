import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createInteractionActivities, type InteractionActivities } from '@switchboard/activities';
import type { AppConfig, Endpoints } from '@switchboard/config';
import { Dispatcher, InteractionLifecycle, ReplySender } from '@switchboard/interactions';
import type { Logger } from '@switchboard/observability';
import { SecretBox } from '@switchboard/persistence';
import { FacebookGraphClient, TwitterClient } from '@switchboard/platforms';
import { coreProviders, DATA_SOURCE } from '@switchboard/runtime';

export const ACTIVITIES = Symbol('ACTIVITIES');

/** Everything the worker's activities need, built once from the validated configuration. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, endpoints: Endpoints, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        ...coreProviders('worker', config, endpoints, logger),
        {
          provide: InteractionLifecycle,
          inject: [DATA_SOURCE, Dispatcher],
          useFactory: (dataSource: DataSource, dispatcher: Dispatcher) =>
            new InteractionLifecycle(dataSource, dispatcher),
        },
        {
          provide: ReplySender,
          inject: [DATA_SOURCE, SecretBox],
          useFactory: (dataSource: DataSource, secrets: SecretBox) =>
            new ReplySender(
              dataSource,
              secrets,
              new FacebookGraphClient(config.facebook),
              new TwitterClient(config.twitter),
            ),
        },
        {
          provide: ACTIVITIES,
          inject: [InteractionLifecycle, ReplySender],
          useFactory: (lifecycle: InteractionLifecycle, replies: ReplySender): InteractionActivities =>
            createInteractionActivities({ lifecycle, replies }),
        },
      ],
      exports: [ACTIVITIES, Dispatcher],
    };
  }
}
