import type { DataSource } from 'typeorm';
import type { Logger } from '@switchboard/observability';
import { OPEN_INTERACTION_STATES } from '@switchboard/contracts';
import { publish, queryOne, queryRows, type FacebookCredentials, type SecretBox } from '@switchboard/persistence';
import type { FacebookGraphClient } from '@switchboard/platforms';
import { WorkQueue } from './work-queue';

/**
 * Fills in a Messenger customer's name and picture from the Graph API, in the background. Without the profile
 * permission Meta answers an empty object and the name stays empty; either way the customer is not asked about again
 * for a day (`profile_checked_at`).
 */
export class ProfileEnricher {
  private readonly queue: WorkQueue<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly graph: FacebookGraphClient,
    logger: Logger,
  ) {
    this.queue = new WorkQueue(
      2,
      (customerId) => this.enrich(customerId),
      (error, customerId) => logger.warn({ err: error, customerId }, 'profile lookup failed'),
    );
  }

  enrichSoon(customerIds: string[]): void {
    if (customerIds.length > 0) this.queue.push(...customerIds);
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  async enrich(customerId: string): Promise<void> {
    // The page whose conversation introduced the customer holds the token that may read them (PSIDs are per page).
    const row = await queryOne<{ platform_user_id: string; credentials_ciphertext: string }>(
      this.dataSource,
      `UPDATE customers c SET profile_checked_at = now()
         FROM messages m JOIN accounts a ON a.id = m.account_id
        WHERE c.id = $1 AND m.customer_id = c.id AND c.name IS NULL
          AND (c.profile_checked_at IS NULL OR c.profile_checked_at < now() - interval '1 minute')
        RETURNING c.platform_user_id, a.credentials_ciphertext`,
      [customerId],
    );
    if (!row) return;
    const credentials = this.secrets.openJson<FacebookCredentials>(row.credentials_ciphertext);
    const profile = await this.graph.getProfile({
      psid: row.platform_user_id,
      accessToken: credentials.pageAccessToken,
    });
    if (!profile?.name && !profile?.avatarUrl) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE customers SET name = COALESCE($2, name), avatar_url = COALESCE($3, avatar_url), updated_at = now()
          WHERE id = $1`,
        [customerId, profile.name, profile.avatarUrl],
      );
      const open = await queryRows<{ id: string }>(
        manager,
        'SELECT id FROM interactions WHERE customer_id = $1 AND state = ANY($2)',
        [customerId, OPEN_INTERACTION_STATES],
      );
      for (const interaction of open) await publish(manager, { kind: 'interaction', interactionId: interaction.id });
    });
  }
}
