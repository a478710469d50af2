import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { Role, type ServerEventName } from '@switchboard/contracts';
import { hasRole, type Principal } from '../auth/principal';

/** Bytes queued on a socket beyond which it is taken to be behind. */
const SLOW_SOCKET_BYTES = 1024 * 1024;

/** The sockets connected to this gateway instance, by user; supervisors also get everything routed to "watchers". */
@Injectable()
export class SocketRegistry {
  private readonly byUser = new Map<string, Set<WebSocket>>();
  private readonly owners = new Map<WebSocket, string>();
  private readonly watchers = new Set<WebSocket>();

  /** Registers the socket, or re-files it after its user's roles changed; true when it watches (a supervisor). */
  add(principal: Principal, socket: WebSocket): boolean {
    const sockets = this.byUser.get(principal.id) ?? new Set<WebSocket>();
    sockets.add(socket);
    this.byUser.set(principal.id, sockets);
    this.owners.set(socket, principal.id);
    const watches = hasRole(principal, Role.SUPERVISOR, Role.ADMIN);
    if (watches) this.watchers.add(socket);
    else this.watchers.delete(socket);
    return watches;
  }

  /** Forgets the socket; returns whose it was (undefined: unknown here). */
  remove(socket: WebSocket): string | undefined {
    const owner = this.owners.get(socket);
    this.owners.delete(socket);
    this.watchers.delete(socket);
    if (owner === undefined) return undefined;
    const sockets = this.byUser.get(owner);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.byUser.delete(owner);
    return owner;
  }

  /** A user's sockets here, oldest first. */
  socketsOf(userId: string): WebSocket[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  /**
   * Sends to the sockets of these users and, when `watchers`, of every supervisor: each socket at most once.
   * `skipIfBehind`: a frame the next one replaces (statistics) is not queued behind a socket that is not keeping up.
   */
  send(
    userIds: readonly (string | null | undefined)[],
    watchers: boolean,
    event: ServerEventName,
    data: unknown,
    options: { skipIfBehind?: boolean } = {},
  ): void {
    const targets = new Set<WebSocket>(watchers ? this.watchers : []);
    for (const id of userIds) {
      if (id) this.byUser.get(id)?.forEach((socket) => targets.add(socket));
    }
    if (targets.size === 0) return;
    const frame = JSON.stringify({ event, data });
    for (const socket of targets) {
      if (socket.readyState !== socket.OPEN) continue;
      if (options.skipIfBehind && socket.bufferedAmount > SLOW_SOCKET_BYTES) continue;
      socket.send(frame);
    }
  }

  /** Whether anyone here could receive an event for these users (or, with `watchers`, any supervisor). */
  reaches(userIds: readonly (string | null | undefined)[], watchers: boolean): boolean {
    if (watchers && this.watchers.size > 0) return true;
    return userIds.some((id) => id !== null && id !== undefined && this.byUser.has(id));
  }

  /** Whether a supervisor (or admin) is connected here. */
  get hasWatchers(): boolean {
    return this.watchers.size > 0;
  }

  /** Whether any socket at all is connected here. */
  get empty(): boolean {
    return this.byUser.size === 0;
  }

  all(): WebSocket[] {
    return [...this.byUser.values()].flatMap((sockets) => [...sockets]);
  }
}
