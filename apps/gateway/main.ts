import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { loadConfig, resolveEndpoints, type AppConfig, type Endpoints } from '@switchboard/config';
import { createLogger, type Logger } from '@switchboard/observability';
import { AppModule } from './app.module';
import { webhookHttpSeconds } from './ops/metrics';
import { HttpExceptionFilter } from './core/http-exception.filter';
import { createValidationPipe } from './core/validation';
import { AgentGateway } from './realtime/agent.gateway';
import { GatewayWsAdapter } from './realtime/ws-adapter';
import { serveWebApp } from './web-app';

const API_BODY_LIMIT = '256kb';

export async function createGateway(
  config: AppConfig,
  endpoints: Endpoints,
  logger: Logger,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, endpoints, logger), {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  // The per-address limits (logins, webhook handshakes) need the client's address, which a proxy forwards.
  app.set('trust proxy', config.trustProxy);
  app.use('/webhooks', (request: Request, response: Response, next: NextFunction) => {
    const stop = webhookHttpSeconds.startTimer({ platform: request.path.replace(/^\//, '').split('/')[0] ?? '' });
    response.once('finish', () => stop());
    next();
  });
  // Webhooks need the raw bytes for their signatures; the API takes JSON.
  app.use('/webhooks', express.raw({ type: () => true, limit: config.webhookBodyLimitBytes }));
  app.use('/api', express.json({ limit: API_BODY_LIMIT }));
  if (!serveWebApp(app)) logger.warn('the web app is not built (npm run build): GET / will answer 404');
  app.useWebSocketAdapter(new GatewayWsAdapter(app, app.get(AgentGateway).admit, logger));
  app.useGlobalFilters(new HttpExceptionFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchboard')
      .setDescription(
        'Routes Facebook and X customer care to contact-center agents. Errors are `{"error", "details"}`; ' +
          'the agent WebSocket is `GET /ws?token=<token>`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const endpoints = resolveEndpoints(config);
  const logger = createLogger('gateway', config.logLevel);
  const app = await createGateway(config, endpoints, logger);
  // Platforms and proxies keep connections open for a minute; closing idle ones after Node's default 5 s races
  // with their next request (a reset the platform must retry).
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port }, 'gateway listening');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
