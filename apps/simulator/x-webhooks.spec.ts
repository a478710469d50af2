import type { Simulator } from './simulator';
import { at, FakeGateway, str, X, xClient, xSignatureValid, simulatorAgainst } from './testing/test-kit';
import { xaaEventUuid } from './xaa';

describe('X webhooks', () => {
  const gateway = new FakeGateway();
  let sim: Simulator;

  simulatorAgainst(gateway, { retryScheduleMs: [] }, (started) => (sim = started));

  /** The last webhook the gateway received, parsed, after checking its signature. */
  function lastWebhook(): unknown {
    const captured = gateway.on('/webhooks/twitter').at(-1);
    if (!captured) throw new Error('no X webhook received');
    expect(xSignatureValid(captured)).toBe(true);
    return JSON.parse(captured.body);
  }

  describe('Account Activity format (default)', () => {
    it('writes a long post as truncated text plus extended_tweet', async () => {
      const { ids } = await sim.injectMention({ long: true });
      const tweet = at(lastWebhook(), 'tweet_create_events', 0);
      const full = str(tweet, 'extended_tweet', 'full_text');
      expect(Array.from(full).length).toBeGreaterThan(280);
      expect(full.startsWith(`@${X.handle} `)).toBe(true);
      expect(at(tweet, 'truncated')).toBe(true);
      expect(Array.from(str(tweet, 'text')).length).toBeLessThanOrEqual(140);
      expect(str(tweet, 'text')).toMatch(/… https:\/\/t\.co\/\w+$/);
      expect(at(tweet, 'extended_tweet', 'entities', 'user_mentions', 0, 'id_str')).toBe(X.userId);
      expect(at(tweet, 'edit_history')).toEqual({ initial_tweet_id: ids.tweetId, edit_tweet_ids: [ids.tweetId] });
    });

    it('writes a quote of the account’s post with quoted_status', async () => {
      const own = await sim.injectOwnTweet({ text: 'We ship to 40 countries now!', deliver: false });
      const quote = await sim.injectQuote({ text: 'Not to mine, apparently' });
      expect(quote.ids.quotedTweetId).toBe(own.ids.tweetId);
      const tweet = at(lastWebhook(), 'tweet_create_events', 0);
      expect(tweet).toMatchObject({
        is_quote_status: true,
        quoted_status_id_str: own.ids.tweetId,
        quoted_status: { id_str: own.ids.tweetId, user: { id_str: X.userId } },
      });
      expect(gateway.on('/webhooks/twitter').at(-1)!.body).toContain(`"quoted_status_id":${own.ids.tweetId},`);

      // Quoting the account counts as engaging it under the 2026 reply restriction.
      const reply = await xClient(sim).v2.reply('Sorry! Which country?', quote.ids.tweetId);
      expect(reply.data.id).toMatch(/^\d+$/);
    });

    it('writes the account’s own post and DM made outside the API as echoes without the app', async () => {
      const post = await sim.injectOwnTweet({ text: 'Back online, thanks for your patience.' });
      const tweet = at(lastWebhook(), 'tweet_create_events', 0);
      expect(at(tweet, 'user', 'id_str')).toBe(X.userId);
      expect(str(tweet, 'source')).toContain('Twitter Web App');
      expect(at(lastWebhook(), 'user_has_blocked')).toBeUndefined();
      expect(post.ids.tweetId).toBe(at(tweet, 'id_str'));

      const dm = await sim.injectOwnDm({ to: { id: '3900000000000000001' }, text: 'Following up on your order' });
      const payload = lastWebhook();
      expect(at(payload, 'direct_message_events', 0, 'message_create')).toEqual({
        target: { recipient_id: '3900000000000000001' },
        sender_id: X.userId,
        message_data: { text: 'Following up on your order', entities: expect.any(Object) as unknown },
      });
      expect(at(payload, 'apps')).toBeUndefined();
      expect(dm.ids.conversationId).toBe(`${X.userId}-3900000000000000001`);
      expect(sim.sent()).toEqual([]);
    });

    it('writes likes and follows', async () => {
      const favorite = await sim.injectFavorite({ from: { id: '3900000000000000002', screen_name: 'fan_42' } });
      const like = at(lastWebhook(), 'favorite_events', 0);
      expect(like).toMatchObject({
        id: favorite.ids.favoriteId,
        favorited_status: { id_str: favorite.ids.tweetId, user: { id_str: X.userId } },
        user: { id_str: '3900000000000000002', screen_name: 'fan_42' },
      });
      expect(favorite.ids.favoriteId).toMatch(/^[0-9a-f]{32}$/);

      await sim.injectFollow({ from: { id: '3900000000000000002' }, type: 'unfollow' });
      expect(at(lastWebhook(), 'follow_events', 0)).toMatchObject({
        type: 'unfollow',
        source: { id_str: '3900000000000000002' },
        target: { id_str: X.userId },
      });
    });

    it('writes an edit as a new post whose history starts with the original', async () => {
      const original = await sim.injectMention({ text: `@${X.handle} my order is lost`, deliver: false });
      const edit = await sim.injectTweetEdit({
        tweetId: original.ids.tweetId,
        text: `@${X.handle} my order #88 is lost`,
      });
      const second = await sim.injectTweetEdit({ tweetId: original.ids.tweetId, text: `@${X.handle} order #88 lost` });
      expect(edit.ids.tweetId).not.toBe(original.ids.tweetId);
      const tweet = at(lastWebhook(), 'tweet_create_events', 0);
      expect(at(tweet, 'id_str')).toBe(second.ids.tweetId);
      expect(at(tweet, 'edit_history')).toEqual({
        initial_tweet_id: original.ids.tweetId,
        edit_tweet_ids: [original.ids.tweetId, edit.ids.tweetId, second.ids.tweetId],
      });
    });

    it('sends nothing for accounts set to polling, nor with deliver:false', async () => {
      sim.updateConfig({ xAccounts: [{ ...X, webhook: false }] });
      const mention = await sim.injectMention({});
      const dm = await sim.injectDm({ text: 'hello' });
      expect(mention.delivery).toBeNull();
      expect(dm.delivery).toBeNull();
      await xClient(sim).v2.reply('Hi!', mention.ids.tweetId);
      await sim.idle();
      expect(gateway.captured).toEqual([]);
    });
  });

  describe('X Activity API format', () => {
    beforeEach(() => {
      sim.updateConfig({ xWebhookFormat: 'xaa' });
    });

    it('delivers a mention as post.mention.create with a v2 post and its users', async () => {
      const { ids, payload } = await sim.injectMention({ from: { id: '3900000000000000003', screen_name: 'jdoe' } });
      const body = lastWebhook();
      expect(body).toEqual(payload);
      expect(Object.keys(body as object)).toEqual(['data']);
      expect(at(body, 'data')).toMatchObject({
        filter: { user_id: X.userId },
        event_type: 'post.mention.create',
        tag: expect.any(String) as unknown,
        payload: {
          id: ids.tweetId,
          author_id: '3900000000000000003',
          conversation_id: ids.tweetId,
          edit_history_tweet_ids: [ids.tweetId],
          entities: { mentions: [{ start: 0, end: X.handle.length + 1, username: X.handle, id: X.userId }] },
        },
      });
      expect(str(body, 'data', 'event_uuid')).toMatch(/^-?\d{1,19}$/);
      expect(str(body, 'data', 'payload', 'created_at')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const users = at(body, 'data', 'includes', 'users') as Array<Record<string, unknown>>;
      expect(users.map((u) => u.username)).toEqual(['jdoe', X.handle]);
      expect(users[0]).toMatchObject({ id: '3900000000000000003', public_metrics: expect.any(Object) as unknown });
      // v2 ids are strings only: no bare 64-bit numbers in XAA payloads.
      expect(gateway.on('/webhooks/twitter').at(-1)!.body).not.toMatch(/"id":\d/);
    });

    it('tells replies, quotes and the account’s own posts apart', async () => {
      const own = await sim.injectOwnTweet({ text: 'Spring sale starts today' });
      expect(at(lastWebhook(), 'data', 'event_type')).toBe('post.create');

      const reply = await sim.injectMention({
        text: `@${X.handle} is it online too?`,
        inReplyToStatusId: own.ids.tweetId,
      });
      const replyEvent = at(lastWebhook(), 'data');
      expect(replyEvent).toMatchObject({
        event_type: 'post.reply.create',
        payload: {
          id: reply.ids.tweetId,
          in_reply_to_user_id: X.userId,
          conversation_id: own.ids.tweetId,
          referenced_tweets: [{ type: 'replied_to', id: own.ids.tweetId }],
        },
        includes: { tweets: [{ id: own.ids.tweetId, author_id: X.userId }] },
      });

      await sim.injectQuote({ quotedTweetId: own.ids.tweetId });
      expect(at(lastWebhook(), 'data')).toMatchObject({
        event_type: 'post.quote.create',
        payload: { referenced_tweets: [{ type: 'quoted', id: own.ids.tweetId }] },
      });

      const apiReply = await xClient(sim).v2.reply('Yes, online too!', reply.ids.tweetId);
      await sim.idle();
      expect(at(lastWebhook(), 'data')).toMatchObject({
        event_type: 'post.create',
        payload: { id: apiReply.data.id, author_id: X.userId },
      });
    });

    it('puts long posts in note_tweet', async () => {
      await sim.injectMention({ long: true });
      const post = at(lastWebhook(), 'data', 'payload');
      const full = str(post, 'note_tweet', 'text');
      expect(Array.from(full).length).toBeGreaterThan(280);
      expect(Array.from(str(post, 'text')).length).toBeLessThanOrEqual(280);
      expect(full.startsWith(str(post, 'text'))).toBe(true);
    });

    it('delivers DMs as dm.received and dm.sent with v1.1 events and users nested under data', async () => {
      const inbound = await sim.injectDm({ text: 'Where is my refund?' });
      const received = at(lastWebhook(), 'data');
      expect(received).toMatchObject({
        event_type: 'dm.received',
        filter: { user_id: X.userId },
        payload: {
          direct_message_events: [
            {
              type: 'message_create',
              id: inbound.ids.eventId,
              message_create: {
                sender_id: inbound.ids.senderId,
                target: { recipient_id: X.userId },
                message_data: { text: 'Where is my refund?' },
              },
            },
          ],
        },
      });
      expect(str(received, 'payload', 'direct_message_events', 0, 'created_timestamp')).toMatch(/^\d{13}$/);
      expect(at(received, 'payload', 'users', inbound.ids.senderId, 'data')).toMatchObject({
        id: inbound.ids.senderId,
        username: expect.stringMatching(/^customer_\d+$/) as unknown,
      });
      expect(at(received, 'payload', 'users', X.userId, 'data', 'username')).toBe(X.handle);

      await xClient(sim).v2.sendDmToParticipant(inbound.ids.senderId, { text: 'Checking now' });
      await sim.idle();
      expect(at(lastWebhook(), 'data')).toMatchObject({
        event_type: 'dm.sent',
        payload: { direct_message_events: [{ message_create: { sender_id: X.userId } }] },
      });
    });

    it('uses like.create and follow.follow envelopes', async () => {
      await sim.injectFavorite({});
      expect(at(lastWebhook(), 'data')).toMatchObject({
        event_type: 'like.create',
        filter: { user_id: X.userId, direction: 'inbound' },
        payload: { liked_tweet_author_id: X.userId },
      });
      const follow = await sim.injectFollow({});
      expect(at(lastWebhook(), 'data')).toMatchObject({
        event_type: 'follow.follow',
        payload: { source: { data: { id: follow.ids.sourceId } }, target: { data: { id: X.userId } } },
      });
    });
  });

  it('makes event uuids signed 64-bit values, negative about half of the time', () => {
    const uuids = Array.from({ length: 200 }, () => BigInt(xaaEventUuid()));
    expect(uuids.some((u) => u < 0n)).toBe(true);
    expect(uuids.some((u) => u > 0n)).toBe(true);
    for (const uuid of uuids) {
      expect(uuid >= -(2n ** 63n) && uuid < 2n ** 63n).toBe(true);
    }
  });
});
