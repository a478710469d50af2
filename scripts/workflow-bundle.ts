import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@switchboard/config';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const REPO_ROOT = repoRoot();

/**
 * `@switchboard/<lib>` resolves to `libs/<lib>` for the workflow bundler too, so workflows import the shared contracts
 * exactly as the rest of the code does.
 */
export function switchboardAliases(root = REPO_ROOT): Record<string, string> {
  const libs = readdirSync(join(root, 'libs'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return Object.fromEntries(libs.map((entry) => [`@switchboard/${entry.name}`, join(root, 'libs', entry.name)]));
}

/** Bundles `workflows/` from its TypeScript source. */
export async function bundleWorkflows(options: Partial<BundleOptions> = {}): Promise<WorkflowBundleWithSourceMap> {
  const aliases = switchboardAliases();
  return bundleWorkflowCode({
    workflowsPath: join(REPO_ROOT, 'workflows', 'index.ts'),
    webpackConfigHook: (config) => {
      config.resolve = { ...config.resolve, alias: { ...(config.resolve?.alias as object), ...aliases } };
      return config;
    },
    ...options,
  });
}
