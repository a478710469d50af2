import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@switchboard/config';
import { freePort, stopChild } from '@switchboard/embedded';
import { startSimulator, type Simulator } from '../../apps/simulator/simulator';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface Stack {
  baseUrl: string;
  sim: Simulator;
  dataDir: string;
  databaseUrl: string;
  temporalAddress: string;
  temporalUiPort: number;
  /** The worker's Prometheus endpoint: `http://127.0.0.1:<port>/metrics`. */
  workerMetricsPort: number;
  /** Everything the launcher printed, for diagnosing a failed test. */
  output(): string;
  /** The current process id of the gateway or the worker, as the launcher reported it. */
  pidOf(app: 'gateway' | 'worker'): number;
  stop(): Promise<void>;
}

const ROOT = repoRoot();

/**
 * The real system, started the way a user starts it (`npm start`'s launcher: embedded PostgreSQL, the Temporal dev
 * server, gateway, worker), on free ports in a fresh DATA_DIR, with the platform simulator in front of it.
 *
 * A port found free can be taken by another test file's processes before ours bind it (Temporal's dev server binds a
 * few more of its own): such a start is tried again on other ports.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackOnce(env);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('address already in use')) throw error;
    }
  }
}

async function startStackOnce(env: Record<string, string>): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const [port, temporalPort, temporalUiPort, pgPort, workerMetricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const baseUrl = `http://127.0.0.1:${port}`;
  const sim = await startSimulator({ gatewayUrl: baseUrl, config: { retryScheduleMs: [200, 1000, 3000] } });
  let output = '';
  const launcher: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'launcher', 'main.js')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(temporalUiPort),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      WORKER_METRICS_PORT: String(workerMetricsPort),
      FACEBOOK_GRAPH_URL: sim.url,
      TWITTER_API_URL: sim.url,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  launcher.once('exit', () => (exited = true));

  const stop = async () => {
    await stopChild(launcher, 30_000);
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`the launcher exited before the gateway was healthy:\n${output}`);
        return (await fetch(`${baseUrl}/health`).catch(() => null))?.ok === true;
      },
      120_000,
      () => output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const endpoints = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as {
    databaseUrl: string;
    temporalAddress: string;
  };
  const pidOf = (app: 'gateway' | 'worker') => {
    const last = [...output.matchAll(new RegExp(`${app} started \\(pid (\\d+)\\)`, 'g'))].at(-1)?.[1];
    if (!last) throw new Error(`no pid reported for ${app}`);
    return Number(last);
  };
  return { baseUrl, sim, dataDir, ...endpoints, temporalUiPort, workerMetricsPort, output: () => output, pidOf, stop };
}

/** Polls until `check` is true; fails with the last diagnostic after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  diagnostic: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms\n${diagnostic().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
