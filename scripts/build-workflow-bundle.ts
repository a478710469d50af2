import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { bundleWorkflows, REPO_ROOT } from './workflow-bundle';

/** Built once at `npm run build`: workers load it instead of running webpack at start-up. */
async function main(): Promise<void> {
  const started = Date.now();
  const { code } = await bundleWorkflows({ logger: new DefaultLogger('WARN') });
  const out = join(REPO_ROOT, 'dist', 'workflow-bundle.js');
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB, ${Date.now() - started} ms)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
