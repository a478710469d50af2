import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | null = null;

/**
 * The project's root directory, found from this file's location whether the code runs from source (Jest, the
 * bundler) or from `dist/`: the nearest ancestor whose package.json is ours.
 */
export function repoRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'switchboard'
    ) {
      cached = dir;
      return dir;
    }
  }
  throw new Error(`no switchboard package.json above ${__dirname}`);
}
