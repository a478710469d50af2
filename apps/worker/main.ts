import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { TASK_QUEUE } from '@switchboard/contracts';
import { loadConfig, resolveEndpoints } from '@switchboard/config';
import { Dispatcher } from '@switchboard/interactions';
import { createLogger } from '@switchboard/observability';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { XPoller } from '@switchboard/ingest';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '@switchboard/runtime';
import { WorkerMaintenance } from './maintenance';
import { startMetricsServer } from './metrics-server';
import { ACTIVITIES, WorkerModule } from './worker.module';

function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = join(__dirname, '..', '..', 'workflow-bundle.js');
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../../workflows') };
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
  const metrics = startMetricsServer(config.workerMetricsPort, logger);
  const stopMaintenance = new WorkerMaintenance(
    app.get(Dispatcher),
    app.get<DataSource>(DATA_SOURCE),
    app.get<Client>(TEMPORAL_CLIENT),
    app.get(XPoller),
    logger,
  ).start();
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
    metrics?.close();
    await connection.close();
    await app.close();
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
