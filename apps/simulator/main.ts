import { cheatSheet } from './dashboard';
import { SIMULATOR_DEFAULTS, startSimulator } from './simulator';

async function main(): Promise<void> {
  const port = Number(process.env.SIMULATOR_PORT ?? 4010);
  const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid SIMULATOR_PORT: ${port}`);
  const simulator = await startSimulator({
    port,
    gatewayUrl,
    log: (line) => console.log(`[simulator] ${line}`),
  });
  const fb = SIMULATOR_DEFAULTS.facebook;
  const x = SIMULATOR_DEFAULTS.twitter;
  console.log(
    [
      `Platform simulator listening on ${simulator.url} (webhooks go to ${gatewayUrl})`,
      `  Point Switchboard at it: FACEBOOK_GRAPH_URL=${simulator.url} TWITTER_API_URL=${simulator.url}`,
      `  Facebook page "${fb.name}": pageId=${fb.pageId} pageAccessToken=${fb.pageAccessToken}`,
      `    appSecret=${fb.appSecret} verifyToken=${fb.verifyToken} (app ${fb.appId})`,
      `  X account @${x.handle}: userId=${x.userId} consumerKey=${x.consumerKey} consumerSecret=${x.consumerSecret}`,
      `    accessToken=${x.accessToken} accessTokenSecret=${x.accessTokenSecret}`,
      `  Dashboard (recent webhooks and what Switchboard sent): open ${simulator.url}/ in a browser`,
      `  Control API: ${simulator.url}/_sim — cheat sheet:`,
      ...cheatSheet(simulator.url).map((line) => `    ${line}`),
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[simulator] ${signal} received, stopping`);
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[simulator] failed to stop cleanly', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('[simulator] failed to start', error);
  process.exit(1);
});
