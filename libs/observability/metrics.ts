import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * This process's Prometheus registry. The gateway serves it at `GET /metrics`, the worker on `WORKER_METRICS_PORT`:
 * each counts what it does itself (Prometheus sums over processes), and both define the same names.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const messagesIngested = new Counter({
  name: 'switchboard_messages_ingested_total',
  help: 'Platform messages stored for the first time, by platform and direction (inbound: customers)',
  labelNames: ['platform', 'direction'] as const,
  registers: [metricsRegistry],
});

export const messagesFiltered = new Counter({
  name: 'switchboard_messages_filtered_total',
  help: 'Customer messages that opened a filtered interaction: their channels refused them',
  labelNames: ['platform'] as const,
  registers: [metricsRegistry],
});

export const messagesRouted = new Counter({
  name: 'switchboard_messages_routed_total',
  help: 'Customer messages routed into an interaction for agents: opening one (queued) or joining an open one',
  labelNames: ['platform', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const offersMade = new Counter({
  name: 'switchboard_offers_total',
  help: 'Offers made to agents',
  registers: [metricsRegistry],
});

export const interactionsAnswered = new Counter({
  name: 'switchboard_interactions_answered_total',
  help: 'Offers accepted: interactions connected to an agent from a queue',
  registers: [metricsRegistry],
});

export const interactionsAbandoned = new Counter({
  name: 'switchboard_interactions_abandoned_total',
  help: 'Interactions that ended while waiting for an agent',
  registers: [metricsRegistry],
});

export const repliesSent = new Counter({
  name: 'switchboard_replies_total',
  help: "Agents' replies handed to the platform, by platform and outcome (sent, failed)",
  labelNames: ['platform', 'status'] as const,
  registers: [metricsRegistry],
});

export const webhookToOfferSeconds = new Histogram({
  name: 'switchboard_webhook_to_offer_seconds',
  help: "Time from an interaction's first message reaching Switchboard to its first offer to an agent",
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
  registers: [metricsRegistry],
});

export const queueWaitSeconds = new Histogram({
  name: 'switchboard_queue_wait_seconds',
  help: 'Time an interaction waited in a queue before an agent accepted it (each queue stay on its own)',
  buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [metricsRegistry],
});
