/** The API's shapes, as the pages use them (CONTRACT §3–§4). */
export type Role = 'admin' | 'supervisor' | 'agent';
export type AgentStatus = 'available' | 'away' | 'offline';
export type InteractionState = 'filtered' | 'queued' | 'offered' | 'connected' | 'wrapup' | 'completed';
export type InteractionType = 'conversation' | 'directMessage';
export type Platform = 'facebook' | 'twitter';
export type Visibility = 'public' | 'private';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
}

export interface Interaction {
  id: string;
  type: InteractionType;
  platform: Platform;
  state: InteractionState;
  accountId: string;
  channelId: string | null;
  workgroupId: string | null;
  agentId: string | null;
  priority: number;
  parentId: string | null;
  customerId: string | null;
  createdAt: string;
  queuedAt: string | null;
  offeredAt: string | null;
  offerExpiresAt: string | null;
  connectedAt: string | null;
  disconnectedAt: string | null;
  completedAt: string | null;
  wrapUpCode: string | null;
  endReason: string | null;
  workflowId: string | null;
}

export interface Message {
  id: string;
  interactionId: string | null;
  platform: Platform;
  platformMessageId: string | null;
  direction: 'inbound' | 'outbound';
  visibility: Visibility;
  agentId: string | null;
  text: string | null;
  attachments: { type: string; url: string | null }[];
  revisions: { text: string | null; replacedAt: string }[];
  sentAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  hiddenAt: string | null;
  external: boolean;
  deliveryStatus: 'pending' | 'sent' | 'failed' | null;
  deliveryError: { code?: string; message?: string } | null;
}

export interface Customer {
  id: string;
  platform: Platform;
  platformUserId: string;
  handle: string | null;
  name: string | null;
  followers: number | null;
  profileUrl: string | null;
  avatarUrl: string | null;
}

export interface InteractionDetail extends Interaction {
  messages: Message[];
  customer: Customer | null;
  history: Interaction[];
  account: { id: string; name: string | null; handle: string | null };
  channelName: string | null;
  workgroup: { id: string; name: string | null; wrapUpRequired: boolean; wrapUpTimeoutSeconds: number | null } | null;
  wrapUpCodes: { code: string; label: string }[];
  /** While connected: what the platform would refuse now, per visibility, and until when a private answer may go. */
  replyRules?: {
    public: ReplyRefusal | null;
    private: ReplyRefusal | null;
    privateUntil: string | null;
  };
}

export interface ReplyRefusal {
  rule: string;
  reason: string;
}

export interface Offer {
  interaction: Interaction;
  offerId: string;
  expiresAt: string;
  customer: { platformUserId: string; handle: string | null; name: string | null; followers: number | null } | null;
  lastMessage: { text: string | null; sentAt: string } | null;
}

export interface AgentSummary {
  id: string;
  username: string;
  displayName: string;
  status: AgentStatus;
  statusChangedAt: string;
  workgroupIds: string[];
  capacity: Record<string, number>;
  interactions: { id: string; type: InteractionType; state: InteractionState }[];
  current: { conversation: number; directMessage: number };
}

export interface WorkgroupStats {
  id: string;
  name: string;
  waiting: number;
  longestWaitingSeconds: number;
  agentsAvailable: number;
  agentsBusy: number;
  answeredToday: number;
  abandonedToday: number;
  averageSpeedOfAnswerSeconds: number | null;
  serviceLevelSeconds: number;
  serviceLevelPercent: number | null;
}

export interface RealtimeStats {
  at: string;
  timeZone: string;
  longestSocialConversationSeconds: number;
  longestSocialDirectMessageSeconds: number;
  activeSocialConversations: number;
  activeSocialDirectMessages: number;
  workgroups: WorkgroupStats[];
}

export interface StandardResponse {
  id: string;
  title: string;
  text: string;
  template: string;
}

export interface Directory {
  workgroups: { id: string; name: string }[];
  agents: { id: string; username: string; displayName: string; status: AgentStatus; workgroupIds: string[] }[];
}

/** `{"error", "details"}`: what every failed call answers. */
export interface ApiProblem {
  error: string;
  details: unknown[];
}
