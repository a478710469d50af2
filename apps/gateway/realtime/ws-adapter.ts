import type { IncomingMessage } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets/gateway-metadata-explorer';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { EMPTY, from, mergeMap, type Observable } from 'rxjs';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '@switchboard/observability';
import { acceptsFrames } from './socket-session';

/** CONTRACT §4: a larger frame closes the socket with 1009 (`ws` does it, before buffering more than this). */
export const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Frames one socket may send: far above what a person at a desktop (or a script driving one, as `npm run bench`
 * does at about 30 a second) sends, far below what stalls a gateway.
 */
const FRAMES_PER_WINDOW = 1_000;
const FRAME_WINDOW_SECONDS = 10;

/** Decides on an upgrade before any socket exists: admitted, or refused with an HTTP status. */
export type Admission = (request: IncomingMessage) => Promise<{ ok: true } | { ok: false; status: number }>;

type VerifyDone = (ok: boolean, code?: number, message?: string) => void;

/**
 * The `ws` adapter with the gateway's limits: the token is checked during the HTTP upgrade (a refused client never
 * gets a socket, so never sends a frame), frames are bounded in size and in rate, and a frame from a socket whose
 * session ended (revoked, expired, closing) is dropped before it is even parsed.
 */
export class GatewayWsAdapter extends WsAdapter {
  private readonly frames = new RateLimiterMemory({
    keyPrefix: 'ws-frames',
    points: FRAMES_PER_WINDOW,
    duration: FRAME_WINDOW_SECONDS,
  });
  private readonly socketIds = new WeakMap<WebSocket, string>();
  private nextSocketId = 0;

  constructor(
    app: INestApplicationContext,
    private readonly admit: Admission,
    private readonly log: Logger,
  ) {
    super(app);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}): WebSocketServer {
    return super.create(port, {
      ...options,
      maxPayload: MAX_FRAME_BYTES,
      verifyClient: (info: { req: IncomingMessage }, done: VerifyDone) => {
        this.admit(info.req).then(
          (verdict) => (verdict.ok ? done(true) : done(false, verdict.status)),
          (error: unknown) => {
            this.log.warn({ err: error }, 'websocket admission failed');
            done(false, 503);
          },
        );
      },
    }) as WebSocketServer;
  }

  override bindMessageHandler(
    event: { target?: WebSocket; data: unknown },
    handlers: Map<string, MessageMappingProperties>,
    transform: (data: unknown) => Observable<unknown>,
  ): Observable<unknown> {
    const socket = event.target;
    if (!socket || !acceptsFrames(socket)) return EMPTY;
    const allowed = this.frames.consume(this.idOf(socket)).then(
      () => true,
      () => false,
    );
    return from(allowed).pipe(
      mergeMap((ok) => {
        if (ok) return super.bindMessageHandler(event, handlers, transform) as Observable<unknown>;
        socket.send(JSON.stringify({ event: 'error', data: { status: 429, error: 'too many frames; slow down' } }));
        return EMPTY;
      }),
    );
  }

  /** A client's protocol error (an oversize frame, a bad opcode) closes its socket; it is not the gateway's error. */
  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (socket: WebSocket) =>
      socket.on('error', (error) => this.log.debug({ err: error }, 'websocket closed on a protocol error')),
    );
    server.on('error', (error) => this.log.error({ err: error }, 'websocket server error'));
    return server;
  }

  private idOf(socket: WebSocket): string {
    let id = this.socketIds.get(socket);
    if (!id) {
      id = String(++this.nextSocketId);
      this.socketIds.set(socket, id);
    }
    return id;
  }
}
