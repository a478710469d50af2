import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '@switchboard/contracts';

export interface EmbeddedTemporalOptions {
  cli: string;
  dataDir: string;
  port: number;
  uiPort: number | null;
  namespace: string;
  /** Throwaway data (tests): `synchronous=off`; otherwise WAL + normal, which survives a process crash. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedTemporal {
  address: string;
  /** Process id of the dev server, for the launcher to lower its CPU priority. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * `temporal server start-dev` on SQLite under DATA_DIR, with the pragmas and poll rates that bring a Temporal hop from
 * ~50 ms to ~15-20 ms on this kind of machine (shared/reference/temporal.md §3.1), and our search attributes registered.
 */
export async function startEmbeddedTemporal(options: EmbeddedTemporalOptions): Promise<EmbeddedTemporal> {
  mkdirSync(options.dataDir, { recursive: true });
  const address = `127.0.0.1:${options.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--db-filename',
    join(options.dataDir, 'temporal.db'),
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    `synchronous=${options.ephemeral ? 'off' : 'normal'}`,
    '--dynamic-config-value',
    'history.transferProcessorMaxPollRPS=1000',
    '--dynamic-config-value',
    'history.timerProcessorMaxPollRPS=1000',
    '--dynamic-config-value',
    'system.forceSearchAttributesCacheRefreshOnRead=false',
    '--log-level',
    'error',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...SEARCH_ATTRIBUTE_NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
  ];
  const child = spawn(options.cli, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GOGC: '400' },
  });
  const log = options.log ?? (() => undefined);
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });

  await waitForFrontend(address, options.namespace, () => exited);
  return { address, pid: child.pid, stop: () => stopChild(child) };
}

async function waitForFrontend(address: string, namespace: string, exitCode: () => number | null): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const code = exitCode();
    if (code !== null) throw new Error(`temporal server start-dev exited with code ${code}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} did not answer within 60 s: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
