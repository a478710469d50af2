import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { loadConfig, writeEndpoints, type AppConfig, type Endpoints } from '@switchboard/config';
import {
  ensureTemporalCli,
  freePort,
  startEmbeddedPostgres,
  startEmbeddedTemporal,
  stopChild,
  type EmbeddedDatabase,
  type EmbeddedTemporal,
} from '@switchboard/embedded';

/** `npm start`: embedded PostgreSQL and Temporal when their variables are unset, then a gateway and a worker. */
const APPS = ['gateway', 'worker'] as const;
type AppName = (typeof APPS)[number];

const say = (line: string) => console.log(`[switchboard] ${line}`);

/** Nice value of the embedded Temporal server under `npm start` (see background()). */
const BACKGROUND_NICE = 10;

/**
 * On one machine running everything, the latency-critical path (a platform waiting for its webhook's 200, agents'
 * clicks) is the gateway and PostgreSQL; the Temporal server does work that may lag by a moment under a storm, so it
 * runs at a lower CPU priority. (Not the worker: it holds PostgreSQL locks while it dispatches, and a starved lock
 * holder would stall everyone waiting on it.)
 */
function background(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, BACKGROUND_NICE);
  } catch {
    // not permitted here: equal priority then
  }
}

class Launcher {
  private database: EmbeddedDatabase | null = null;
  private temporal: EmbeddedTemporal | null = null;
  private readonly children = new Map<AppName, ChildProcess>();
  private stopping = false;
  private readonly restarts: number[] = [];

  constructor(private readonly config: AppConfig) {}

  async start(): Promise<void> {
    const started = Date.now();
    const endpoints = await this.startServices();
    writeEndpoints(this.config.dataDir, endpoints);
    say(`DATABASE_URL=${endpoints.databaseUrl}`);
    say(`TEMPORAL_ADDRESS=${endpoints.temporalAddress}`);
    say(`endpoints written to ${join(this.config.dataDir, 'endpoints.json')}`);
    for (const app of APPS) this.spawnApp(app, endpoints);
    await this.waitHealthy();
    say(
      `ready in ${((Date.now() - started) / 1000).toFixed(1)} s: open http://localhost:${this.config.port} ` +
        `(API /api, docs /api/docs, agents /ws${this.temporal ? `; Temporal UI http://localhost:${this.config.temporal.uiPort}` : ''})`,
    );
  }

  private async startServices(): Promise<Endpoints> {
    let databaseUrl = this.config.databaseUrl;
    if (!databaseUrl) {
      const port = await freePort(this.config.embeddedPostgresPort);
      say(`starting embedded PostgreSQL on port ${port} (data in ${join(this.config.dataDir, 'pg')})`);
      this.database = await startEmbeddedPostgres({ dataDir: this.config.dataDir, port });
      databaseUrl = this.database.url;
    }
    let temporalAddress = this.config.temporal.address;
    if (!temporalAddress) {
      const cli = ensureTemporalCli(this.config.temporal.cli, say);
      say(`starting Temporal dev server on port ${this.config.temporal.port} (${cli})`);
      this.temporal = await startEmbeddedTemporal({
        cli,
        dataDir: this.config.dataDir,
        port: this.config.temporal.port,
        uiPort: this.config.temporal.uiPort,
        namespace: this.config.temporal.namespace,
        log: (line) => console.error(`[temporal] ${line}`),
      });
      temporalAddress = this.temporal.address;
      background(this.temporal.pid);
    }
    return { databaseUrl, temporalAddress };
  }

  private spawnApp(app: AppName, endpoints: Endpoints): void {
    const child = spawn(process.execPath, [join(__dirname, '..', app, 'main.js')], {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: endpoints.databaseUrl, TEMPORAL_ADDRESS: endpoints.temporalAddress },
    });
    this.children.set(app, child);
    say(`${app} started (pid ${child.pid})`);
    child.once('exit', (code, signal) => {
      this.children.delete(app);
      if (this.stopping) return;
      // A crash loses nothing (messages and interactions are durable); the process is simply started again.
      say(`${app} exited (${signal ?? code}); restarting`);
      const now = Date.now();
      this.restarts.push(now);
      while (this.restarts.length > 0 && (this.restarts[0] as number) < now - 60_000) this.restarts.shift();
      if (this.restarts.length > 5) {
        say('too many restarts in a minute; stopping');
        void this.stop(1);
        return;
      }
      setTimeout(() => !this.stopping && this.spawnApp(app, endpoints), 1000);
    });
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${this.config.port}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the gateway did not become healthy within 120 s');
  }

  /** Gateway and worker first (they finish in-flight work), then Temporal, then PostgreSQL. */
  async stop(code = 0): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    say('stopping');
    await Promise.all([...this.children.values()].map((child) => stopChild(child, 15_000)));
    await this.temporal?.stop().catch(() => undefined);
    await this.database?.stop().catch(() => undefined);
    say('stopped');
    process.exit(code);
  }
}

async function main(): Promise<void> {
  const launcher = new Launcher(loadConfig());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void launcher.stop(0));
  try {
    await launcher.start();
  } catch (error) {
    console.error(error);
    await launcher.stop(1);
  }
}

void main();
