import type { EntityManager } from 'typeorm';
import { BUS_CHANNEL, type BusEvent } from '@switchboard/contracts';

/**
 * Publishes to every gateway through PostgreSQL NOTIFY. Called inside the transaction that made the change, so the
 * event is delivered exactly when (and only if) the change commits.
 */
export async function publish(manager: EntityManager, ...events: BusEvent[]): Promise<void> {
  for (const event of events) {
    await manager.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, JSON.stringify(event)]);
  }
}
