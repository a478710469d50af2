import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createControlRouter } from './control-api';
import { renderDashboard } from './dashboard';
import { defaultConfig } from './defaults';
import { createGraphRouter } from './graph-api';
import { Injector } from './injector';
import { applyConfigPatch, parseConfigPatch } from './inputs';
import { SimulatorOperations } from './operations';
import { SimulatorState } from './state';
import type { SimulatorConfigPatch } from './types';
import { WebhookSender } from './webhook-sender';
import { createXRouter } from './x-api';

export { SIMULATOR_DEFAULTS } from './defaults';
export { SimulatorOperations } from './operations';
export type { WebhookModeStatus, WebhookQueueStatus } from './operations';
export { SimulatorInputError } from './validation';
export type * from './inputs';
export type * from './types';

export interface SimulatorOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base URL of the gateway that receives webhooks (`/webhooks/facebook`, `/webhooks/twitter`). */
  gatewayUrl: string;
  log?: (line: string) => void;
  /** Start-up configuration on top of the demo defaults; `reset()` returns to it. */
  config?: Omit<SimulatorConfigPatch, 'gatewayUrl'>;
}

export interface Simulator extends SimulatorOperations {
  /** e.g. `http://127.0.0.1:4010`; use it as FACEBOOK_GRAPH_URL and TWITTER_API_URL. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, sends held deliveries, cancels webhook retries and waits for in-flight deliveries. */
  close(): Promise<void>;
}

class RunningSimulator extends SimulatorOperations implements Simulator {
  constructor(
    readonly url: string,
    readonly port: number,
    private readonly server: http.Server,
    state: SimulatorState,
    sender: WebhookSender,
    injector: Injector,
  ) {
    super(state, sender, injector);
  }

  async close(): Promise<void> {
    this.sender.shutdown();
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    // Keep-alive sockets of API clients would otherwise hold close() open.
    this.server.closeIdleConnections();
    await this.sender.idle();
    this.server.closeAllConnections();
    await closed;
  }
}

/** Starts the Graph API + X API simulator with its control API under /_sim. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const initial = applyConfigPatch(defaultConfig(options.gatewayUrl), parseConfigPatch(options.config ?? {}));
  const state = new SimulatorState(initial);
  const sender = new WebhookSender(state, log);
  const injector = new Injector(state, sender);
  const operations = new SimulatorOperations(state, sender, injector);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    res.on('finish', () => {
      if (!req.originalUrl.startsWith('/_sim/avatars')) log(`${req.method} ${req.originalUrl} → ${res.statusCode}`);
    });
    next();
  });
  // Browsers get the live dashboard; tools keep getting the JSON description.
  app.get('/', (req, res) => {
    if (req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(renderDashboard(operations, state.publicUrl));
      return;
    }
    res.json({
      name: 'switchboard-simulator',
      graphApi: `${state.publicUrl}/v25.0/...`,
      xApi: `${state.publicUrl}/2/...`,
      control: `${state.publicUrl}/_sim`,
    });
  });
  app.use('/_sim', createControlRouter(operations, state));
  app.use('/2', createXRouter(state, injector));
  app.use(createGraphRouter(state, injector));

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.publicUrl = url;
  return new RunningSimulator(url, port, server, state, sender, injector);
}
