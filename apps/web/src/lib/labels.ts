import type { InteractionState, InteractionType, Platform } from './types';

/** "Facebook comment", "X direct message": what an agent calls each kind of interaction. */
export function kindLabel(platform: Platform, type: InteractionType): string {
  if (platform === 'facebook') return type === 'conversation' ? 'Facebook post or comment' : 'Messenger';
  return type === 'conversation' ? 'X post' : 'X direct message';
}

export function shortKind(platform: Platform, type: InteractionType): string {
  if (platform === 'facebook') return type === 'conversation' ? 'FB' : 'MSG';
  return type === 'conversation' ? 'X' : 'DM';
}

export const STATE_LABELS: Record<InteractionState, string> = {
  filtered: 'Filtered',
  queued: 'Waiting',
  offered: 'Offered',
  connected: 'Connected',
  wrapup: 'Wrap-up',
  completed: 'Completed',
};

export function customerLabel(customer: { name: string | null; handle: string | null } | null): string {
  if (!customer) return 'Unknown customer';
  if (customer.name && customer.handle) return `${customer.name} (@${customer.handle})`;
  return customer.name ?? (customer.handle ? `@${customer.handle}` : 'Unknown customer');
}
