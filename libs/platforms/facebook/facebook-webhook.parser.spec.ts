import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import { parseFacebookWebhook } from './facebook-webhook.parser';

const PAGE = '137542570280222';
const POST = '137542570280222_139560936744456';
const COMMENT = '139560936744456_139620233405726';
const PSID = '1254459154682919';

const page = (...entries: unknown[]) => ({ object: 'page', entry: entries });
const feed = (value: Record<string, unknown>, id = PAGE) => ({
  id,
  time: 1511951015,
  changes: [{ field: 'feed', value }],
});
const messaging = (...events: unknown[]) => ({ id: PAGE, time: 1458692752478, messaging: events });

const comment = (overrides: Record<string, unknown> = {}) => ({
  from: { id: '139560936744123', name: 'user' },
  item: 'comment',
  verb: 'add',
  post_id: POST,
  comment_id: COMMENT,
  parent_id: POST,
  created_time: 1511951015,
  message: 'Good',
  ...overrides,
});
const inbound = (overrides: Record<string, unknown>) => ({
  sender: { id: PSID },
  recipient: { id: PAGE },
  timestamp: 1458692752478,
  ...overrides,
});

describe('parseFacebookWebhook: feed', () => {
  it('answers the post with a top-level comment, falling back to a thread of the comment’s own', () => {
    const [event] = parseFacebookWebhook(page(feed(comment())));
    expect(event).toMatchObject({
      kind: 'message',
      platform: Platform.FACEBOOK,
      accountPlatformId: PAGE,
      platformMessageId: COMMENT,
      type: InteractionType.CONVERSATION,
      visibility: Visibility.PUBLIC,
      thread: { kind: 'reply', inReplyToPlatformId: POST, fallbackKey: COMMENT },
      inReplyTo: POST,
      author: { platformUserId: '139560936744123', name: 'user' },
      fromAccount: false,
      text: 'Good',
      sentAt: new Date(1511951015 * 1000).toISOString(),
    });
  });

  it('treats a comment without parent_id as top-level', () => {
    const [event] = parseFacebookWebhook(page(feed(comment({ parent_id: undefined }))));
    expect(event).toMatchObject({ thread: { kind: 'reply', inReplyToPlatformId: POST, fallbackKey: COMMENT } });
  });

  it('answers the top-level comment with a reply, falling back to that comment’s thread', () => {
    const [event] = parseFacebookWebhook(page(feed(comment({ comment_id: '139560936744456_2', parent_id: COMMENT }))));
    expect(event).toMatchObject({
      thread: { kind: 'reply', inReplyToPlatformId: COMMENT, fallbackKey: COMMENT },
      inReplyTo: COMMENT,
    });
  });

  it('returns the page’s own comment as fromAccount without making the page an author', () => {
    const [own] = parseFacebookWebhook(page(feed(comment({ from: { id: PAGE, name: 'Acme' } }))));
    expect(own).toMatchObject({ kind: 'message', fromAccount: true, author: null });
  });

  it('keeps a comment without `from`', () => {
    const [anonymous] = parseFacebookWebhook(page(feed(comment({ from: undefined }))));
    expect(anonymous).toMatchObject({ kind: 'message', author: null, fromAccount: false, text: 'Good' });
  });

  it('threads a post on its own post id', () => {
    for (const item of ['status', 'post', 'photo', 'video']) {
      const value = { from: { id: '7' }, item, verb: 'add', post_id: `${PAGE}_9`, created_time: 1, message: 'hi' };
      expect(parseFacebookWebhook(page(feed(value)))).toEqual([
        expect.objectContaining({
          kind: 'message',
          platformMessageId: `${PAGE}_9`,
          thread: { kind: 'key', conversationKey: `${PAGE}_9` },
          inReplyTo: null,
        }),
      ]);
    }
  });

  it.each([
    ['edited', { kind: 'edit', text: 'Great' }],
    ['edit', { kind: 'edit', text: 'Great' }],
    ['remove', { kind: 'delete' }],
    ['delete', { kind: 'delete' }],
    ['hide', { kind: 'hide', hidden: true }],
    ['unhide', { kind: 'hide', hidden: false }],
  ])('turns verb %s into %o', (verb, expected) => {
    const events = parseFacebookWebhook(page(feed(comment({ verb, message: 'Great' }))));
    expect(events).toEqual([expect.objectContaining({ ...expected, platformMessageId: COMMENT })]);
  });

  it('deletes a removed post by its post id', () => {
    const value = { from: { id: '1' }, item: 'post', verb: 'remove', post_id: `${PAGE}_5`, created_time: 1511949068 };
    expect(parseFacebookWebhook(page(feed(value)))).toEqual([
      expect.objectContaining({
        kind: 'delete',
        platformMessageId: `${PAGE}_5`,
        deletedAt: new Date(1511949068 * 1000).toISOString(),
      }),
    ]);
  });

  it('ignores reactions, likes, shares, unknown verbs, the dashboard test entry and other objects', () => {
    const reaction = { reaction_type: 'like', from: { id: '1' }, item: 'reaction', verb: 'add', post_id: 'p' };
    expect(parseFacebookWebhook(page(feed(reaction)))).toEqual([]);
    expect(parseFacebookWebhook(page(feed({ ...reaction, item: 'like' })))).toEqual([]);
    expect(parseFacebookWebhook(page(feed({ ...reaction, item: 'share' })))).toEqual([]);
    expect(parseFacebookWebhook(page(feed(comment({ verb: 'block' }))))).toEqual([]);
    expect(parseFacebookWebhook(page(feed(comment(), '0')))).toEqual([]);
    expect(parseFacebookWebhook({ object: 'instagram', entry: [feed(comment())] })).toEqual([]);
  });

  it('reads every change of every entry of a batch, even for different pages', () => {
    const entry = {
      ...feed(comment()),
      changes: [feed(comment()).changes[0], feed(comment({ verb: 'hide' })).changes[0]],
    };
    const events = parseFacebookWebhook(page(entry, feed(comment({ comment_id: 'x_2' }), '999')));
    expect(events.map((e) => [e.accountPlatformId, e.kind])).toEqual([
      [PAGE, 'message'],
      [PAGE, 'hide'],
      ['999', 'message'],
    ]);
  });
});

describe('parseFacebookWebhook: messaging', () => {
  it('threads an inbound message by page and PSID and keeps its attachments', () => {
    const message = {
      mid: 'mid.1',
      text: 'hi',
      attachments: [
        { type: 'sticker', payload: { url: 'https://cdn/s.png', sticker_id: 369239263222822 } },
        { type: 'image', payload: { url: 'https://cdn/s.png' } },
      ],
    };
    const [event] = parseFacebookWebhook(page(messaging(inbound({ message }))));
    expect(event).toMatchObject({
      kind: 'message',
      type: InteractionType.DIRECT_MESSAGE,
      visibility: Visibility.PRIVATE,
      platformMessageId: 'mid.1',
      thread: { kind: 'key', conversationKey: `${PAGE}-${PSID}` },
      author: { platformUserId: PSID },
      fromAccount: false,
      attachments: [
        { type: 'sticker', url: 'https://cdn/s.png' },
        { type: 'image', url: 'https://cdn/s.png' },
      ],
      sentAt: new Date(1458692752478).toISOString(),
    });
  });

  it('returns an echo as fromAccount in the customer’s thread', () => {
    const echo = {
      sender: { id: PAGE },
      recipient: { id: PSID },
      timestamp: 1458692752479,
      message: { is_echo: true, app_id: 1517776481860111, mid: 'mid.2', text: 'hello' },
    };
    expect(parseFacebookWebhook(page(messaging(echo)))).toEqual([
      expect.objectContaining({
        platformMessageId: 'mid.2',
        thread: { kind: 'key', conversationKey: `${PAGE}-${PSID}` },
        fromAccount: true,
        author: null,
        text: 'hello',
      }),
    ]);
  });

  it('turns a postback into a message with the button title, naming it when it has no mid', () => {
    const withMid = inbound({ postback: { mid: 'm_pb', title: 'Talk to an agent', payload: 'HANDOVER' } });
    const withoutMid = inbound({ timestamp: 1458692790000, postback: { title: 'Track', payload: 'TRACK' } });
    expect(parseFacebookWebhook(page(messaging(withMid), messaging(withoutMid)))).toEqual([
      expect.objectContaining({ kind: 'message', platformMessageId: 'm_pb', text: 'Talk to an agent' }),
      expect.objectContaining({ kind: 'message', platformMessageId: `postback-${PSID}-1458692790000`, text: 'Track' }),
    ]);
  });

  it('turns message_edit into an edit', () => {
    const edit = inbound({ message_edit: { mid: 'mid.1', text: 'hi again', num_edit: 1 } });
    expect(parseFacebookWebhook(page(messaging(edit)))).toEqual([
      expect.objectContaining({ kind: 'edit', platformMessageId: 'mid.1', text: 'hi again' }),
    ]);
  });

  it('ignores receipts, reactions, opt-ins, referrals and standby events', () => {
    const events = [
      inbound({ delivery: { mids: ['mid.2'], watermark: 1 } }),
      inbound({ read: { watermark: 1 } }),
      inbound({ reaction: { reaction: 'love', action: 'react', mid: 'mid.2' } }),
      inbound({ optin: { ref: 'x' } }),
      inbound({ referral: { ref: 'x', source: 'SHORTLINK', type: 'OPEN_THREAD' } }),
    ];
    expect(parseFacebookWebhook(page(messaging(...events)))).toEqual([]);
    const standby = { id: PAGE, time: 1, standby: [inbound({ message: { mid: 'mid.3', text: 'not ours' } })] };
    expect(parseFacebookWebhook(page(standby))).toEqual([]);
  });
});
