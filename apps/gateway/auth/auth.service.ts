import { createHmac } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { hash, verify } from 'argon2';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AgentStatus, DEFAULT_AGENT_CAPACITY, Role } from '@switchboard/contracts';
import type { AppConfig } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import { queryOne, queryRows } from '@switchboard/persistence';
import { ApiError } from '../core/api-error';
import { CONFIG, DATA_SOURCE, LOGGER } from '../core/tokens';
import type { Principal } from './principal';

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;

/** The JWT key is derived from SECRET_KEY, so every gateway sharing that key accepts every gateway's tokens. */
export function jwtSecret(config: AppConfig): string {
  return createHmac('sha256', config.secretKey).update('switchboard-jwt').digest('hex');
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly jwt: JwtService,
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

  async login(username: string, password: string): Promise<{ token: string; expiresIn: number; user: Principal }> {
    const user = await queryOne<{ id: string; username: string; roles: Role[]; password_hash: string }>(
      this.dataSource,
      'SELECT id, username, roles, password_hash FROM users WHERE username = $1',
      [username],
    );
    if (!user || !(await verify(user.password_hash, password))) {
      throw ApiError.unauthorized('wrong username or password');
    }
    const principal: Principal = { id: user.id, username: user.username, roles: user.roles };
    const token = await this.jwt.signAsync({ sub: user.id, username: user.username, roles: user.roles });
    return { token, expiresIn: TOKEN_TTL_SECONDS, user: principal };
  }

  /** The principal a token names; null when the token is missing, forged or expired. */
  async verify(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    try {
      const claims = await this.jwt.verifyAsync<{ sub: string; username: string; roles: Role[] }>(token);
      return { id: claims.sub, username: claims.username, roles: claims.roles };
    } catch {
      return null;
    }
  }
}
