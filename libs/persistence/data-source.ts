import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface PoolOptions {
  /** Connections opened at start (they stay open): a burst right after start-up then finds them ready. */
  warmConnections?: number;
  /** Kills any statement running longer (the gateway: a webhook answers 503 before the platform gives up). */
  statementTimeoutMs?: number;
}

export function dataSourceOptions(url: string, applicationName: string, pool: PoolOptions = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    applicationName,
    // A pool that cannot hand out a connection soon answers an error (a webhook then says 503) rather than hanging.
    extra: {
      max: 20,
      connectionTimeoutMillis: 5_000,
      // Connections once opened stay open (at most `max`): a burst after a quiet spell must not wait for new backends.
      idleTimeoutMillis: 0,
      ...(pool.statementTimeoutMs ? { statement_timeout: pool.statementTimeoutMs } : {}),
    },
  };
}

/** Any number of processes may boot at once: an advisory lock makes exactly one of them apply pending migrations. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(7710001)');
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(7710001)');
    }
  } finally {
    await runner.release();
  }
}

export async function openDataSource(
  url: string,
  applicationName: string,
  pool: PoolOptions = {},
): Promise<DataSource> {
  if (pool.statementTimeoutMs) {
    // Migrations may take their time; only the working pool gets the timeout.
    const migrator = await openDataSource(url, `${applicationName}-migrations`);
    await migrator.destroy();
  } else {
    const dataSource = new DataSource(dataSourceOptions(url, applicationName));
    await dataSource.initialize();
    await runMigrations(dataSource);
    return dataSource;
  }
  const dataSource = new DataSource(dataSourceOptions(url, applicationName, pool));
  await dataSource.initialize();
  await warm(dataSource, pool.warmConnections ?? 0);
  return dataSource;
}

/** Opens `count` pool connections at once (each query holds one while the others start). */
async function warm(dataSource: DataSource, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => dataSource.query('SELECT pg_sleep(0.05)')));
}
