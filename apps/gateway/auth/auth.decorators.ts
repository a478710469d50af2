import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@switchboard/contracts';
import type { Principal } from './principal';

export const IS_PUBLIC = 'switchboard:public';
export const ROLES = 'switchboard:roles';

/** No token needed (login, webhooks, health, the desktop's static files). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Any one of these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    (
      context.switchToHttp().getRequest<Request>() as Request & {
        principal: Principal;
      }
    ).principal,
);
