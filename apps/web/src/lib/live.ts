import { api } from './api';
import { reconnectDelay } from './backoff';

export interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** `replaced`: a newer page of the same user took over (close 1008); `closed`: stopped, or signed out. */
export type LiveState = 'connecting' | 'open' | 'reconnecting' | 'replaced' | 'closed';

type Handler = (data: Record<string, unknown>) => void;

/** Close codes the gateway uses (see its README): a session that ended, and a newer tab taking over. */
const SESSION_ENDED = 4401;
const REPLACED = 1008;

/**
 * The one WebSocket of the page (`/ws?token=`): frames dispatched by event, actions sent with a `ref` and answered by
 * `ack` / `error`, and reconnection with backoff when the gateway goes away (a restart loses nothing: the server
 * sends back the pending offers and current interactions, and pages refetch on `open`).
 */
export class Live {
  private socket: WebSocket | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private readonly pending = new Map<string, { resolve: (data: unknown) => void; reject: (error: Error) => void }>();
  private attempts = 0;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  state: LiveState = 'closed';

  /** Connects, unless already connected or connecting (a second call changes nothing). */
  start(): void {
    if (!this.stopped && (this.socket || this.timer)) return;
    this.stopped = false;
    this.attempts = 0;
    this.open();
  }

  /** After another page took over: take the connection back here. */
  resume(): void {
    this.stop();
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.detach(1000, 'signed out');
    this.attempts = 0;
    this.setState('closed');
  }

  on(event: string, handler: Handler): () => void {
    const set = this.handlers.get(event) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(event, set);
    return () => set.delete(handler);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends an action; resolves with the `ack`'s result, rejects with the `error`'s message. */
  call<T = unknown>(event: string, data: Record<string, unknown>): Promise<T> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected'));
    const ref = `r${(this.seq += 1)}`;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(ref, { resolve: resolve as (data: unknown) => void, reject });
      socket.send(JSON.stringify({ event, data: { ...data, ref } }));
    });
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Forgets the current socket (closing it) and fails what waited on it. */
  private detach(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      const live = socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING;
      if (live) socket.close(code, reason);
    }
    this.failPending();
  }

  private failPending(): void {
    for (const [, waiter] of this.pending) waiter.reject(new Error('the connection closed'));
    this.pending.clear();
  }

  private open(): void {
    this.clearTimer();
    const token = api.bearer;
    if (!token || this.stopped) return;
    this.detach(1000, 'reconnecting');
    this.setState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.attempts = 0;
      this.setState('open');
    };
    socket.onmessage = (message: MessageEvent<string>) => this.receive(message.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending();
      if (event.code === SESSION_ENDED) {
        this.stopped = true;
        this.setState('closed');
        api.signOut();
        return;
      }
      if (this.stopped) {
        this.setState('closed');
        return;
      }
      if (event.code === REPLACED) {
        this.stopped = true;
        this.setState('replaced');
        return;
      }
      this.setState('reconnecting');
      const delay = reconnectDelay(this.attempts);
      this.attempts += 1;
      // Refused before it opened: a browser shows an upgrade's 401 (token expired or revoked while we were away) only
      // as 1006, so ask the API whether the session still stands; its 401 signs out, as any other would.
      if (!opened) void api.get('/api/auth/me').catch(() => undefined);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  private receive(text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    const ref = typeof frame.data.ref === 'string' ? frame.data.ref : null;
    if (ref && (frame.event === 'ack' || frame.event === 'error')) {
      const waiter = this.pending.get(ref);
      this.pending.delete(ref);
      if (frame.event === 'ack') waiter?.resolve(frame.data.result);
      else waiter?.reject(new Error(typeof frame.data.error === 'string' ? frame.data.error : 'failed'));
      return;
    }
    for (const handler of this.handlers.get(frame.event) ?? []) handler(frame.data);
  }

  private setState(state: LiveState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

export const live = new Live();
