import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig, Endpoints } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import { CORE_EXPORTS, coreProviders } from '@switchboard/runtime';

/** The gateway's shared resources: configuration, PostgreSQL, a Temporal *client* (never a worker). */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, endpoints: Endpoints, logger: Logger): DynamicModule {
    return {
      module: CoreModule,
      providers: coreProviders('gateway', config, endpoints, logger),
      exports: CORE_EXPORTS,
    };
  }
}
