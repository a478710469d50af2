import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { repoRoot } from '@switchboard/config';
import { launchBrowser, signIn } from '../test/support/browser';
import { startStack, waitFor } from '../test/support/stack';
import { configureBench } from './setup';
import { percentileSummary } from './stats';

/**
 * `npm run bench:web`: the agent desktop in Debian's Chromium against the real stack. Measures the JavaScript the desk
 * loads (gzipped) and, for each of `BENCH_SAMPLES` offers, the time from its `offer` frame reaching the desk to the
 * animation frame after its card was rendered. Baseline, same run, same frames: a bare page holding its own socket as
 * the same agent, which parses each frame and asks for the next animation frame, rendering nothing.
 */
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 30);

type Measured = { __switchboard?: { offerToScreenMs: number[] }; __bare?: number[] };

async function main(): Promise<void> {
  const stack = await startStack({ LOG_LEVEL: 'error' });
  const browser = await launchBrowser();
  try {
    const { agent } = await configureBench(stack);

    const desk = await (await browser.newContext({ viewport: { width: 1366, height: 820 } })).newPage();
    const scripts: string[] = [];
    desk.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path.startsWith('/assets/') && path.endsWith('.js')) scripts.push(path);
    });
    await signIn(desk, stack.baseUrl, 'bench-agent', 'bench-agent-password');
    const assets = join(repoRoot(), 'dist', 'web', 'assets');
    const deskJavaScriptGzipBytes = scripts.reduce((sum, path) => {
      const file = readdirSync(assets).find((name) => path.endsWith(name));
      return sum + (file ? gzipSync(readFileSync(join(assets, file))).length : 0);
    }, 0);

    // The baseline: a page with nothing but a socket.
    const bare = await (await browser.newContext()).newPage();
    await bare.goto(`${stack.baseUrl}/health`);
    const wsUrl = `${stack.baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(agent.bearer)}`;
    await bare.evaluate(
      (url) =>
        new Promise<void>((resolve, reject) => {
          const page = globalThis as unknown as Measured & {
            WebSocket: typeof WebSocket;
            requestAnimationFrame: (callback: () => void) => void;
          };
          page.__bare = [];
          const socket = new page.WebSocket(url);
          socket.onopen = () => resolve();
          socket.onerror = () => reject(new Error('bare socket failed'));
          socket.onmessage = (message: { data: string }) => {
            const frame = JSON.parse(message.data) as { event: string };
            if (frame.event !== 'offer') return;
            const receivedAt = performance.now();
            page.requestAnimationFrame(() => page.__bare!.push(performance.now() - receivedAt));
          };
        }),
      wsUrl,
    );

    await desk.getByLabel('My status').selectOption('available');
    await waitFor(async () => (await agent.get<{ status: string }>('/api/agents/me')).body.status === 'available');
    const counts = async (page: Page) =>
      page.evaluate(() => {
        const g = globalThis as unknown as Measured;
        return (g.__switchboard?.offerToScreenMs.length ?? 0) + (g.__bare?.length ?? 0);
      });
    for (let i = 0; i < SAMPLES; i++) {
      const result = await stack.sim.injectComment({ text: `bench ${i}` });
      await waitFor(async () => (await counts(desk)) === i + 1 && (await counts(bare)) === i + 1, 15_000);
      const offered = await agent.get<{ id: string; conversationKey: string }[]>('/api/interactions?mine=true');
      const interaction = offered.body.find((x) => x.conversationKey === result.ids.commentId);
      if (!interaction) throw new Error(`no interaction for ${result.ids.commentId}`);
      for (const step of ['accept', 'disconnect'] as const) {
        const answer = await agent.post(`/api/interactions/${interaction.id}/${step}`, {});
        if (answer.status >= 300) throw new Error(`${step}: ${answer.status}`);
      }
      await agent.post(`/api/interactions/${interaction.id}/wrapup`, { code: 'bench' });
    }
    const deskMs = await desk.evaluate(() => (globalThis as unknown as Measured).__switchboard!.offerToScreenMs);
    const bareMs = await bare.evaluate(() => (globalThis as unknown as Measured).__bare!);
    const desk50 = percentileSummary(deskMs);
    const bare50 = percentileSummary(bareMs);
    const report = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, browser: browser.version() },
      samples: SAMPLES,
      deskJavaScriptGzipBytes,
      deskScripts: scripts,
      offerFrameToScreenMs: desk50,
      bareSocketFrameToNextFrameMs: bare50,
      ratioP50: Number((desk50.p50 / Math.max(bare50.p50, 0.1)).toFixed(2)),
    };
    const dir = join(repoRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'web.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
