import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Client } from '@temporalio/client';
import {
  createInteractionActivities,
  createPollerActivities,
  type InteractionActivities,
  type PollerActivities,
} from '@switchboard/activities';
import type { AppConfig, Endpoints } from '@switchboard/config';
import { Dispatcher, InteractionLifecycle, ReplySender } from '@switchboard/interactions';
import type { Logger } from '@switchboard/observability';
import { SecretBox } from '@switchboard/persistence';
import { FacebookGraphClient, TwitterClient } from '@switchboard/platforms';
import { IngestPipeline, MessageRouter, MessageStore, ProfileEnricher, XPoller } from '@switchboard/ingest';
import { coreProviders, DATA_SOURCE, TEMPORAL_CLIENT } from '@switchboard/runtime';

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
              config.facebook.humanAgentTag,
            ),
        },
        {
          provide: ProfileEnricher,
          inject: [DATA_SOURCE, SecretBox],
          useFactory: (dataSource: DataSource, secrets: SecretBox) =>
            new ProfileEnricher(dataSource, secrets, new FacebookGraphClient(config.facebook), logger),
        },
        {
          // Pollers store and route what they read at once; the gateways' sweep covers a worker that dies midway.
          provide: IngestPipeline,
          inject: [DATA_SOURCE, TEMPORAL_CLIENT, ProfileEnricher],
          useFactory: (dataSource: DataSource, temporal: Client, profiles: ProfileEnricher) =>
            new IngestPipeline(
              new MessageStore(dataSource),
              new MessageRouter(dataSource, temporal, logger),
              profiles,
              temporal,
              logger,
            ),
        },
        {
          provide: XPoller,
          inject: [DATA_SOURCE, SecretBox, IngestPipeline],
          useFactory: (dataSource: DataSource, secrets: SecretBox, pipeline: IngestPipeline) =>
            new XPoller(dataSource, secrets, new TwitterClient(config.twitter), pipeline, {
              mentionsSeconds: config.twitter.pollMentionsSeconds,
              dmSeconds: config.twitter.pollDmSeconds,
            }),
        },
        {
          provide: ACTIVITIES,
          inject: [InteractionLifecycle, ReplySender, XPoller],
          useFactory: (
            lifecycle: InteractionLifecycle,
            replies: ReplySender,
            poller: XPoller,
          ): InteractionActivities & PollerActivities => ({
            ...createInteractionActivities({ lifecycle, replies, logger }),
            ...createPollerActivities({ poller }),
          }),
        },
      ],
      exports: [ACTIVITIES, Dispatcher, XPoller, TEMPORAL_CLIENT, DATA_SOURCE],
    };
  }
}
