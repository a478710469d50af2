import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@switchboard/config';
import { pgPool } from '@switchboard/persistence';
import { takePoint } from '../core/rate-limits';
import { CONFIG, DATA_SOURCE } from '../core/tokens';

const TABLE = 'rate_limits';

/**
 * Login attempts counted per user name and per client address, in PostgreSQL so that every gateway sees the same
 * counts (`rate-limiter-flexible`; the table comes from a migration). Each attempt takes its points *before* the
 * password is hashed, so parallel guesses cannot slip past the count; past either limit, logins are refused with 429
 * and `Retry-After` until the window ends, at the cost of no hash. A successful login gives its points back (the
 * name starts afresh), and so does an admin setting the user a new password. If PostgreSQL cannot count, each
 * gateway counts alone.
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

  /** Counts an attempt, or refuses it (429) when the address or the user name has no attempts left. */
  async attempt(username: string, address: string): Promise<void> {
    await takePoint(this.byAddress, address, 'too many failed logins from this address; try again later');
    await takePoint(this.byUser, username, 'too many failed logins for this user name; try again later');
  }

  /** The attempt proved who the user is: it does not count against the address, and the name starts afresh. */
  async succeeded(username: string, address: string): Promise<void> {
    await Promise.all([this.byUser.delete(username), this.byAddress.reward(address, 1)]).catch(() => undefined);
  }

  /** An admin set the user a new password: the lockout of that name ends. */
  async release(username: string): Promise<void> {
    await this.byUser.delete(username).catch(() => undefined);
  }
}
