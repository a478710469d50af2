import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig, Endpoints } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import { AgentsModule } from './agents/agents.module';
import { AuthModule } from './auth/auth.module';
import { ConfigApiModule } from './config-api/config-api.module';
import { CoreModule } from './core/core.module';
import { InteractionsModule } from './interactions/interactions.module';
import { OpsModule } from './ops/ops.module';
import { RealtimeModule } from './realtime/realtime.module';
import { StatsModule } from './stats/stats.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, endpoints: Endpoints, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, endpoints, logger),
        AuthModule,
        ConfigApiModule,
        WebhooksModule,
        InteractionsModule,
        AgentsModule,
        StatsModule,
        RealtimeModule,
        OpsModule,
      ],
    };
  }
}
