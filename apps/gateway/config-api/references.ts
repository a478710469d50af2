import type { DataSource } from 'typeorm';
import { queryRows } from '@switchboard/persistence';
import { ApiError } from '../core/api-error';

/** Ids in a body must name existing rows: a 400 naming the field, not a dangling reference. */
export async function assertExisting(
  dataSource: DataSource,
  table: 'workgroups' | 'accounts',
  field: string,
  ids: readonly (string | null | undefined)[],
): Promise<void> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return;
  const rows = await queryRows<{ id: string }>(dataSource, `SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`, [
    wanted,
  ]);
  const found = new Set(rows.map((row) => row.id));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw ApiError.badRequest(`invalid ${field}`, [{ field, message: `unknown id(s): ${missing.join(', ')}` }]);
  }
}
