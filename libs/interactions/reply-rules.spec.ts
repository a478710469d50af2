import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import { judgeReply, privateReplyUntil, type ReplyFacts } from './reply-rules';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const messenger = (overrides: Partial<ReplyFacts> = {}): ReplyFacts => ({
  platform: Platform.FACEBOOK,
  type: InteractionType.DIRECT_MESSAGE,
  visibility: Visibility.PRIVATE,
  textLength: 20,
  now: NOW,
  lastInboundAt: NOW - HOUR,
  messengerWindowMs: 7 * DAY,
  awaitingCustomerAnswer: false,
  privateTarget: null,
  publicTargetExists: true,
  ...overrides,
});

describe('the platforms’ reply rules', () => {
  it('answers Messenger for 7 days after the customer last wrote (24 h, then the human agent tag), not after', () => {
    expect(judgeReply(messenger())).toBeNull();
    expect(judgeReply(messenger({ lastInboundAt: NOW - 6 * DAY }))).toBeNull();
    expect(judgeReply(messenger({ lastInboundAt: NOW - 7 * DAY }))).toBeNull();
    const closed = judgeReply(messenger({ lastInboundAt: NOW - 7 * DAY - 1000 }));
    expect(closed?.rule).toBe('messenger-window');
    expect(closed?.reason).toContain(new Date(NOW - 7 * DAY - 1000).toISOString());
    expect(judgeReply(messenger({ lastInboundAt: null }))?.rule).toBe('messenger-window');
    // Without the Human Agent permission, 24 hours.
    const plain = { messengerWindowMs: DAY };
    expect(judgeReply(messenger({ ...plain, lastInboundAt: NOW - 23 * HOUR }))).toBeNull();
    expect(judgeReply(messenger({ ...plain, lastInboundAt: NOW - 25 * HOUR }))?.reason).toMatch(/24 hours/);
    expect(privateReplyUntil(messenger({ ...plain, lastInboundAt: NOW - HOUR }))).toBe(NOW + 23 * HOUR);
  });

  it('waits for the customer after a private reply opened the conversation, or sends that reply again if it failed', () => {
    expect(judgeReply(messenger({ lastInboundAt: null, awaitingCustomerAnswer: true }))?.rule).toBe(
      'awaiting-customer',
    );
    const again = { lastInboundAt: null, privateTarget: { id: 'c1', at: NOW - DAY, earlierPrivateReplies: 0 } };
    expect(judgeReply(messenger(again))).toBeNull();
    expect(
      judgeReply(messenger({ ...again, privateTarget: { ...again.privateTarget, at: NOW - 8 * DAY } }))?.rule,
    ).toBe('private-reply-expired');
  });

  it('allows one private reply per comment, within 7 days of it', () => {
    const comment = (at: number, earlierPrivateReplies = 0) =>
      messenger({ type: InteractionType.CONVERSATION, privateTarget: { id: 'c1', at, earlierPrivateReplies } });
    expect(judgeReply(comment(NOW - 6 * DAY))).toBeNull();
    expect(judgeReply(comment(NOW - HOUR, 1))?.rule).toBe('private-reply-used');
    expect(judgeReply(comment(NOW - 7 * DAY - 1000))?.rule).toBe('private-reply-expired');
    // No comment to answer: the escalation itself refuses (409), not a platform rule.
    expect(judgeReply(messenger({ type: InteractionType.CONVERSATION, privateTarget: null }))).toBeNull();
  });

  it('keeps Messenger texts within 2000 characters', () => {
    expect(judgeReply(messenger({ textLength: 2000 }))).toBeNull();
    expect(judgeReply(messenger({ textLength: 2001 }))?.rule).toBe('too-long');
  });

  it('refuses a public reply under a post that is gone, on both platforms', () => {
    for (const platform of [Platform.FACEBOOK, Platform.TWITTER]) {
      const base = { platform, type: InteractionType.CONVERSATION, visibility: Visibility.PUBLIC };
      expect(judgeReply(messenger(base))).toBeNull();
      expect(judgeReply(messenger({ ...base, publicTargetExists: false }))?.rule).toBe('nothing-to-answer');
    }
  });

  it('puts no window on X direct messages', () => {
    const x = messenger({ platform: Platform.TWITTER, lastInboundAt: NOW - 90 * DAY, textLength: 5000 });
    expect(judgeReply(x)).toBeNull();
  });

  it('says until when a private answer may go', () => {
    expect(privateReplyUntil(messenger({ lastInboundAt: NOW - DAY }))).toBe(NOW + 6 * DAY);
    expect(
      privateReplyUntil(
        messenger({
          type: InteractionType.CONVERSATION,
          privateTarget: { id: 'c1', at: NOW - 2 * DAY, earlierPrivateReplies: 0 },
        }),
      ),
    ).toBe(NOW + 5 * DAY);
    expect(privateReplyUntil(messenger({ platform: Platform.TWITTER }))).toBeNull();
  });
});
