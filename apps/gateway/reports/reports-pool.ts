import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import type { Endpoints } from '@switchboard/config';
import { ENDPOINTS } from '../core/tokens';

/**
 * Reports read with connections of their own: a long export must neither take the connections webhooks need nor be
 * cut by their 3 s statement timeout.
 */
@Injectable()
export class ReportsPool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(ENDPOINTS) endpoints: Endpoints) {
    this.pool = new Pool({
      connectionString: endpoints.databaseUrl,
      application_name: 'switchboard-reports',
      max: 4,
      statement_timeout: 300_000,
      idleTimeoutMillis: 30_000,
      // Four exports at once is plenty for one gateway; a fifth waits this long, then is told to come back.
      connectionTimeoutMillis: 10_000,
    });
    this.pool.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
