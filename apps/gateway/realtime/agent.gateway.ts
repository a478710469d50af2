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
import type { WebSocket } from 'ws';
import type { Logger } from '@switchboard/observability';
import { StatusDto } from '../agents/agents.controller';
import { AgentsService } from '../agents/agents.service';
import { AuthService } from '../auth/auth.service';
import type { Principal } from '../auth/principal';
import { LOGGER } from '../core/tokens';
import { ReplyDto, TransferDto, WrapUpDto } from '../interactions/interactions.controller';
import { InteractionsService } from '../interactions/interactions.service';
import { SocketRegistry } from './socket-registry';

type Frame = { event: 'ack' | 'error'; data: Record<string, unknown> };
type AuthedSocket = WebSocket & { principal?: Promise<Principal | null>; alive?: boolean };

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
 * The agent desktop's socket (`/ws?token=`). Client events mirror the REST actions and are answered by `ack` or
 * `error` echoing the client's `ref`; server events come from the bus.
 */
@WebSocketGateway({ path: '/ws' })
export class AgentGateway implements OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly auth: AuthService,
    private readonly sockets: SocketRegistry,
    private readonly agents: AgentsService,
    private readonly interactions: InteractionsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // A socket that stops answering pings is dropped, so offers are not pushed into the void.
    this.heartbeat = setInterval(() => {
      for (const socket of this.sockets.all() as AuthedSocket[]) {
        if (socket.alive === false) {
          socket.terminate();
          continue;
        }
        socket.alive = false;
        socket.ping();
      }
    }, HEARTBEAT_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const socket of this.sockets.all()) socket.close(1001, 'server shutting down');
  }

  handleConnection(socket: AuthedSocket, request: IncomingMessage): void {
    const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
    socket.alive = true;
    socket.on('pong', () => (socket.alive = true));
    socket.principal = this.auth.verify(token).then((principal) => {
      if (!principal) {
        socket.send(JSON.stringify({ event: 'error', data: { error: 'invalid or missing token', status: 401 } }));
        socket.close(4401, 'unauthorized');
        return null;
      }
      this.sockets.add(principal, socket);
      void this.agents
        .get(principal.id)
        .then((agent) => socket.send(JSON.stringify({ event: 'agent.updated', data: agent })))
        .catch(() => undefined);
      return principal;
    });
  }

  handleDisconnect(socket: AuthedSocket): void {
    void socket.principal?.then((principal) => principal && this.sockets.remove(principal, socket));
  }

  /** Validates the frame, runs the action as the socket's user and wraps the outcome as `ack` / `error`. */
  private async act<T extends RefDto>(
    socket: AuthedSocket,
    type: new () => T,
    raw: unknown,
    action: (user: Principal, data: T) => Promise<unknown>,
  ): Promise<Frame> {
    const ref = typeof (raw as RefDto | null)?.ref === 'string' ? (raw as RefDto).ref : undefined;
    const principal = await socket.principal;
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
      this.logger.error({ err: error }, 'websocket action failed');
      return { event: 'error', data: { ref, status: 500, error: 'internal error' } };
    }
  }

  @SubscribeMessage('status')
  status(@ConnectedSocket() socket: AuthedSocket, @MessageBody() body: unknown) {
    return this.act(socket, WsStatusDto, body, (user, data) => this.agents.setStatus(user, data.status));
  }

  @SubscribeMessage('accept')
  accept(@ConnectedSocket() socket: AuthedSocket, @MessageBody() body: unknown) {
    return this.act(socket, InteractionActionDto, body, (user, data) =>
      this.interactions.accept(user, data.interactionId, data.ref && `ws-${user.id}-${data.ref}`),
    );
  }

  @SubscribeMessage('reply')
  reply(@ConnectedSocket() socket: AuthedSocket, @MessageBody() body: unknown) {
    return this.act(socket, WsReplyDto, body, (user, data) =>
      this.interactions.reply(user, data.interactionId, data.text, data.visibility),
    );
  }

  @SubscribeMessage('disconnect')
  disconnect(@ConnectedSocket() socket: AuthedSocket, @MessageBody() body: unknown) {
    return this.act(socket, InteractionActionDto, body, (user, data) =>
      this.interactions.disconnect(user, data.interactionId, data.ref && `ws-${user.id}-${data.ref}`),
    );
  }

  @SubscribeMessage('wrapup')
  wrapUp(@ConnectedSocket() socket: AuthedSocket, @MessageBody() body: unknown) {
    return this.act(socket, WsWrapUpDto, body, (user, data) =>
      this.interactions.wrapUp(user, data.interactionId, data.code, data.ref && `ws-${user.id}-${data.ref}`),
    );
  }

  @SubscribeMessage('transfer')
  transfer(@ConnectedSocket() socket: AuthedSocket, @MessageBody() body: unknown) {
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
