import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import { dmConversationKey, parseTwitterWebhook } from './twitter-webhook.parser';

const ACCOUNT = '2975699229';
const CUSTOMER = '1205290247124217856';

/** The Account Activity payload as X sends it: `id` a bare 64-bit number that JSON.parse cannot hold exactly. */
const RAW_MENTION = `{"for_user_id":"${ACCOUNT}","user_has_blocked":false,"tweet_create_events":[{
  "created_at":"Fri Dec 13 04:48:09 +0000 2019","id":1205348660982083584,"id_str":"1205348660982083584",
  "text":"@ScruffyMcG This is a test","in_reply_to_status_id":null,"in_reply_to_status_id_str":null,
  "user":{"id":1205290247124217856,"id_str":"${CUSTOMER}","name":"pennbrooke","screen_name":"pennbrooke1",
    "followers_count":7,"profile_image_url_https":"https://abs.twimg.com/a.png"},
  "timestamp_ms":"1576212489730"}]}`;

type TweetBody = { tweet_create_events: Record<string, unknown>[] };
const mentionBody = () => JSON.parse(RAW_MENTION) as TweetBody;
const withTweet = (fields: Record<string, unknown>): TweetBody => {
  const body = mentionBody();
  Object.assign(body.tweet_create_events[0] ?? {}, fields);
  return body;
};

const activity = (eventType: string, payload: unknown, includes: unknown = {}) => ({
  data: { event_uuid: '-685047', filter: { user_id: ACCOUNT }, event_type: eventType, tag: 't', payload, includes },
});
const v2Post = (fields: Record<string, unknown> = {}) => ({
  id: '2090000000000000001',
  text: '@ScruffyMcG help',
  author_id: CUSTOMER,
  created_at: '2026-08-12T18:00:00.000Z',
  edit_history_tweet_ids: ['2090000000000000001'],
  ...fields,
});
const v2Customer = {
  id: CUSTOMER,
  username: 'pennbrooke1',
  name: 'pennbrooke',
  profile_image_url: 'https://abs.twimg.com/a.png',
  public_metrics: { followers_count: 7 },
};

describe('parseTwitterWebhook: Account Activity API', () => {
  it('uses the *_str ids, never the bare numbers', () => {
    const [event] = parseTwitterWebhook(JSON.parse(RAW_MENTION));
    expect(event).toMatchObject({
      kind: 'message',
      platform: Platform.TWITTER,
      accountPlatformId: ACCOUNT,
      platformMessageId: '1205348660982083584',
      type: InteractionType.CONVERSATION,
      visibility: Visibility.PUBLIC,
      thread: { kind: 'key', conversationKey: '1205348660982083584' },
      author: {
        platformUserId: CUSTOMER,
        handle: 'pennbrooke1',
        followers: 7,
        profileUrl: 'https://x.com/pennbrooke1',
        avatarUrl: 'https://abs.twimg.com/a.png',
      },
      sentAt: new Date(1576212489730).toISOString(),
      fromAccount: false,
      editOf: null,
    });
    // The proof that the test can fail: JSON.parse has mangled the bare number.
    expect(String(mentionBody().tweet_create_events[0]?.['id'])).not.toBe('1205348660982083584');
  });

  it('never falls back to a bare numeric id', () => {
    expect(parseTwitterWebhook(withTweet({ id_str: undefined }))).toEqual([]);
  });

  it('joins a reply to the post it answers, falling back to a thread of its own', () => {
    expect(parseTwitterWebhook(withTweet({ in_reply_to_status_id_str: '1205348660982000000' }))[0]).toMatchObject({
      thread: { kind: 'reply', inReplyToPlatformId: '1205348660982000000', fallbackKey: '1205348660982083584' },
      inReplyTo: '1205348660982000000',
    });
  });

  it('reads the full text of a long post and skips retweets', () => {
    const long = withTweet({ truncated: true, extended_tweet: { full_text: 'a long text that goes on' } });
    expect(parseTwitterWebhook(long)[0]).toMatchObject({ text: 'a long text that goes on' });
    expect(parseTwitterWebhook(withTweet({ retweeted_status: { id_str: '1' } }))).toEqual([]);
  });

  it('keeps a quote’s own text and links the quoted post', () => {
    const quote = withTweet({
      is_quote_status: true,
      quoted_status_id: 1205098765432109056,
      quoted_status_id_str: '1205098765432109056',
      quoted_status: { id_str: '1205098765432109056', text: 'the quoted post' },
    });
    expect(parseTwitterWebhook(quote)[0]).toMatchObject({
      text: '@ScruffyMcG This is a test',
      attachments: [{ type: 'quote', url: 'https://x.com/i/status/1205098765432109056' }],
    });
  });

  it('marks an edit with the id of the post it replaces', () => {
    const history = { initial_tweet_id: '1205348660982000001', edit_tweet_ids: ['1205348660982000001'] };
    expect(parseTwitterWebhook(withTweet({ edit_history: history }))[0]).toMatchObject({
      platformMessageId: '1205348660982083584',
      editOf: '1205348660982000001',
    });
    const unedited = { initial_tweet_id: '1205348660982083584', edit_tweet_ids: ['1205348660982083584'] };
    expect(parseTwitterWebhook(withTweet({ edit_history: unedited }))[0]).toMatchObject({ editOf: null });
  });

  it('returns posts by the account itself as fromAccount, without the account as author', () => {
    const own = withTweet({ user: { id_str: ACCOUNT, screen_name: 'ScruffyMcG' } });
    expect(parseTwitterWebhook(own)[0]).toMatchObject({ kind: 'message', fromAccount: true, author: null });
  });

  it('threads a DM on the pair of user ids and takes the author from the users map', () => {
    const dm = (senderId: string, recipientId: string) => ({
      type: 'message_create',
      id: '1206724334791753732',
      created_timestamp: '1576540475925',
      message_create: { target: { recipient_id: recipientId }, sender_id: senderId, message_data: { text: 'Yes' } },
    });
    const users = { [CUSTOMER]: { id: CUSTOMER, name: 'pennbrooke', screen_name: 'pennbrooke1' } };
    const inbound = parseTwitterWebhook({
      for_user_id: ACCOUNT,
      direct_message_events: [dm(CUSTOMER, ACCOUNT)],
      users,
    });
    expect(inbound[0]).toMatchObject({
      type: InteractionType.DIRECT_MESSAGE,
      visibility: Visibility.PRIVATE,
      platformMessageId: '1206724334791753732',
      thread: { kind: 'key', conversationKey: `${ACCOUNT}-${CUSTOMER}` },
      author: { platformUserId: CUSTOMER, handle: 'pennbrooke1' },
      text: 'Yes',
      fromAccount: false,
      sentAt: new Date(1576540475925).toISOString(),
    });
    const echo = parseTwitterWebhook({ for_user_id: ACCOUNT, direct_message_events: [dm(ACCOUNT, CUSTOMER)], users });
    expect(echo[0]).toMatchObject({
      thread: { kind: 'key', conversationKey: `${ACCOUNT}-${CUSTOMER}` },
      author: null,
      fromAccount: true,
    });
  });

  it('turns tweet deletions into delete events', () => {
    const body = {
      for_user_id: ACCOUNT,
      tweet_delete_events: [{ status: { id: '1045405559317569537', user_id: '9' }, timestamp_ms: '1432228155593' }],
    };
    expect(parseTwitterWebhook(body)).toEqual([
      expect.objectContaining({
        kind: 'delete',
        platformMessageId: '1045405559317569537',
        deletedAt: new Date(1432228155593).toISOString(),
      }),
    ]);
  });

  it('ignores likes, follows, blocks, mutes, typing, reads, revocations and replay notices', () => {
    const bodies = [
      { for_user_id: ACCOUNT, favorite_events: [{ id: 'a7ba', favorited_status: { id_str: '1' } }] },
      { for_user_id: ACCOUNT, follow_events: [{ type: 'follow', source: { id: CUSTOMER } }] },
      { for_user_id: ACCOUNT, block_events: [{ type: 'block' }], mute_events: [{ type: 'mute' }] },
      { for_user_id: ACCOUNT, direct_message_indicate_typing_events: [{ sender_id: CUSTOMER }] },
      { for_user_id: ACCOUNT, direct_message_mark_read_events: [{ sender_id: CUSTOMER }] },
      { user_event: { revoke: { source: { user_id: ACCOUNT } } } },
      { replay_job_status: { job_state: 'Complete', job_id: '1' } },
    ];
    expect(bodies.flatMap((body) => parseTwitterWebhook(body))).toEqual([]);
  });
});

describe('parseTwitterWebhook: X Activity API', () => {
  it.each(['post.mention.create', 'post.reply.create', 'post.quote.create'])('reads %s as a customer post', (type) => {
    const events = parseTwitterWebhook(activity(type, v2Post(), { users: [v2Customer] }));
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'message',
        accountPlatformId: ACCOUNT,
        platformMessageId: '2090000000000000001',
        thread: { kind: 'key', conversationKey: '2090000000000000001' },
        author: {
          platformUserId: CUSTOMER,
          handle: 'pennbrooke1',
          name: 'pennbrooke',
          followers: 7,
          profileUrl: 'https://x.com/pennbrooke1',
          avatarUrl: 'https://abs.twimg.com/a.png',
        },
        fromAccount: false,
        text: '@ScruffyMcG help',
        sentAt: '2026-08-12T18:00:00.000Z',
      }),
    ]);
  });

  it('reads replies, quotes, long posts and edits from the v2 post', () => {
    const post = v2Post({
      text: 'the start…',
      note_tweet: { text: 'the start and the rest' },
      referenced_tweets: [
        { type: 'replied_to', id: '2080761390344937796' },
        { type: 'quoted', id: '2080761390344930000' },
      ],
      edit_history_tweet_ids: undefined,
      edit_history_post_ids: ['2090000000000000000', '2090000000000000001'],
    });
    expect(parseTwitterWebhook(activity('post.reply.create', post))[0]).toMatchObject({
      thread: { kind: 'reply', inReplyToPlatformId: '2080761390344937796', fallbackKey: '2090000000000000001' },
      inReplyTo: '2080761390344937796',
      text: 'the start and the rest',
      attachments: [{ type: 'quote', url: 'https://x.com/i/status/2080761390344930000' }],
      editOf: '2090000000000000000',
      author: { platformUserId: CUSTOMER, handle: null },
    });
  });

  it('marks post.create by the account as fromAccount', () => {
    const [own] = parseTwitterWebhook(activity('post.create', v2Post({ author_id: ACCOUNT })));
    expect(own).toMatchObject({ fromAccount: true, author: null });
  });

  it('reads dm.received and dm.sent with their users nested under data', () => {
    const dm = (senderId: string, recipientId: string, id: string) => ({
      direct_message_events: [
        {
          type: 'message_create',
          id,
          created_timestamp: '1784928224372',
          message_create: { target: { recipient_id: recipientId }, sender_id: senderId, message_data: { text: 'hi' } },
        },
      ],
      users: { [CUSTOMER]: { data: v2Customer } },
    });
    const body = {
      data: [
        activity('dm.received', dm(CUSTOMER, ACCOUNT, '2080765901528535096')).data,
        activity('dm.sent', dm(ACCOUNT, CUSTOMER, '2080765901528535097')).data,
      ],
    };
    expect(parseTwitterWebhook(body)).toEqual([
      expect.objectContaining({
        platformMessageId: '2080765901528535096',
        type: InteractionType.DIRECT_MESSAGE,
        thread: { kind: 'key', conversationKey: `${ACCOUNT}-${CUSTOMER}` },
        author: expect.objectContaining({ handle: 'pennbrooke1', followers: 7 }) as unknown,
        fromAccount: false,
      }),
      expect.objectContaining({ platformMessageId: '2080765901528535097', author: null, fromAccount: true }),
    ]);
  });

  it('turns post.delete into a delete at the time of receipt', () => {
    const now = new Date('2026-08-12T18:05:00.000Z');
    const body = activity('post.delete', { id: '2080761269309813134', author_id: ACCOUNT });
    expect(parseTwitterWebhook(body, now)).toEqual([
      expect.objectContaining({
        kind: 'delete',
        platformMessageId: '2080761269309813134',
        deletedAt: now.toISOString(),
      }),
    ]);
  });

  it('ignores other event types, retweets and envelopes without an account', () => {
    const others = ['dm.read', 'dm.indicate_typing', 'oauth.revoke', 'chat.received', 'follow.follow', 'like.create'];
    expect(others.flatMap((type) => parseTwitterWebhook(activity(type, v2Post())))).toEqual([]);
    const retweet = v2Post({ referenced_tweets: [{ type: 'retweeted', id: '1' }] });
    expect(parseTwitterWebhook(activity('post.create', retweet))).toEqual([]);
    expect(parseTwitterWebhook({ data: { ...activity('post.create', v2Post()).data, filter: {} } })).toEqual([]);
  });
});

describe('dmConversationKey', () => {
  it('orders the ids as numbers, not strings', () => {
    expect(dmConversationKey('99', '100')).toBe('99-100');
    expect(dmConversationKey(CUSTOMER, ACCOUNT)).toBe(`${ACCOUNT}-${CUSTOMER}`);
  });
});
