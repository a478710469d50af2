import { InteractionType } from '@switchboard/contracts';
import { selectChannel, type RoutableChannel } from './channel-selector';

let seq = 0;
function channel(overrides: Partial<RoutableChannel> = {}): RoutableChannel {
  seq += 1;
  return {
    id: `channel-${seq}`,
    accountIds: ['acct-1'],
    keywords: { any: [], all: [], none: [] },
    publicWorkgroupId: 'wg-public',
    privateWorkgroupId: 'wg-private',
    priority: 0,
    skills: {},
    enabled: true,
    createdAt: new Date(2026, 0, seq),
    ...overrides,
  };
}

describe('selectChannel', () => {
  it('routes nothing for an account without an enabled channel', () => {
    expect(selectChannel([channel({ enabled: false })], 'acct-1', InteractionType.CONVERSATION, 'hi').kind).toBe(
      'unrouted',
    );
    expect(selectChannel([channel({ accountIds: ['other'] })], 'acct-1', InteractionType.CONVERSATION, 'hi').kind).toBe(
      'unrouted',
    );
  });

  it('sends public messages to the public workgroup and private ones to the private workgroup', () => {
    const only = channel();
    expect(selectChannel([only], 'acct-1', InteractionType.CONVERSATION, 'hi')).toMatchObject({
      kind: 'route',
      workgroupId: 'wg-public',
    });
    expect(selectChannel([only], 'acct-1', InteractionType.DIRECT_MESSAGE, 'hi')).toMatchObject({
      kind: 'route',
      workgroupId: 'wg-private',
    });
  });

  it('lets the highest-priority matching channel win', () => {
    const low = channel({ priority: 1, publicWorkgroupId: 'wg-low' });
    const high = channel({
      priority: 5,
      publicWorkgroupId: 'wg-high',
      keywords: { any: ['refund'], all: [], none: [] },
    });
    expect(selectChannel([low, high], 'acct-1', InteractionType.CONVERSATION, 'refund me')).toMatchObject({
      channel: high,
    });
    expect(selectChannel([low, high], 'acct-1', InteractionType.CONVERSATION, 'hello')).toMatchObject({ channel: low });
  });

  it('filters a message no channel takes', () => {
    const strict = channel({ keywords: { any: ['refund'], all: [], none: [] } });
    expect(selectChannel([strict], 'acct-1', InteractionType.CONVERSATION, 'nice day')).toEqual({
      kind: 'filtered',
      channel: strict,
    });
  });
});
