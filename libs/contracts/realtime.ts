/** Server → client WebSocket events (CONTRACT §4). `agent.updated` is ours: it tells an agent its status changed. */
export type ServerEventName =
  'offer' | 'interaction.updated' | 'message.created' | 'message.updated' | 'stats' | 'agent.updated' | 'ack' | 'error';

export type ClientEventName = 'status' | 'accept' | 'decline' | 'reply' | 'disconnect' | 'wrapup' | 'transfer';

/**
 * What travels between processes over PostgreSQL LISTEN/NOTIFY: only ids, since a NOTIFY payload is capped at 8000
 * bytes. Each gateway loads the row and pushes it to the sockets that should see it.
 */
export type BusEvent =
  | { kind: 'offer'; interactionId: string; agentId: string; offerId: string; expiresAt: string }
  /** `alsoNotify`: agents who should hear of it though it is no longer theirs (an offer that timed out). */
  | { kind: 'interaction'; interactionId: string; alsoNotify?: string[] }
  | { kind: 'message.created'; messageId: string }
  | { kind: 'message.updated'; messageId: string }
  | { kind: 'agent'; agentId: string }
  /** A user's password, roles or existence changed: gateways drop what they cached and re-check open sockets. */
  | { kind: 'user'; userId: string };

export const BUS_CHANNEL = 'switchboard_events';
