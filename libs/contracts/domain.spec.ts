import { capacityKey, InteractionType } from '@switchboard/contracts';

describe('capacityKey', () => {
  it('maps interaction types to capacity buckets', () => {
    expect(capacityKey(InteractionType.CONVERSATION)).toBe('conversation');
    expect(capacityKey(InteractionType.DIRECT_MESSAGE)).toBe('directMessage');
  });
});
