import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@switchboard/config';
import { pgPool } from '@switchboard/persistence';
import { assertNotLimited, takePoint } from '../core/rate-limits';
import { CONFIG, DATA_SOURCE } from '../core/tokens';

const TABLE = 'rate_limits';

/**
 * Failed logins counted per user name and per client address, in PostgreSQL so that every gateway sees the same
 * counts (`rate-limiter-flexible`; the table comes from a migration). Past either limit, logins are refused with 429
 * and `Retry-After` until the window ends, before any password is hashed. A successful login clears its user name's
 * count, and so does an admin setting the user a new password. If PostgreSQL cannot count, each gateway counts alone.
 */
@Injectable()
export class LoginThrottle {
  private readonly byUser: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource, @Inject(CONFIG) config: AppConfig) {
    const { maxFailuresPerUser, maxFailuresPerAddress, lockoutSeconds } = config.auth;
    const limiter = (keyPrefix: string, points: number) =>
      new RateLimiterPostgres({
        storeClient: pgPool(dataSource),
        storeType: 'pool',
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout: true,
        keyPrefix,
        points,
        duration: lockoutSeconds,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: lockoutSeconds }),
      });
    this.byUser = limiter('login-user', maxFailuresPerUser);
    this.byAddress = limiter('login-address', maxFailuresPerAddress);
  }

  async assertAllowed(username: string, address: string): Promise<void> {
    await assertNotLimited(this.byUser, username, 'too many failed logins for this user name; try again later');
    await assertNotLimited(this.byAddress, address, 'too many failed logins from this address; try again later');
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await Promise.all([
      takePoint(this.byUser, username, 'too many failed logins for this user name'),
      takePoint(this.byAddress, address, 'too many failed logins from this address'),
    ]).catch(() => undefined);
  }

  /** The user proved who they are (or an admin reset their password): their name starts afresh. */
  async recordSuccess(username: string): Promise<void> {
    await this.byUser.delete(username).catch(() => undefined);
  }
}
