import { QueryFailedError } from 'typeorm';
import { pgErrorCode } from '@switchboard/persistence';
import { ApiError } from '../core/api-error';

/** Turns PostgreSQL constraint violations into 409s that say what clashed. */
export async function mapConstraintErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueryFailedError) {
      const driver = error.driverError as { detail?: string; constraint?: string };
      const code = pgErrorCode(error);
      if (code === '23505') throw ApiError.conflict('already exists', [driver.detail ?? driver.constraint]);
      // 23503: a foreign key violation; 23001: the same from an ON DELETE RESTRICT reference.
      if (code === '23503' || code === '23001') {
        throw ApiError.conflict('still referenced by other records', [driver.detail ?? driver.constraint]);
      }
    }
    throw error;
  }
}
