import WebSocket from 'ws';

export interface Frame {
  event: string;
  data: Record<string, unknown> & { ref?: string };
}

/** An agent's WebSocket as the desktop uses it: send actions with a `ref`, await the `ack`, wait for server events. */
export class AgentSocket {
  readonly frames: Frame[] = [];
  private waiters: { match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  private seq = 0;
  /** Resolves when the socket closes, however early (a close before anyone asks is not missed). */
  private readonly closing: Promise<{ code: number }>;

  private constructor(private readonly socket: WebSocket) {
    this.closing = new Promise((resolve) => socket.once('close', (code: number) => resolve({ code })));
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
  }

  static async connect(baseUrl: string, token: string): Promise<AgentSocket> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new AgentSocket(socket);
  }

  /** The first frame (already received or still to come) that matches. */
  next(event: string, match: (data: Frame['data']) => boolean = () => true, timeoutMs = 30_000): Promise<Frame> {
    return this.waitFrame((frame) => frame.event === event && match(frame.data), `"${event}"`, timeoutMs);
  }

  private waitFrame(test: (frame: Frame) => boolean, what: string, timeoutMs: number): Promise<Frame> {
    const seen = this.frames.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`no ${what} frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.event).join(', ')}`));
      }, timeoutMs);
      const done = (frame: Frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.waiters.push({ match: test, resolve: done });
    });
  }

  /** Sends `{event, data}` with a fresh ref and resolves with the `ack` or `error` that echoes it. */
  async call(event: string, data: Record<string, unknown>, timeoutMs = 30_000): Promise<Frame> {
    const ref = `ref-${++this.seq}`;
    const answer = this.waitFrame(
      (frame) => (frame.event === 'ack' || frame.event === 'error') && frame.data.ref === ref,
      `answer to ${event}`,
      timeoutMs,
    );
    this.socket.send(JSON.stringify({ event, data: { ...data, ref } }));
    return answer;
  }

  closed(): Promise<{ code: number }> {
    return this.closing;
  }

  close(): void {
    this.socket.close();
  }
}
