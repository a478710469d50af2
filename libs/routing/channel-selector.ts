import { InteractionType } from '@switchboard/contracts';
import { evaluateKeywords, type KeywordRules, type KeywordVerdict } from './keyword-matcher';

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

/** One channel as the router weighed it, in the order it did. */
export interface ChannelWeighing<C extends RoutableChannel> {
  channel: C;
  /** The workgroup this type of message would go to (null: the channel has none for it). */
  workgroupId: string | null;
  keywords: KeywordVerdict;
  /** Whether this channel takes the message (the first that does wins). */
  takes: boolean;
}

/**
 * The router's whole reasoning: the account's enabled channels, highest priority first (then oldest), each with its
 * keyword verdict, and the decision. The router and the channel editor's preview both run this.
 */
export function weighChannels<C extends RoutableChannel>(
  channels: readonly C[],
  accountId: string,
  type: InteractionType,
  text: string | null,
): { decision: ChannelDecision<C>; weighed: ChannelWeighing<C>[] } {
  const candidates = channels
    .filter((channel) => channel.enabled && channel.accountIds.includes(accountId))
    .sort((a, b) => b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime());
  const weighed = candidates.map((channel) => {
    const workgroupId = workgroupFor(channel, type);
    const keywords = evaluateKeywords(text, channel.keywords);
    return { channel, workgroupId, keywords, takes: workgroupId !== null && keywords.passes };
  });
  const first = candidates[0];
  const winner = weighed.find((w) => w.takes);
  const decision: ChannelDecision<C> = !first
    ? { kind: 'unrouted' }
    : winner
      ? { kind: 'route', channel: winner.channel, workgroupId: winner.workgroupId as string }
      : { kind: 'filtered', channel: first };
  return { decision, weighed };
}

/** Of the account's enabled channels, the one with the highest priority whose keywords the message passes wins. */
export function selectChannel<C extends RoutableChannel>(
  channels: readonly C[],
  accountId: string,
  type: InteractionType,
  text: string | null,
): ChannelDecision<C> {
  return weighChannels(channels, accountId, type, text).decision;
}
