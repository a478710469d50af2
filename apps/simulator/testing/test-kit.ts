import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import type { ITwitterApiClientPlugin } from 'twitter-api-v2';
import { SIMULATOR_DEFAULTS } from '../defaults';
import { startSimulator, type Simulator } from '../simulator';
import type { SimulatorConfigPatch } from '../types';

/*
 * Helpers shared by the simulator's in-process specs: a stand-in gateway that records webhooks, an X client wired to
 * the simulator, signature checks and small JSON accessors.
 */

export const FB = SIMULATOR_DEFAULTS.facebook;
export const X = SIMULATOR_DEFAULTS.twitter;
export const GRAPH = '/v25.0';

export interface Captured {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** When the request arrived and when its response was sent (ms since epoch), to see overlapping deliveries. */
  startedAt: number;
  answeredAt: number;
}

/** A stand-in for our gateway: records webhooks, answers the handshakes, and can fail or dawdle on demand. */
export class FakeGateway {
  readonly captured: Captured[] = [];
  failPosts = 0;
  /** Delay before answering each webhook POST. */
  respondAfterMs = 0;
  url = '';
  private readonly server = http.createServer((req, res) => {
    const startedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://gateway');
      if (req.method === 'GET' && url.pathname === '/webhooks/facebook') {
        const ok =
          url.searchParams.get('hub.mode') === 'subscribe' &&
          url.searchParams.get('hub.verify_token') === FB.verifyToken;
        res
          .writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' })
          .end(ok ? url.searchParams.get('hub.challenge') : '');
        return;
      }
      if (req.method === 'GET' && url.pathname === '/webhooks/twitter') {
        const token = createHmac('sha256', X.consumerSecret)
          .update(url.searchParams.get('crc_token') ?? '')
          .digest('base64');
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ response_token: `sha256=${token}` }));
        return;
      }
      const captured: Captured = {
        method: req.method ?? '',
        path: url.pathname,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        startedAt,
        answeredAt: 0,
      };
      this.captured.push(captured);
      const answer = () => {
        captured.answeredAt = Date.now();
        if (this.failPosts > 0) {
          this.failPosts -= 1;
          res.writeHead(500).end('boom');
          return;
        }
        res.writeHead(200).end('EVENT_RECEIVED');
      };
      if (this.respondAfterMs > 0) setTimeout(answer, this.respondAfterMs);
      else answer();
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  on(path: string): Captured[] {
    return this.captured.filter((c) => c.path === path);
  }

  /** The parsed bodies of the webhooks received on a path. */
  json(path: string): unknown[] {
    return this.on(path).map((c) => JSON.parse(c.body) as unknown);
  }

  reset(): void {
    this.captured.length = 0;
    this.failPosts = 0;
    this.respondAfterMs = 0;
  }
}

/** The recipe of platform-apis.md §2.10: rewrite api.x.com to the simulator and use a plain-HTTP agent. */
export function xClient(sim: Simulator, secrets: { appSecret?: string } = {}): TwitterApi {
  const rewrite: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      params.url = params.url.replace(/^https:\/\/(api|upload)\.x\.com/, sim.url);
    },
    onBeforeStreamRequestConfig({ params }) {
      params.url = params.url.replace(/^https:\/\/(api|upload)\.x\.com/, sim.url);
    },
  };
  return new TwitterApi(
    {
      appKey: X.consumerKey,
      appSecret: secrets.appSecret ?? X.consumerSecret,
      accessToken: X.accessToken,
      accessSecret: X.accessTokenSecret,
    },
    { plugins: [rewrite], httpAgent: new http.Agent() },
  );
}

export async function xError(promise: Promise<unknown>): Promise<ApiResponseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiResponseError) return error;
    throw error;
  }
  throw new Error('expected the X call to fail');
}

export function metaSignatureValid(captured: Captured, appSecret: string = FB.appSecret): boolean {
  const sha256 = `sha256=${createHmac('sha256', appSecret).update(captured.body).digest('hex')}`;
  const sha1 = `sha1=${createHmac('sha1', appSecret).update(captured.body).digest('hex')}`;
  return captured.headers['x-hub-signature-256'] === sha256 && captured.headers['x-hub-signature'] === sha1;
}

export function xSignatureValid(captured: Captured): boolean {
  const expected = `sha256=${createHmac('sha256', X.consumerSecret).update(captured.body).digest('base64')}`;
  return captured.headers['x-twitter-webhooks-signature'] === expected;
}

export async function graph(
  sim: Simulator,
  path: string,
  body?: unknown,
  options: { method?: string; token?: string } = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const token = options.token ?? FB.pageAccessToken;
  const response = await fetch(`${sim.url}${GRAPH}${path}${path.includes('?') ? '&' : '?'}access_token=${token}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json();
  return { status: response.status, json, headers: response.headers };
}

export async function control(sim: Simulator, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as unknown };
}

/** Walks into parsed JSON; undefined when the path does not exist. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

export function str(value: unknown, ...path: Array<string | number>): string {
  const found = at(value, ...path);
  if (typeof found !== 'string') throw new Error(`expected a string at ${path.join('.')}`);
  return found;
}

export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A simulator sending to a fresh fake gateway for one `describe`: started before its tests, drained and reset after
 * each, closed at the end. `use` receives the simulator once it is running.
 */
export function simulatorAgainst(
  gateway: FakeGateway,
  config: SimulatorConfigPatch,
  use: (sim: Simulator) => void,
): void {
  let sim: Simulator | null = null;
  beforeAll(async () => {
    await gateway.start();
    sim = await startSimulator({ port: 0, gatewayUrl: gateway.url, config });
    use(sim);
  });
  afterEach(async () => {
    await sim?.idle();
    sim?.reset();
    gateway.reset();
  });
  afterAll(async () => {
    await sim?.close();
    await gateway.close();
  });
}
