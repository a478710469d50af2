import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Platform } from '@switchboard/contracts';
import {
  queryRows,
  SecretBox,
  type FacebookCredentials,
  type TwitterAccountCredentials,
} from '@switchboard/persistence';
import { DATA_SOURCE } from '../core/tokens';

export type KnownAccount =
  | { id: string; platform: Platform.FACEBOOK; platformAccountId: string; credentials: FacebookCredentials }
  | {
      id: string;
      platform: Platform.TWITTER;
      platformAccountId: string;
      handle: string | null;
      credentials: TwitterAccountCredentials;
      updatedAt: Date;
    };

/** How long a gateway trusts its copy of the accounts; a change through this gateway clears it at once. */
const TTL_MS = 5_000;

/**
 * Accounts with their decrypted credentials, for verifying webhook signatures without a query and a decryption per
 * delivery. Other gateways see a change within the TTL.
 */
@Injectable()
export class AccountDirectory {
  private cache: { loadedAt: number; accounts: Promise<KnownAccount[]> } | null = null;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  invalidate(): void {
    this.cache = null;
  }

  async all(): Promise<KnownAccount[]> {
    if (!this.cache || Date.now() - this.cache.loadedAt > TTL_MS) {
      const accounts = this.load();
      this.cache = { loadedAt: Date.now(), accounts };
      accounts.catch(() => (this.cache = null));
    }
    return this.cache.accounts;
  }

  async facebook(): Promise<Extract<KnownAccount, { platform: Platform.FACEBOOK }>[]> {
    return (await this.all()).filter(
      (a): a is Extract<KnownAccount, { platform: Platform.FACEBOOK }> => a.platform === Platform.FACEBOOK,
    );
  }

  async twitter(): Promise<Extract<KnownAccount, { platform: Platform.TWITTER }>[]> {
    return (await this.all()).filter(
      (a): a is Extract<KnownAccount, { platform: Platform.TWITTER }> => a.platform === Platform.TWITTER,
    );
  }

  private async load(): Promise<KnownAccount[]> {
    const rows = await queryRows<{
      id: string;
      platform: Platform;
      platform_account_id: string;
      handle: string | null;
      credentials_ciphertext: string;
      updated_at: Date;
    }>(
      this.dataSource,
      `SELECT id, platform, platform_account_id, handle, credentials_ciphertext, updated_at FROM accounts`,
    );
    return rows.map((row): KnownAccount =>
      row.platform === Platform.FACEBOOK
        ? {
            id: row.id,
            platform: Platform.FACEBOOK,
            platformAccountId: row.platform_account_id,
            credentials: this.secrets.openJson<FacebookCredentials>(row.credentials_ciphertext),
          }
        : {
            id: row.id,
            platform: Platform.TWITTER,
            platformAccountId: row.platform_account_id,
            handle: row.handle,
            credentials: this.secrets.openJson<TwitterAccountCredentials>(row.credentials_ciphertext),
            updatedAt: row.updated_at,
          },
    );
  }
}
