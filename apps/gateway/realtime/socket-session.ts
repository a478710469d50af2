import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Session } from '../auth/auth.service';

/** The session an upgrade request was admitted with, handed from the upgrade to the new socket. */
const admitted = new WeakMap<IncomingMessage, Session>();
/** The live session of each socket; absent once it ended (the socket is closing and takes no more frames). */
const sessions = new WeakMap<WebSocket, Session>();

export function admitRequest(request: IncomingMessage, session: Session): void {
  admitted.set(request, session);
}

export function admittedSession(request: IncomingMessage): Session | null {
  return admitted.get(request) ?? null;
}

export function setSocketSession(socket: WebSocket, session: Session): void {
  sessions.set(socket, session);
}

export function socketSession(socket: WebSocket): Session | null {
  return sessions.get(socket) ?? null;
}

export function endSocketSession(socket: WebSocket): void {
  sessions.delete(socket);
}

/** Whether a frame from this socket may be parsed and acted on. */
export function acceptsFrames(socket: WebSocket): boolean {
  return socket.readyState === socket.OPEN && sessions.has(socket);
}
