import type { Role } from '@switchboard/contracts';

export interface Principal {
  id: string;
  username: string;
  roles: Role[];
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}
