import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { hash, verify } from 'argon2';
import type { DataSource } from 'typeorm';
import { AgentStatus, DEFAULT_AGENT_CAPACITY, Role } from '@switchboard/contracts';
import type { AppConfig } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import { queryOne, queryRows } from '@switchboard/persistence';
import { ApiError } from '../core/api-error';
import { CONFIG, DATA_SOURCE, LOGGER } from '../core/tokens';
import { LoginThrottle } from './login-throttle';
import type { Principal } from './principal';

/** The JWT key is derived from SECRET_KEY, so every gateway sharing that key accepts every gateway's tokens. */
export function jwtSecret(config: AppConfig): string {
  return createHmac('sha256', config.secretKey).update('switchboard-jwt').digest('hex');
}

/** What a token carries: who, and the user's token version when it was issued. Roles are always read live. */
export interface TokenClaims {
  sub: string;
  ver: number;
  exp: number;
}

/** A verified token of a user who still exists with that token version; `principal` is as of the last check. */
export interface Session {
  principal: Principal;
  tokenVersion: number;
  /** When the token expires, in epoch milliseconds. */
  expiresAt: number;
}

interface UserRow {
  id: string;
  username: string;
  roles: Role[];
  token_version: number;
}

/**
 * How long a gateway trusts its copy of a user. Changes through any gateway reach every gateway at once (the bus);
 * this bounds what a missed notification could leave behind.
 */
const USER_CACHE_MS = 5_000;

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly users = new Map<string, { at: number; row: Promise<UserRow | null> }>();
  /** Verified for unknown user names, so that they cost the same time as a wrong password. */
  private readonly dummyHash: Promise<string> = hash(randomBytes(16).toString('hex'));

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottle,
  ) {}

  /** The first start creates `admin` with ADMIN_PASSWORD, or a generated password printed once. */
  async onApplicationBootstrap(): Promise<void> {
    const existing = await queryOne(this.dataSource, 'SELECT 1 FROM users WHERE username = $1', ['admin']);
    if (existing) return;
    const password = this.config.adminPassword ?? randomBytes(12).toString('base64url');
    const created = await queryRows(
      this.dataSource,
      `INSERT INTO users (username, password_hash, display_name, roles, workgroup_ids, skills, capacity, status)
       VALUES ('admin', $1, 'Administrator', $2, '{}', '{}', $3, $4)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [
        await hash(password),
        [Role.ADMIN, Role.SUPERVISOR],
        JSON.stringify(DEFAULT_AGENT_CAPACITY),
        AgentStatus.OFFLINE,
      ],
    );
    if (created.length > 0 && !this.config.adminPassword) {
      // Printed on the console on purpose: it is the only way a new user learns it.
      console.log(
        `\n  First start: created user "admin" with password: ${password}\n  (set ADMIN_PASSWORD to choose it)\n`,
      );
    }
    if (created.length > 0) this.logger.info('created the admin user');
  }

  /**
   * A user name and password for a token. Each attempt is counted before any hash is computed, and refused past the
   * limits; an unknown name is checked against a dummy hash, so that both failures take the same time.
   */
  async login(
    username: string,
    password: string,
    address: string,
  ): Promise<{ token: string; expiresIn: number; user: Principal }> {
    await this.throttle.attempt(username, address);
    const user = await queryOne<UserRow & { password_hash: string }>(
      this.dataSource,
      'SELECT id, username, roles, token_version, password_hash FROM users WHERE username = $1',
      [username],
    );
    const valid = await verify(user?.password_hash ?? (await this.dummyHash), password);
    if (!user || !valid) throw ApiError.unauthorized('wrong username or password');
    await this.throttle.succeeded(username, address);
    const principal: Principal = { id: user.id, username: user.username, roles: user.roles };
    const token = await this.jwt.signAsync({ sub: user.id, ver: user.token_version });
    return { token, expiresIn: this.config.auth.tokenTtlSeconds, user: principal };
  }

  /** The session a token opens; null when the token is missing, forged, expired, or its user changed since. */
  async authenticate(token: string | undefined): Promise<Session | null> {
    if (!token) return null;
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      return null;
    }
    if (typeof claims.sub !== 'string' || typeof claims.ver !== 'number' || typeof claims.exp !== 'number') return null;
    return this.refresh({
      principal: { id: claims.sub, username: '', roles: [] },
      tokenVersion: claims.ver,
      expiresAt: claims.exp * 1000,
    });
  }

  /** The session as it stands now (roles may have grown), or null once it has ended. */
  async refresh(session: Session): Promise<Session | null> {
    if (Date.now() >= session.expiresAt) return null;
    const user = await this.user(session.principal.id);
    if (!user || user.token_version !== session.tokenVersion) return null;
    return { ...session, principal: { id: user.id, username: user.username, roles: user.roles } };
  }

  /** Drops the cached copy of a user (the bus says it changed). */
  forget(userId: string): void {
    this.users.delete(userId);
  }

  private user(id: string): Promise<UserRow | null> {
    const cached = this.users.get(id);
    if (cached && Date.now() - cached.at < USER_CACHE_MS) return cached.row;
    const row = queryOne<UserRow>(
      this.dataSource,
      'SELECT id, username, roles, token_version FROM users WHERE id = $1',
      [id],
    );
    this.users.set(id, { at: Date.now(), row });
    row.catch(() => {
      if (this.users.get(id)?.row === row) this.users.delete(id);
    });
    return row;
  }
}
