import { createServer, type Server } from 'node:http';
import { metricsRegistry, type Logger } from '@switchboard/observability';

/**
 * The worker's `GET /metrics` (Prometheus text format) on its own port: what the worker counts (offers it made,
 * answers, abandonments, replies sent and failed, time in queue). A port already taken is logged, not fatal: the
 * worker's work matters more than its metrics.
 */
export function startMetricsServer(port: number, logger: Logger): Server | null {
  if (port === 0) return null;
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metricsRegistry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  server.on('error', (error) => logger.warn({ err: error, port }, 'worker metrics endpoint not started'));
  server.listen(port, '0.0.0.0', () => logger.info({ port }, 'worker metrics on /metrics'));
  return server;
}
