import { listFixtures, loadFixture } from '../fixtures';
import type { MessageEvent, NormalizedEvent } from '../types';
import { normalizeV2DmEvent, normalizeV2Tweet } from './twitter-v2.normalizer';
import { parseTwitterWebhook } from './twitter-webhook.parser';

const ACCOUNT = '2975699229';
const CUSTOMER = '1205290247124217856';

interface V2Page {
  data: Record<string, unknown>[];
  includes: { users: unknown[]; media?: unknown[] };
}

const page = (name: string) => JSON.parse(loadFixture('twitter', name)) as V2Page;
const webhookMessage = (name: string): MessageEvent => {
  const [event] = parseTwitterWebhook(JSON.parse(loadFixture('twitter', name)));
  if (event?.kind !== 'message') throw new Error(`${name} holds no message`);
  return event;
};
const withoutRaw = (event: NormalizedEvent | null) => {
  if (!event) return null;
  const { raw: _raw, ...rest } = event;
  return rest;
};

describe('normalizeV2Tweet', () => {
  const mentions = page('v2-mentions-page');

  // The page holds, newest first, the posts of these Account Activity fixtures as the mention timeline returns them.
  it.each([
    [0, 'aaa-extended-tweet'],
    [1, 'aaa-reply'],
    [2, 'aaa-edited-tweet'],
    [3, 'aaa-mention'],
  ])('yields for post %i what the webhook yields for %s', (index, fixture) => {
    const event = normalizeV2Tweet(ACCOUNT, mentions.data[index], mentions.includes.users);
    expect(withoutRaw(event)).toEqual(withoutRaw(webhookMessage(fixture)));
    expect(event?.raw).toBe(mentions.data[index]);
  });

  it('yields for the account’s own post what the webhook yields', () => {
    const own = {
      id: '1205350971322437632',
      text: '@pennbrooke1 Sorry to hear that! Could you DM us your order number?',
      author_id: ACCOUNT,
      created_at: '2019-12-13T04:57:20.519Z',
      referenced_tweets: [{ type: 'replied_to', id: '1205348660982083584' }],
      edit_history_tweet_ids: ['1205350971322437632'],
    };
    const users = [{ id: ACCOUNT, username: 'ScruffyMcG', name: 'Ryan Lue' }];
    expect(withoutRaw(normalizeV2Tweet(ACCOUNT, own, users))).toEqual(withoutRaw(webhookMessage('aaa-own-tweet')));
  });

  it('yields for a quote what the webhook yields', () => {
    const quote = {
      id: '1205361174452355072',
      text: '@ScruffyMcG sizes run small, had to return twice https://t.co/AbCdEf1234',
      author_id: CUSTOMER,
      created_at: '2019-12-13T05:46:42.990Z',
      referenced_tweets: [{ type: 'quoted', id: '1205098765432109056' }],
    };
    const [customer] = mentions.includes.users;
    expect(withoutRaw(normalizeV2Tweet(ACCOUNT, quote, [customer]))).toEqual(withoutRaw(webhookMessage('aaa-quote')));
  });

  it('resolves media keys through includes.media, keeping unexpanded keys as bare media', () => {
    const tweet = { id: '1', text: 'x', author_id: CUSTOMER, attachments: { media_keys: ['3_1', '7_2', '3_9'] } };
    const media = [
      { media_key: '3_1', type: 'photo', url: 'https://pbs.twimg.com/media/a.jpg' },
      { media_key: '7_2', type: 'video', preview_image_url: 'https://pbs.twimg.com/media/b.jpg' },
    ];
    expect(normalizeV2Tweet(ACCOUNT, tweet, [], media)?.attachments).toEqual([
      { type: 'photo', url: 'https://pbs.twimg.com/media/a.jpg' },
      { type: 'video', url: 'https://pbs.twimg.com/media/b.jpg' },
      { type: 'media', url: null },
    ]);
  });

  it('skips retweets and posts without a string id; an author missing from includes keeps its id', () => {
    const retweet = { id: '5', text: 'RT', author_id: CUSTOMER, referenced_tweets: [{ type: 'retweeted', id: '4' }] };
    expect(normalizeV2Tweet(ACCOUNT, retweet)).toBeNull();
    expect(normalizeV2Tweet(ACCOUNT, { id: 5, text: 'numeric id' })).toBeNull();
    expect(normalizeV2Tweet(ACCOUNT, { id: '6', text: 'who?', author_id: CUSTOMER })).toMatchObject({
      author: { platformUserId: CUSTOMER, handle: null, name: null, followers: null },
      fromAccount: false,
    });
  });
});

describe('normalizeV2DmEvent', () => {
  const dms = page('v2-dm-events-page');

  it.each([
    [0, 'aaa-dm-outgoing'],
    [1, 'aaa-dm-incoming'],
  ])('yields for event %i what the webhook yields for %s', (index, fixture) => {
    const event = normalizeV2DmEvent(ACCOUNT, dms.data[index], dms.includes.users);
    expect(withoutRaw(event)).toEqual(withoutRaw(webhookMessage(fixture)));
  });

  it('names the thread from the sender and the account when the conversation is not 1:1', () => {
    expect(normalizeV2DmEvent(ACCOUNT, dms.data[2], dms.includes.users)).toMatchObject({
      platformMessageId: '1206724000000000000',
      thread: { kind: 'key', conversationKey: `${ACCOUNT}-${CUSTOMER}` },
      author: { platformUserId: CUSTOMER, handle: 'pennbrooke1' },
      fromAccount: false,
    });
    const noConversation = { id: '7', event_type: 'MessageCreate', text: 'hi', sender_id: CUSTOMER };
    expect(normalizeV2DmEvent(ACCOUNT, noConversation)).toMatchObject({
      thread: { kind: 'key', conversationKey: `${ACCOUNT}-${CUSTOMER}` },
      author: { platformUserId: CUSTOMER, handle: null },
    });
  });

  it('cannot place our own message in a conversation that does not name its recipient', () => {
    const ours = { id: '8', event_type: 'MessageCreate', text: 'hi', sender_id: ACCOUNT, dm_conversation_id: '1578' };
    expect(normalizeV2DmEvent(ACCOUNT, ours)).toBeNull();
  });

  it('skips participant events', () => {
    const join = { id: '9', event_type: 'ParticipantsJoin', dm_conversation_id: '1578', participant_ids: [CUSTOMER] };
    expect(normalizeV2DmEvent(ACCOUNT, join)).toBeNull();
  });
});

it('covers every polling fixture', () => {
  expect(listFixtures('twitter').filter((name) => name.startsWith('v2-'))).toEqual([
    'v2-dm-events-page',
    'v2-mentions-page',
  ]);
});
