export enum Platform {
  FACEBOOK = 'facebook',
  TWITTER = 'twitter',
}

/** `conversation` is a public thread (post, comment, tweet); `directMessage` is Messenger or an X DM. */
export enum InteractionType {
  CONVERSATION = 'conversation',
  DIRECT_MESSAGE = 'directMessage',
}

export enum InteractionState {
  FILTERED = 'filtered',
  QUEUED = 'queued',
  OFFERED = 'offered',
  CONNECTED = 'connected',
  WRAPUP = 'wrapup',
  COMPLETED = 'completed',
}

/** States in which an interaction still owns its thread: new customer messages join it. */
export const OPEN_INTERACTION_STATES: readonly InteractionState[] = [
  InteractionState.QUEUED,
  InteractionState.OFFERED,
  InteractionState.CONNECTED,
  InteractionState.WRAPUP,
];

/** States that hold one unit of an agent's capacity. */
export const AGENT_LOAD_STATES: readonly InteractionState[] = [
  InteractionState.OFFERED,
  InteractionState.CONNECTED,
  InteractionState.WRAPUP,
];

export enum AgentStatus {
  AVAILABLE = 'available',
  AWAY = 'away',
  OFFLINE = 'offline',
}

export enum Role {
  ADMIN = 'admin',
  SUPERVISOR = 'supervisor',
  AGENT = 'agent',
}

export enum MessageDirection {
  INBOUND = 'inbound',
  OUTBOUND = 'outbound',
}

export enum Visibility {
  PUBLIC = 'public',
  PRIVATE = 'private',
}

export enum DeliveryStatus {
  PENDING = 'pending',
  SENT = 'sent',
  FAILED = 'failed',
}

export enum IngestMode {
  WEBHOOK = 'webhook',
  POLL = 'poll',
}

export type AgentCapacity = Record<'conversation' | 'directMessage', number>;

export const DEFAULT_AGENT_CAPACITY: AgentCapacity = { conversation: 3, directMessage: 2 };

export function capacityKey(type: InteractionType): keyof AgentCapacity {
  return type === InteractionType.CONVERSATION ? 'conversation' : 'directMessage';
}

/** Public posts, comments and tweets are conversations; Messenger and X DMs are direct messages. */
export function interactionTypeOf(visibility: Visibility): InteractionType {
  return visibility === Visibility.PUBLIC ? InteractionType.CONVERSATION : InteractionType.DIRECT_MESSAGE;
}
