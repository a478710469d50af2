import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../scripts/workflow-bundle';

/**
 * Replays recorded interaction histories against today's workflow code: a change that would break interactions already
 * running (a non-deterministic change without `patched()`) fails here, with no server needed.
 */
describe('workflow replay (interactions and X pollers)', () => {
  const dir = join(__dirname, '..', 'histories');
  const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

  it('has a corpus to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  let workflowBundle: { code: string };
  beforeAll(async () => {
    workflowBundle = await bundleWorkflows({ logger: new DefaultLogger('WARN') });
  });

  it.each(files)('replays %s', async (file) => {
    // The worker converts the JSON (as `temporal workflow show --output json` writes it) itself.
    const history: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle, replayName: file }, history);
  });
});
