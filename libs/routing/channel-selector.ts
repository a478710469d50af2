import { InteractionType } from '@switchboard/contracts';
import { matchesKeywords, type KeywordRules } from './keyword-matcher';

export interface RoutableChannel {
  id: string;
  accountIds: string[];
  keywords: KeywordRules;
  publicWorkgroupId: string | null;
  privateWorkgroupId: string | null;
  priority: number;
  skills: Record<string, number>;
  enabled: boolean;
  createdAt: Date;
}

export type ChannelDecision<C extends RoutableChannel> =
  /** The account has no enabled channel: the message is stored and nothing is routed. */
  | { kind: 'unrouted' }
  /** Channels exist but none takes the message: a `filtered` interaction records it. */
  | { kind: 'filtered'; channel: C }
  | { kind: 'route'; channel: C; workgroupId: string };

/** The workgroup for a type: public messages to the public one, private to the private one, else the other. */
export function workgroupFor(channel: RoutableChannel, type: InteractionType): string | null {
  return type === InteractionType.CONVERSATION
    ? (channel.publicWorkgroupId ?? channel.privateWorkgroupId)
    : (channel.privateWorkgroupId ?? channel.publicWorkgroupId);
}

/** Of the account's enabled channels, the one with the highest priority whose keywords the message passes wins. */
export function selectChannel<C extends RoutableChannel>(
  channels: readonly C[],
  accountId: string,
  type: InteractionType,
  text: string | null,
): ChannelDecision<C> {
  const candidates = channels
    .filter((channel) => channel.enabled && channel.accountIds.includes(accountId))
    .sort((a, b) => b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime());
  const first = candidates[0];
  if (!first) return { kind: 'unrouted' };
  for (const channel of candidates) {
    const workgroupId = workgroupFor(channel, type);
    if (workgroupId && matchesKeywords(text, channel.keywords)) return { kind: 'route', channel, workgroupId };
  }
  return { kind: 'filtered', channel: first };
}
