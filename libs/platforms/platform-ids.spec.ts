import { Platform, InteractionType, Visibility } from '@switchboard/contracts';
import { hasWellFormedIds, isPlatformId } from './platform-ids';
import type { MessageEvent } from './types';

const message = (overrides: Partial<MessageEvent> = {}): MessageEvent => ({
  kind: 'message',
  platform: Platform.FACEBOOK,
  accountPlatformId: '1000000000001',
  platformMessageId: '1000000000001_222_333',
  type: InteractionType.CONVERSATION,
  visibility: Visibility.PUBLIC,
  thread: { kind: 'reply', inReplyToPlatformId: '1000000000001_222', fallbackKey: '222_333' },
  inReplyTo: '1000000000001_222',
  author: {
    platformUserId: '24242424',
    handle: null,
    name: 'Jane',
    followers: null,
    profileUrl: null,
    avatarUrl: null,
  },
  fromAccount: false,
  text: 'hello',
  attachments: [],
  sentAt: '2026-01-01T00:00:00.000Z',
  editOf: null,
  raw: null,
  ...overrides,
});

describe('platform ids', () => {
  it.each([
    '1234567890',
    '1234567890_111',
    'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAj-Sdjfipq',
    'mid.1457764197618:41d102a3e1ae206a38',
    '2975699229-1111111111111111111',
    'aGVsbG8+d29ybGQ/Zm9vYmFy==',
  ])('takes the form %s', (id) => expect(isPlatformId(id)).toBe(true));

  it.each(['', 'a b', '123~456', '{"x":1}', 'x'.repeat(256), 'ü', '1\n2'])('refuses %j', (id) =>
    expect(isPlatformId(id)).toBe(false),
  );

  it('checks every id an event carries', () => {
    expect(hasWellFormedIds(message())).toBe(true);
    expect(hasWellFormedIds(message({ platformMessageId: '1~2' }))).toBe(false);
    expect(hasWellFormedIds(message({ thread: { kind: 'key', conversationKey: 'k~1000000000001' } }))).toBe(false);
    expect(hasWellFormedIds(message({ thread: { kind: 'reply', inReplyToPlatformId: 'a b', fallbackKey: 'k' } }))).toBe(
      false,
    );
    expect(hasWellFormedIds(message({ editOf: '"x"' }))).toBe(false);
    expect(
      hasWellFormedIds({
        kind: 'delete',
        platform: Platform.TWITTER,
        accountPlatformId: '2000000000001',
        platformMessageId: '1~1',
        deletedAt: '2026-01-01T00:00:00.000Z',
        raw: null,
      }),
    ).toBe(false);
  });
});
