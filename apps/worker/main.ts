import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { TASK_QUEUE } from '@switchboard/contracts';
import { loadConfig, resolveEndpoints } from '@switchboard/config';
import { Dispatcher } from '@switchboard/interactions';
import { createLogger } from '@switchboard/observability';
import { ACTIVITIES, WorkerModule } from './worker.module';

/** How often the worker re-runs dispatch and re-signals stale offers: a safety net, not the normal path. */
const MAINTENANCE_INTERVAL_MS = 5_000;

function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = join(__dirname, '..', '..', 'workflow-bundle.js');
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../../workflows') };
}

function startMaintenance(dispatcher: Dispatcher, warn: (error: unknown) => void): () => void {
  const timer = setInterval(() => {
    dispatcher
      .resignalStaleOffers()
      .then(() => dispatcher.dispatch(null))
      .catch(warn);
  }, MAINTENANCE_INTERVAL_MS);
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const endpoints = resolveEndpoints(config);
  const logger = createLogger('worker', config.logLevel);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, endpoints, logger), {
    logger: ['error', 'warn'],
  });
  const connection = await NativeConnection.connect({ address: endpoints.temporalAddress });
  const stopMaintenance = startMaintenance(app.get(Dispatcher), (error) =>
    logger.warn({ err: error }, 'maintenance pass failed'),
  );
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: TASK_QUEUE,
      activities: app.get(ACTIVITIES),
      ...workflowSource(),
    });
    logger.info({ taskQueue: TASK_QUEUE, temporal: endpoints.temporalAddress }, 'worker running');
    // Runtime's default shutdown signals (SIGINT, SIGTERM) make run() resolve after in-flight tasks finish.
    await worker.run();
  } finally {
    stopMaintenance();
    await connection.close();
    await app.close();
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
