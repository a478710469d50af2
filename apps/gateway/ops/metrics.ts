import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '@switchboard/observability';

/** The webhook path's metrics; the process's registry and the shared metrics are in libs/observability. */
export { metricsRegistry };

export const webhookRequests = new Counter({
  name: 'switchboard_webhook_requests_total',
  help: 'Webhook POSTs by platform and HTTP status',
  labelNames: ['platform', 'status'] as const,
  registers: [metricsRegistry],
});

export const webhookEvents = new Counter({
  name: 'switchboard_webhook_events_total',
  help: 'Platform events in verified webhooks: parsed, and stored for the first time',
  labelNames: ['platform', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** From well under a platform's patience to past it (Meta waits 5 s, X 10 s). */
const WEBHOOK_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const webhookAckSeconds = new Histogram({
  name: 'switchboard_webhook_ack_seconds',
  help: 'Time from a webhook POST reaching the controller to its answer',
  labelNames: ['platform'] as const,
  buckets: WEBHOOK_SECONDS_BUCKETS,
  registers: [metricsRegistry],
});

export const webhookHttpSeconds = new Histogram({
  name: 'switchboard_webhook_http_seconds',
  help: 'Time from a webhook request reaching the gateway (before its body is read) to the last byte of the answer',
  labelNames: ['platform'] as const,
  buckets: WEBHOOK_SECONDS_BUCKETS,
  registers: [metricsRegistry],
});
