import { InteractionType, Platform } from '@switchboard/contracts';
import { parseFacebookWebhook } from './facebook-webhook.parser';

const PAGE = '137542570280222';
const page = (...entries: unknown[]) => ({ object: 'page', entry: entries });
const feed = (value: Record<string, unknown>, id = PAGE) => ({
  id,
  time: 1511951015,
  changes: [{ field: 'feed', value }],
});

// Shapes from shared/reference/platform-apis.md §1.3-1.4 (real captures, snake_case).
const topLevelComment = {
  from: { id: '139560936744123', name: 'user' },
  item: 'comment',
  verb: 'add',
  post_id: '137542570280222_139560936744456',
  comment_id: '139560936744456_139620233405726',
  parent_id: '137542570280222_139560936744456',
  created_time: 1511951015,
  message: 'Good',
};

describe('parseFacebookWebhook', () => {
  it('threads a top-level comment on itself, with its author and time in seconds', () => {
    const [event] = parseFacebookWebhook(page(feed(topLevelComment)));
    expect(event).toMatchObject({
      kind: 'message',
      platform: Platform.FACEBOOK,
      accountPlatformId: PAGE,
      platformMessageId: '139560936744456_139620233405726',
      type: InteractionType.CONVERSATION,
      thread: { kind: 'key', conversationKey: '139560936744456_139620233405726' },
      author: { platformUserId: '139560936744123', name: 'user' },
      fromAccount: false,
      text: 'Good',
      sentAt: new Date(1511951015 * 1000).toISOString(),
    });
  });

  it('threads a reply under the comment it answers', () => {
    const [event] = parseFacebookWebhook(
      page(feed({ ...topLevelComment, comment_id: '139560936744456_2', parent_id: '139560936744456_139620233405726' })),
    );
    expect(event).toMatchObject({
      thread: { kind: 'key', conversationKey: '139560936744456_139620233405726' },
      inReplyTo: '139560936744456_139620233405726',
    });
  });

  it('marks the page’s own comment and keeps a comment without `from`', () => {
    const own = parseFacebookWebhook(page(feed({ ...topLevelComment, from: { id: PAGE, name: 'Acme' } })));
    expect(own[0]).toMatchObject({ fromAccount: true });
    const anonymous = parseFacebookWebhook(page(feed({ ...topLevelComment, from: undefined })));
    expect(anonymous[0]).toMatchObject({ kind: 'message', author: null, fromAccount: false });
  });

  it('turns edits and removals into edit and delete events', () => {
    const edited = parseFacebookWebhook(page(feed({ ...topLevelComment, verb: 'edited', message: 'Great' })));
    expect(edited[0]).toMatchObject({ kind: 'edit', platformMessageId: topLevelComment.comment_id, text: 'Great' });
    const removed = parseFacebookWebhook(page(feed({ ...topLevelComment, verb: 'remove', message: undefined })));
    expect(removed[0]).toMatchObject({ kind: 'delete', platformMessageId: topLevelComment.comment_id });
  });

  it('ignores reactions, the dashboard test entry and other objects', () => {
    const reaction = {
      reaction_type: 'like',
      from: { id: '1' },
      item: 'reaction',
      verb: 'add',
      post_id: 'p',
      created_time: 1,
    };
    expect(parseFacebookWebhook(page(feed(reaction)))).toEqual([]);
    expect(parseFacebookWebhook(page(feed(topLevelComment, '0')))).toEqual([]);
    expect(parseFacebookWebhook({ object: 'instagram', entry: [feed(topLevelComment)] })).toEqual([]);
  });

  it('reads every entry of a batch, even for different pages', () => {
    const events = parseFacebookWebhook(
      page(feed(topLevelComment), feed({ ...topLevelComment, comment_id: 'x_2' }, '999')),
    );
    expect(events.map((e) => e.accountPlatformId)).toEqual([PAGE, '999']);
  });

  it('threads Messenger by page and user, keeps attachments, and marks echoes', () => {
    const inbound = {
      sender: { id: 'PSID1' },
      recipient: { id: PAGE },
      timestamp: 1518479195308,
      message: { mid: 'mid.1', text: 'hi', attachments: [{ type: 'image', payload: { url: 'https://cdn/x.jpg' } }] },
    };
    const echo = {
      sender: { id: PAGE },
      recipient: { id: 'PSID1' },
      timestamp: 1518479195309,
      message: { is_echo: true, app_id: 1517776481860111, mid: 'mid.2', text: 'hello' },
    };
    const receipt = { sender: { id: 'PSID1' }, recipient: { id: PAGE }, delivery: { watermark: 1 } };
    const events = parseFacebookWebhook(page({ id: PAGE, time: 1, messaging: [inbound, echo, receipt] }));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      type: InteractionType.DIRECT_MESSAGE,
      thread: { kind: 'key', conversationKey: `${PAGE}-PSID1` },
      attachments: [{ type: 'image', url: 'https://cdn/x.jpg' }],
      sentAt: new Date(1518479195308).toISOString(),
      fromAccount: false,
    });
    expect(events[1]).toMatchObject({ thread: { conversationKey: `${PAGE}-PSID1` }, fromAccount: true, author: null });
  });
});
