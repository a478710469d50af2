import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '@switchboard/contracts';
import { ApiError } from '../core/api-error';
import { IS_PUBLIC, ROLES } from './auth.decorators';
import { AuthService } from './auth.service';
import { hasRole } from './principal';

/** Global guard: every HTTP route needs a bearer token unless marked @Public; @Roles narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: unknown }>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    // The user is looked up on every request (cached briefly, dropped at once when it changes): a token outlives
    // neither its user nor their password nor a role they lost.
    const session = await this.auth.authenticate(token);
    if (!session) throw ApiError.unauthorized(token ? 'invalid or expired token' : 'authentication required');
    const principal = session.principal;
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !hasRole(principal, ...roles)) throw ApiError.forbidden(`requires role ${roles.join(' or ')}`);
    return true;
  }
}
