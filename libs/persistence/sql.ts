import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Outside a transaction a raw query goes straight to the driver's pg pool: TypeORM's query runner (created, connected,
 * broadcast to subscribers and released per call) costs more CPU than the query on the hot ingest path.
 */
function poolOf(executor: EntityManager | DataSource): Pool | null {
  if (!('driver' in executor) || !executor.isInitialized) return null;
  const pool = (executor.driver as PostgresDriver).master as Pool | undefined;
  return pool ?? null;
}

/** The pg pool under a data source, for libraries that take one (the login counters). */
export function pgPool(dataSource: DataSource): Pool {
  const pool = poolOf(dataSource);
  if (!pool) throw new Error('the data source is not initialised');
  return pool;
}

/**
 * Rows of a raw query. TypeORM's Postgres driver answers UPDATE/DELETE with `[rows, rowCount]` and everything else
 * with `rows`; callers here only ever want the rows.
 */
export async function queryRows<T>(
  executor: EntityManager | DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const pool = poolOf(executor);
  if (pool) return (await pool.query(sql, params)).rows as T[];
  const result = (await executor.query(sql, params)) as unknown;
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

export async function queryOne<T>(
  executor: EntityManager | DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<T | null> {
  const rows = await queryRows<T>(executor, sql, params);
  return rows[0] ?? null;
}

/** The SQLSTATE of a PostgreSQL error, whether pg raised it or TypeORM wrapped it (`driverError`). */
export function pgErrorCode(error: unknown): string | null {
  const raised = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = raised?.driverError?.code ?? raised?.code;
  return typeof code === 'string' ? code : null;
}
