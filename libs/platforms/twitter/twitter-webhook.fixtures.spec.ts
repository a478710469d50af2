import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import { listFixtures, loadFixture } from '../fixtures';
import type { MessageEvent, NormalizedEvent, PlatformUser } from '../types';
import { parseTwitterWebhook } from './twitter-webhook.parser';

/** What the parser yields for each webhook body in fixtures/twitter (the `raw` field aside). */

type Expected<T> = T extends unknown ? Omit<T, 'raw'> : never;

// Account Activity API fixtures: @ScruffyMcG and a customer.
const ACCOUNT = '2975699229';
const CUSTOMER = '1205290247124217856';
const MENTION = '1205348660982083584';
const OUR_REPLY = '1205350971322437632';
// X Activity API fixtures: @ExampleUser and @OtherUser.
const XAA_ACCOUNT = '1111111111111111111';
const XAA_CUSTOMER = '2222222222222222222';

const LONG_POST =
  '@ScruffyMcG I ordered a replacement charger on the 2nd, paid for express shipping, and the tracking page has said ' +
  '"label created" for nine days now. Support chat closed my ticket twice without an answer. Can someone with access ' +
  'to the warehouse system tell me whether it actually left, or refund the shipping at least? Order #A1042, thanks.';
const XAA_LONG_POST =
  'Quoting this because the sizes chart in this post is wrong for the EU store: I ordered a 38 according to it and ' +
  'got something that fits like a 36. Two returns so far and the second refund has not arrived. @ExampleUser can ' +
  'you fix the chart and check refund R-77812? Thanks in advance, long-time customer here.';

const millis = (value: number) => new Date(value).toISOString();

const PENNBROOKE: PlatformUser = {
  platformUserId: CUSTOMER,
  handle: 'pennbrooke1',
  name: 'pennbrooke',
  followers: 7,
  profileUrl: 'https://x.com/pennbrooke1',
  avatarUrl: 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png',
};
const OTHER_USER: PlatformUser = {
  platformUserId: XAA_CUSTOMER,
  handle: 'OtherUser',
  name: 'OtherUser',
  followers: 97,
  profileUrl: 'https://x.com/OtherUser',
  avatarUrl: 'https://pbs.twimg.com/profile_images/0000000000000000001/example_normal.jpg',
};

const post = (id: string, fields: Partial<Expected<MessageEvent>>): Expected<MessageEvent> => ({
  kind: 'message',
  platform: Platform.TWITTER,
  accountPlatformId: ACCOUNT,
  platformMessageId: id,
  type: InteractionType.CONVERSATION,
  visibility: Visibility.PUBLIC,
  thread: { kind: 'key', conversationKey: id },
  inReplyTo: null,
  author: PENNBROOKE,
  fromAccount: false,
  text: null,
  attachments: [],
  sentAt: '',
  editOf: null,
  ...fields,
});
const reply = (id: string, parent: string, fields: Partial<Expected<MessageEvent>>) =>
  post(id, { thread: { kind: 'reply', inReplyToPlatformId: parent, fallbackKey: id }, inReplyTo: parent, ...fields });
const dm = (id: string, fields: Partial<Expected<MessageEvent>>) =>
  post(id, {
    type: InteractionType.DIRECT_MESSAGE,
    visibility: Visibility.PRIVATE,
    thread: { kind: 'key', conversationKey: `${ACCOUNT}-${CUSTOMER}` },
    ...fields,
  });
const xaaPost = (id: string, fields: Partial<Expected<MessageEvent>>) =>
  post(id, { accountPlatformId: XAA_ACCOUNT, author: OTHER_USER, ...fields });
const xaaDm = (id: string, fields: Partial<Expected<MessageEvent>>) =>
  dm(id, {
    accountPlatformId: XAA_ACCOUNT,
    thread: { kind: 'key', conversationKey: `${XAA_ACCOUNT}-${XAA_CUSTOMER}` },
    author: OTHER_USER,
    ...fields,
  });

const MENTION_TEXT = '@ScruffyMcG This is a test of Twitter API webhooks.';
const RECEIVED_AT = new Date('2026-08-12T18:05:00.000Z');

const EXPECTED_WEBHOOKS: Record<string, Expected<NormalizedEvent>[]> = {
  'aaa-mention': [post(MENTION, { text: MENTION_TEXT, sentAt: millis(1576212489730) })],
  'aaa-reply': [
    reply('1205352084536889345', OUR_REPLY, {
      text: '@ScruffyMcG still broken after the update, same error',
      sentAt: millis(1576213835410),
    }),
  ],
  'aaa-extended-tweet': [post('1205355873331355648', { text: LONG_POST, sentAt: millis(1576214738221) })],
  'aaa-quote': [
    post('1205361174452355072', {
      text: '@ScruffyMcG sizes run small, had to return twice https://t.co/AbCdEf1234',
      attachments: [{ type: 'quote', url: 'https://x.com/i/status/1205098765432109056' }],
      sentAt: millis(1576216002990),
    }),
  ],
  'aaa-retweet': [],
  'aaa-own-tweet': [
    reply(OUR_REPLY, MENTION, {
      author: null,
      fromAccount: true,
      text: '@pennbrooke1 Sorry to hear that! Could you DM us your order number?',
      sentAt: millis(1576213040519),
    }),
  ],
  'aaa-edited-tweet': [
    post('1205348899990000640', {
      text: '@ScruffyMcG This is a test of Twitter API webhooks (edited).',
      editOf: MENTION,
      sentAt: millis(1576212546321),
    }),
  ],
  'aaa-bare-number-id': [
    reply('1205348660982083585', '1205350971322437633', {
      author: {
        platformUserId: '1205290247124217857',
        handle: 'bigint_fan',
        name: 'numbers',
        followers: 1,
        profileUrl: 'https://x.com/bigint_fan',
        avatarUrl: 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png',
      },
      text: '@ScruffyMcG which id am I?',
      sentAt: millis(1576212490730),
    }),
  ],
  'aaa-dm-incoming': [dm('1206724334791753732', { text: 'Yes, you are!', sentAt: millis(1576540475925) })],
  'aaa-dm-outgoing': [
    dm('1206725012334567424', {
      author: null,
      fromAccount: true,
      text: 'Thanks! Which order number is it?',
      sentAt: millis(1576540637412),
    }),
  ],
  'aaa-dm-media': [
    dm('1206726581123457029', {
      text: 'here is the label https://t.co/9ZQ0a1b2c3',
      attachments: [
        {
          type: 'photo',
          url: 'https://ton.twitter.com/1.1/ton/data/dm/1206726581123457029/1206726570000000000/label.jpg',
        },
      ],
      sentAt: millis(1576541011298),
    }),
  ],
  'aaa-tweet-delete': [
    {
      kind: 'delete',
      platform: Platform.TWITTER,
      accountPlatformId: ACCOUNT,
      platformMessageId: '1205352084536889345',
      deletedAt: millis(1576214000000),
    },
  ],
  'aaa-favorite': [],
  'aaa-follow': [],
  'aaa-typing': [],
  'aaa-mark-read': [],
  'aaa-user-event-revoke': [],
  'xaa-post-mention-create': [
    xaaPost('2080765813578191303', { text: 'hey @ExampleUser', sentAt: '2026-07-24T21:23:23.000Z' }),
  ],
  'xaa-post-reply-create': [
    xaaPost('2090000000000000001', {
      thread: { kind: 'reply', inReplyToPlatformId: '2080761390344937796', fallbackKey: '2090000000000000001' },
      inReplyTo: '2080761390344937796',
      text: '@ExampleUser Great post — thanks for sharing!',
      sentAt: '2026-08-12T18:00:00.000Z',
    }),
  ],
  'xaa-post-quote-create': [
    xaaPost('2090000000000000777', {
      text: XAA_LONG_POST,
      attachments: [
        { type: 'photo', url: 'https://pbs.twimg.com/media/GxSizeChart.jpg' },
        { type: 'quote', url: 'https://x.com/i/status/2080761390344937796' },
      ],
      sentAt: '2026-08-12T18:30:00.000Z',
    }),
  ],
  'xaa-post-create-own': [
    xaaPost('2080761390344937796', {
      author: null,
      fromAccount: true,
      text: 'Hello from the Activity API',
      sentAt: '2026-07-24T21:05:48.000Z',
    }),
  ],
  'xaa-post-edit': [
    xaaPost('2090000000000000999', {
      text: 'hey @ExampleUser (fixed typo)',
      editOf: '2080765813578191303',
      sentAt: '2026-07-24T21:25:01.000Z',
    }),
  ],
  'xaa-post-delete': [
    {
      kind: 'delete',
      platform: Platform.TWITTER,
      accountPlatformId: XAA_ACCOUNT,
      platformMessageId: '2080761269309813134',
      deletedAt: RECEIVED_AT.toISOString(),
    },
  ],
  'xaa-dm-received': [xaaDm('2080765901528535096', { text: 'hello!', sentAt: millis(1784928224372) })],
  'xaa-dm-sent': [
    xaaDm('2080763914820927863', {
      thread: { kind: 'key', conversationKey: `${XAA_ACCOUNT}-${XAA_CUSTOMER}` },
      author: null,
      fromAccount: true,
      text: 'Thanks for the update!',
      sentAt: millis(1784927750704),
    }),
  ],
  'xaa-oauth-revoke': [],
  'xaa-dm-indicate-typing': [],
  'xaa-batch': [xaaPost('2080765813578191303', { text: 'hey @ExampleUser', sentAt: '2026-07-24T21:23:23.000Z' })],
};

/** Responses of the polling endpoints, not webhook bodies: twitter-v2.normalizer.spec.ts covers them. */
const POLLING_FIXTURES = ['v2-dm-events-page', 'v2-mentions-page'];

const withoutRaw = (events: NormalizedEvent[]) => events.map(({ raw: _raw, ...event }) => event);

describe('X webhook fixtures', () => {
  it('has an expectation for every fixture file', () => {
    expect([...Object.keys(EXPECTED_WEBHOOKS), ...POLLING_FIXTURES].sort()).toEqual(listFixtures('twitter'));
  });

  it.each(Object.entries(EXPECTED_WEBHOOKS))('%s', (name, expected) => {
    const body: unknown = JSON.parse(loadFixture('twitter', name));
    expect(withoutRaw(parseTwitterWebhook(body, RECEIVED_AT))).toEqual(expected);
  });

  it('stores bare 64-bit ids that JSON.parse cannot hold, next to the id_str the parser uses', () => {
    const text = loadFixture('twitter', 'aaa-bare-number-id');
    expect(text).toMatch(/"id": ?1205348660982083585,/);
    const body = JSON.parse(text) as { tweet_create_events: { id: number; id_str: string }[] };
    const [tweet] = body.tweet_create_events;
    expect(String(tweet?.id)).not.toBe(tweet?.id_str);
    expect(parseTwitterWebhook(body)[0]?.platformMessageId).toBe(tweet?.id_str);
  });
});
