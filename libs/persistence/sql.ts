import type { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of a raw query. TypeORM's Postgres driver answers UPDATE/DELETE with `[rows, rowCount]` and everything else
 * with `rows`; callers here only ever want the rows.
 */
export async function queryRows<T>(
  executor: EntityManager | DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
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
