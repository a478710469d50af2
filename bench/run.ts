import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@switchboard/config';
import { performance } from 'node:perf_hooks';
import { AgentSocket } from '../test/support/agent-socket';
import { startStack } from '../test/support/stack';
import { configureBench } from './setup';
import { percentileSummary } from './stats';

/**
 * `npm run bench`: the real stack on this machine. Measures start-up to healthy, the webhook acknowledgement, and the
 * time from a webhook leaving the simulator to the `offer` frame on an available agent's socket.
 */
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 100);

const summary = percentileSummary;

async function main(): Promise<void> {
  const started = performance.now();
  const stack = await startStack({ LOG_LEVEL: 'error' });
  const startupMs = performance.now() - started;
  try {
    const { agent } = await configureBench(stack);
    const socket = await AgentSocket.connect(stack.baseUrl, agent.bearer);
    await socket.call('status', { status: 'available' });

    const ackMs: number[] = [];
    const offerMs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const sent = performance.now();
      const result = await stack.sim.injectComment({ text: `bench ${i}` });
      ackMs.push(performance.now() - sent);
      const commentId = result.ids.commentId;
      await socket.next('offer', (d) => (d.interaction as { conversationKey: string }).conversationKey === commentId);
      offerMs.push(performance.now() - sent);
      // Free the slot so every sample is offered at once: accept, disconnect, and let wrap-up time out later.
      const interactionId = socket.frames.find(
        (f) => f.event === 'offer' && (f.data.interaction as { conversationKey: string }).conversationKey === commentId,
      )?.data.interaction as { id: string };
      await socket.call('accept', { interactionId: interactionId.id });
      await socket.call('disconnect', { interactionId: interactionId.id });
      await socket.call('wrapup', { interactionId: interactionId.id, code: 'bench' });
    }
    socket.close();
    const report = {
      at: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      startupToHealthyMs: Math.round(startupMs),
      webhookAckMs: summary(ackMs),
      webhookToOfferMs: summary(offerMs),
    };
    const dir = join(repoRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
