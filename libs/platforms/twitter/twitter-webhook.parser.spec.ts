import { InteractionType, Platform } from '@switchboard/contracts';
import { dmConversationKey, parseTwitterWebhook } from './twitter-webhook.parser';

const ACCOUNT = '2975699229';

/** The Account Activity payload as X sends it: `id` a bare 64-bit number that JSON.parse cannot hold exactly. */
const RAW_MENTION = `{"for_user_id":"${ACCOUNT}","user_has_blocked":false,"tweet_create_events":[{
  "created_at":"Fri Dec 13 04:48:09 +0000 2019","id":1205348660982083584,"id_str":"1205348660982083584",
  "text":"@ScruffyMcG This is a test","in_reply_to_status_id":null,"in_reply_to_status_id_str":null,
  "user":{"id":1205290247124217856,"id_str":"1205290247124217856","name":"pennbrooke","screen_name":"pennbrooke1",
    "followers_count":7,"profile_image_url_https":"https://abs.twimg.com/a.png"},
  "timestamp_ms":"1576212489730"}]}`;

describe('parseTwitterWebhook', () => {
  it('uses the *_str ids, never the bare numbers', () => {
    const [event] = parseTwitterWebhook(JSON.parse(RAW_MENTION));
    expect(event).toMatchObject({
      kind: 'message',
      platform: Platform.TWITTER,
      accountPlatformId: ACCOUNT,
      platformMessageId: '1205348660982083584',
      type: InteractionType.CONVERSATION,
      thread: { kind: 'key', conversationKey: '1205348660982083584' },
      author: {
        platformUserId: '1205290247124217856',
        handle: 'pennbrooke1',
        followers: 7,
        profileUrl: 'https://x.com/pennbrooke1',
      },
      sentAt: new Date(1576212489730).toISOString(),
      fromAccount: false,
    });
    expect(
      String((JSON.parse(RAW_MENTION) as { tweet_create_events: { id: number }[] }).tweet_create_events[0]!.id),
    ).not.toBe('1205348660982083584');
  });

  it('joins a reply to the post it answers, falling back to a thread of its own', () => {
    const body = JSON.parse(RAW_MENTION) as { tweet_create_events: Record<string, unknown>[] };
    body.tweet_create_events[0]!['in_reply_to_status_id_str'] = '1205348660982000000';
    expect(parseTwitterWebhook(body)[0]).toMatchObject({
      thread: { kind: 'reply', inReplyToPlatformId: '1205348660982000000', fallbackKey: '1205348660982083584' },
    });
  });

  it('reads the full text of a long post and skips retweets', () => {
    const body = JSON.parse(RAW_MENTION) as { tweet_create_events: Record<string, unknown>[] };
    body.tweet_create_events[0]!['truncated'] = true;
    body.tweet_create_events[0]!['extended_tweet'] = { full_text: 'a long text that goes on' };
    expect(parseTwitterWebhook(body)[0]).toMatchObject({ text: 'a long text that goes on' });
    body.tweet_create_events[0]!['retweeted_status'] = { id_str: '1' };
    expect(parseTwitterWebhook(body)).toEqual([]);
  });

  it('marks posts by the account itself', () => {
    const body = JSON.parse(RAW_MENTION.replace(/"id_str":"1205290247124217856"/, `"id_str":"${ACCOUNT}"`)) as unknown;
    expect(parseTwitterWebhook(body)[0]).toMatchObject({ fromAccount: true });
  });

  it('threads a DM on the pair of user ids and takes the author from the users map', () => {
    const body = {
      for_user_id: ACCOUNT,
      direct_message_events: [
        {
          type: 'message_create',
          id: '1206724334791753732',
          created_timestamp: '1576540475925',
          message_create: {
            target: { recipient_id: ACCOUNT },
            sender_id: '1205290247124217856',
            message_data: { text: 'Yes, you are!' },
          },
        },
      ],
      users: { '1205290247124217856': { id: '1205290247124217856', name: 'pennbrooke', screen_name: 'pennbrooke1' } },
    };
    expect(parseTwitterWebhook(body)[0]).toMatchObject({
      type: InteractionType.DIRECT_MESSAGE,
      platformMessageId: '1206724334791753732',
      thread: { kind: 'key', conversationKey: `${ACCOUNT}-1205290247124217856` },
      author: { handle: 'pennbrooke1' },
      text: 'Yes, you are!',
      fromAccount: false,
    });
  });

  it('turns tweet deletions into delete events', () => {
    const body = {
      for_user_id: ACCOUNT,
      tweet_delete_events: [{ status: { id: '1045405559317569537', user_id: '9' }, timestamp_ms: '1432228155593' }],
    };
    expect(parseTwitterWebhook(body)).toEqual([
      expect.objectContaining({ kind: 'delete', platformMessageId: '1045405559317569537' }),
    ]);
  });
});

describe('dmConversationKey', () => {
  it('orders the ids as numbers, not strings', () => {
    expect(dmConversationKey('99', '100')).toBe('99-100');
    expect(dmConversationKey('1205290247124217856', '2975699229')).toBe('2975699229-1205290247124217856');
  });
});
