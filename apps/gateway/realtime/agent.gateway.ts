import type { IncomingMessage } from 'node:http';
import { HttpException, Inject, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength, validate } from 'class-validator';
import type { DataSource } from 'typeorm';
import type { WebSocket } from 'ws';
import { InteractionState } from '@switchboard/contracts';
import { queryRows } from '@switchboard/persistence';
import type { AppConfig } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import { StatusDto } from '../agents/agents.controller';
import { AgentsService } from '../agents/agents.service';
import { AuthService } from '../auth/auth.service';
import type { Principal } from '../auth/principal';
import { CONFIG, DATA_SOURCE, LOGGER } from '../core/tokens';
import { ReplyDto, TransferDto, WrapUpDto } from '../interactions/interactions.controller';
import { InteractionsService } from '../interactions/interactions.service';
import { INTERACTION_COLUMNS, interactionView, loadOfferPreview, type InteractionRecord } from '../interactions/views';
import { SocketRegistry } from './socket-registry';
import { Presence } from './presence';
import { StatsPublisher } from './stats-publisher';
import type { Admission } from './ws-adapter';
import { admitRequest, admittedSession, endSocketSession, setSocketSession, socketSession } from './socket-session';

type Frame = { event: 'ack' | 'error'; data: Record<string, unknown> };
type LiveSocket = WebSocket & { alive?: boolean };

/** Close codes: the session ended (token expired or revoked: log in again); more sockets than a user may hold. */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_POLICY = 1008;

class RefDto {
  @IsOptional() @IsString() @MaxLength(200) ref?: string;
}

class InteractionActionDto extends RefDto {
  @IsUUID() interactionId!: string;
}

class WsStatusDto extends StatusDto {
  @IsOptional() @IsString() @MaxLength(200) ref?: string;
}

class WsReplyDto extends ReplyDto {
  @IsUUID() interactionId!: string;
  @IsOptional() @IsString() @MaxLength(200) ref?: string;
}

class WsWrapUpDto extends WrapUpDto {
  @IsUUID() interactionId!: string;
  @IsOptional() @IsString() @MaxLength(200) ref?: string;
}

class WsTransferDto extends TransferDto {
  @IsUUID() interactionId!: string;
  @IsOptional() @IsString() @MaxLength(200) ref?: string;
}

const HEARTBEAT_MS = 30_000;

/**
 * The agent desktop's socket (`/ws?token=`). The token is checked at the upgrade and the session after it: a socket
 * closes (4401) when its token expires, when its user is deleted, changes password or loses a role (the bus tells
 * every gateway at once; each heartbeat looks again), and a user's oldest sockets close (1008) beyond the cap.
 * Client events mirror the REST actions and are answered by `ack` or `error` echoing the client's `ref`; server
 * events come from the bus.
 */
@WebSocketGateway({ path: '/ws' })
export class AgentGateway implements OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly heartbeat: NodeJS.Timeout;
  private readonly expiries = new WeakMap<WebSocket, NodeJS.Timeout>();

  constructor(
    private readonly auth: AuthService,
    private readonly sockets: SocketRegistry,
    private readonly agents: AgentsService,
    private readonly interactions: InteractionsService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly stats: StatsPublisher,
    private readonly presence: Presence,
  ) {
    // A socket that stops answering pings is dropped, so offers are not pushed into the void; every session is
    // looked at again, in case a change notice was missed.
    this.heartbeat = setInterval(() => {
      for (const socket of this.sockets.all() as LiveSocket[]) {
        if (socket.alive === false) {
          socket.terminate();
          continue;
        }
        socket.alive = false;
        socket.ping();
        void this.recheck(socket);
      }
    }, HEARTBEAT_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const socket of this.sockets.all()) socket.close(1001, 'server shutting down');
  }

  /** The upgrade's verdict (see GatewayWsAdapter): only a valid token of a current user gets a socket. */
  readonly admit: Admission = async (request) => {
    const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
    const session = await this.auth.authenticate(token);
    if (!session) return { ok: false, status: 401 };
    admitRequest(request, session);
    return { ok: true };
  };

  handleConnection(socket: LiveSocket, request: IncomingMessage): void {
    const session = admittedSession(request);
    if (!session) {
      socket.close(CLOSE_SESSION_ENDED, 'unauthorized');
      return;
    }
    socket.alive = true;
    socket.on('pong', () => (socket.alive = true));
    setSocketSession(socket, session);
    if (this.sockets.add(session.principal, socket)) this.stats.greet(socket);
    this.expiries.set(
      socket,
      setTimeout(() => this.end(socket, 'token expired', CLOSE_SESSION_ENDED), session.expiresAt - Date.now()),
    );
    const own = this.sockets.socketsOf(session.principal.id);
    for (const oldest of own.slice(0, Math.max(0, own.length - this.config.wsMaxConnectionsPerUser))) {
      this.end(oldest, 'too many connections for this user', CLOSE_POLICY);
    }
    this.presence.holds(session.principal.id, this.sockets.socketsOf(session.principal.id).length);
    // The user may have changed between the upgrade and now: look once more (the bus's recheck saw no socket yet).
    void this.recheck(socket);
    this.restore(socket, session.principal.id).catch((error: unknown) =>
      this.logger.warn({ err: error, userId: session.principal.id }, 'could not restore a desktop'),
    );
    void this.agents
      .get(session.principal.id)
      .then((agent) => socket.send(JSON.stringify({ event: 'agent.updated', data: agent })))
      .catch(() => undefined);
  }

  handleDisconnect(socket: WebSocket): void {
    this.forgetSocket(socket);
  }

  /** The user changed (the bus said so): each of their sockets here keeps its session, follows it, or closes. */
  async recheckUser(userId: string): Promise<void> {
    await Promise.all(this.sockets.socketsOf(userId).map((socket) => this.recheck(socket)));
  }

  private async recheck(socket: WebSocket): Promise<void> {
    const session = socketSession(socket);
    if (!session) return;
    const fresh = await this.auth.refresh(session).catch(() => session);
    if (!fresh) {
      this.end(socket, 'session ended: log in again', CLOSE_SESSION_ENDED);
      return;
    }
    if (socketSession(socket) !== session) return;
    setSocketSession(socket, fresh);
    if (fresh.principal.roles.join() !== session.principal.roles.join() && this.sockets.add(fresh.principal, socket)) {
      this.stats.greet(socket);
    }
  }

  /** Ends a socket's session at once (no frame of it is acted on any more), tells the client why, and closes it. */
  private end(socket: WebSocket, reason: string, code: number): void {
    this.forgetSocket(socket);
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify({ event: 'error', data: { status: code === CLOSE_POLICY ? 409 : 401, error: reason } }));
    socket.close(code, reason);
  }

  private forgetSocket(socket: WebSocket): void {
    clearTimeout(this.expiries.get(socket));
    this.expiries.delete(socket);
    endSocketSession(socket);
    const owner = this.sockets.remove(socket);
    if (owner) this.presence.holds(owner, this.sockets.socketsOf(owner).length);
  }

  /** A (re)connected desktop gets at once what it holds: its pending offers and its current interactions. */
  private async restore(socket: WebSocket, userId: string): Promise<void> {
    const rows = await queryRows<InteractionRecord>(
      this.dataSource,
      `SELECT ${INTERACTION_COLUMNS} FROM interactions i
        WHERE i.agent_id = $1 AND i.state IN ('offered', 'connected', 'wrapup') ORDER BY i.created_at`,
      [userId],
    );
    for (const row of rows) {
      if (socket.readyState !== socket.OPEN) return;
      if (row.state === InteractionState.OFFERED && row.offer_id && row.offer_expires_at) {
        const preview = await loadOfferPreview(this.dataSource, row);
        socket.send(
          JSON.stringify({
            event: 'offer',
            data: {
              interaction: interactionView(row),
              offerId: row.offer_id,
              expiresAt: new Date(row.offer_expires_at).toISOString(),
              ...preview,
            },
          }),
        );
      } else {
        socket.send(JSON.stringify({ event: 'interaction.updated', data: interactionView(row) }));
      }
    }
  }

  /** Validates the frame, runs the action as the socket's user and wraps the outcome as `ack` / `error`. */
  private async act<T extends RefDto>(
    socket: WebSocket,
    type: new () => T,
    raw: unknown,
    action: (user: Principal, data: T) => Promise<unknown>,
  ): Promise<Frame> {
    const ref = typeof (raw as RefDto | null)?.ref === 'string' ? (raw as RefDto).ref : undefined;
    const principal = socketSession(socket)?.principal;
    if (!principal) return { event: 'error', data: { ref, status: 401, error: 'not authenticated' } };
    const data = plainToInstance(type, raw ?? {});
    const problems = await validate(data, { whitelist: true, forbidNonWhitelisted: true });
    if (problems.length > 0) {
      const details = problems.flatMap((p) =>
        Object.values(p.constraints ?? {}).map((message) => ({ field: p.property, message })),
      );
      return {
        event: 'error',
        data: { ref, status: 400, error: `invalid ${problems.map((p) => p.property).join(', ')}`, details },
      };
    }
    try {
      const result = await action(principal, data);
      return { event: 'ack', data: { ref, result } };
    } catch (error) {
      if (error instanceof HttpException) {
        const body = error.getResponse() as { error?: string; details?: unknown[] };
        return {
          event: 'error',
          data: { ref, status: error.getStatus(), error: body.error ?? error.message, details: body.details ?? [] },
        };
      }
      const interactionId = (raw as { interactionId?: unknown } | null)?.interactionId;
      this.logger.error(
        { err: error, userId: principal.id, ...(typeof interactionId === 'string' ? { interactionId } : {}) },
        'websocket action failed',
      );
      return { event: 'error', data: { ref, status: 500, error: 'internal error' } };
    }
  }

  @SubscribeMessage('status')
  status(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    return this.act(socket, WsStatusDto, body, (user, data) => this.agents.setStatus(user, data.status));
  }

  @SubscribeMessage('accept')
  accept(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    return this.act(socket, InteractionActionDto, body, (user, data) =>
      this.interactions.accept(user, data.interactionId, data.ref && `ws-${user.id}-${data.ref}`),
    );
  }

  @SubscribeMessage('decline')
  decline(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    return this.act(socket, InteractionActionDto, body, (user, data) =>
      this.interactions.decline(user, data.interactionId, data.ref && `ws-${user.id}-${data.ref}`),
    );
  }

  @SubscribeMessage('reply')
  reply(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    return this.act(socket, WsReplyDto, body, (user, data) =>
      this.interactions.reply(user, data.interactionId, data.text, data.visibility),
    );
  }

  @SubscribeMessage('disconnect')
  disconnect(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    return this.act(socket, InteractionActionDto, body, (user, data) =>
      this.interactions.disconnect(user, data.interactionId, data.ref && `ws-${user.id}-${data.ref}`),
    );
  }

  @SubscribeMessage('wrapup')
  wrapUp(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    return this.act(socket, WsWrapUpDto, body, (user, data) =>
      this.interactions.wrapUp(user, data.interactionId, data.code ?? null, data.ref && `ws-${user.id}-${data.ref}`),
    );
  }

  @SubscribeMessage('transfer')
  transfer(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    return this.act(socket, WsTransferDto, body, (user, data) =>
      this.interactions.transfer(
        user,
        data.interactionId,
        {
          ...(data.workgroupId ? { workgroupId: data.workgroupId } : {}),
          ...(data.agentId ? { agentId: data.agentId } : {}),
        },
        data.ref && `ws-${user.id}-${data.ref}`,
      ),
    );
  }
}
