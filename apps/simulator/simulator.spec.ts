import type { Simulator } from './simulator';
import {
  at,
  control,
  eventually,
  FakeGateway,
  FB,
  GRAPH,
  graph,
  metaSignatureValid,
  str,
  X,
  xClient,
  xError,
  xSignatureValid,
  simulatorAgainst,
} from './testing/test-kit';

describe('platform simulator (in process)', () => {
  const gateway = new FakeGateway();
  let sim: Simulator;

  simulatorAgainst(gateway, { retryScheduleMs: [20, 20] }, (started) => (sim = started));

  describe('X', () => {
    it('delivers a signed mention with bare 64-bit ids and accepts a reply through twitter-api-v2', async () => {
      const mention = await sim.injectMention({});
      const { tweetId, authorId } = mention.ids;
      expect(mention.delivery?.status).toBe(200);

      const [webhook] = gateway.on('/webhooks/twitter');
      expect(webhook).toBeDefined();
      expect(xSignatureValid(webhook!)).toBe(true);
      expect(webhook!.body).toContain(`"id":${tweetId},"id_str":"${tweetId}"`);
      expect(webhook!.body).toMatch(new RegExp(`"user":\\{"id":${authorId},"id_str":"${authorId}"`));
      expect(tweetId).toMatch(/^\d{19}$/);
      const parsed: unknown = JSON.parse(webhook!.body);
      expect(at(parsed, 'for_user_id')).toBe(X.userId);
      expect(at(parsed, 'tweet_create_events', 0, 'text')).toMatch(new RegExp(`^@${X.handle} `));
      expect(at(parsed, 'tweet_create_events', 0, 'entities', 'user_mentions', 0, 'id_str')).toBe(X.userId);
      expect(at(parsed, 'tweet_create_events', 0, 'user')).toMatchObject({
        screen_name: expect.stringMatching(/^customer_\d+$/) as unknown,
        followers_count: expect.any(Number) as unknown,
        profile_image_url_https: expect.any(String) as unknown,
      });

      const client = xClient(sim);
      const reply = await client.v2.reply('Sorry about that, we are on it!', tweetId);
      const replyId = reply.data.id;
      expect(replyId).toMatch(/^\d{19}$/);
      expect(reply.data).toEqual({
        id: replyId,
        text: 'Sorry about that, we are on it!',
        edit_history_tweet_ids: [replyId],
      });
      expect(sim.sent({ kind: 'tweet' })).toEqual([
        expect.objectContaining({
          platform: 'twitter',
          id: replyId,
          accountId: X.userId,
          target: tweetId,
          text: 'Sorry about that, we are on it!',
        }),
      ]);

      await sim.idle();
      const echo = gateway.on('/webhooks/twitter')[1];
      expect(echo).toBeDefined();
      expect(xSignatureValid(echo!)).toBe(true);
      const event = at(JSON.parse(echo!.body), 'tweet_create_events', 0);
      expect(at(event, 'user', 'id_str')).toBe(X.userId);
      expect(at(event, 'in_reply_to_status_id_str')).toBe(tweetId);
      expect(echo!.body).toContain(`"in_reply_to_status_id":${tweetId},`);
    });

    it('sends rate-limit headers and answers 429 once a window is used up', async () => {
      sim.updateConfig({ rateLimits: { usersMe: { limit: 2, windowSeconds: 60 } } });
      const client = xClient(sim);
      const first = await client.v2.get('users/me', undefined, { fullResponse: true });
      expect(first.data).toEqual({ data: { id: X.userId, name: X.name, username: X.handle } });
      expect(first.rateLimit).toMatchObject({ limit: 2, remaining: 1 });
      await client.v2.me();
      const error = await xError(client.v2.me());
      expect(error.code).toBe(429);
      expect(error.rateLimitError).toBe(true);
      expect(error.data).toEqual({
        title: 'Too Many Requests',
        detail: 'Too Many Requests',
        type: 'about:blank',
        status: 429,
      });
      expect(error.rateLimit?.reset).toBeGreaterThan(Date.now() / 1000);

      const tweet = await client.v2.post('tweets', { text: 'Service update: all good.' }, { fullResponse: true });
      expect(tweet.headers['x-user-limit-24hour-limit']).toBe('2400');
      expect(tweet.headers['x-rate-limit-remaining']).toBe('99');
    });

    it('rejects a wrong consumer secret with 401', async () => {
      const error = await xError(xClient(sim, { appSecret: 'not-the-secret' }).v2.reply('hi', '1'));
      expect(error.code).toBe(401);
      expect(error.data).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
      expect(sim.sent()).toEqual([]);
    });

    it('enforces the reply restriction and duplicate content', async () => {
      const client = xClient(sim);
      const unrelated = await sim.injectMention({ text: 'Nice weather today', deliver: false });
      const restricted = await xError(client.v2.reply('Hello!', unrelated.ids.tweetId));
      expect(restricted.code).toBe(403);
      expect(restricted.data.detail).toBe(
        'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.',
      );

      sim.updateConfig({ replyRestriction: false });
      await client.v2.reply('Hello!', unrelated.ids.tweetId);
      const duplicate = await xError(client.v2.tweet('Hello!'));
      expect(duplicate.code).toBe(403);
      expect(duplicate.data).toEqual({
        detail: 'You are not allowed to create a Tweet with duplicate content.',
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
      });
    });

    it('sends a DM and echoes it', async () => {
      const inbound = await sim.injectDm({ text: 'Hi, my parcel is late' });
      const customer = inbound.ids.senderId;
      const [webhook] = gateway.on('/webhooks/twitter');
      expect(xSignatureValid(webhook!)).toBe(true);
      const payload: unknown = JSON.parse(webhook!.body);
      expect(at(payload, 'direct_message_events', 0, 'message_create', 'sender_id')).toBe(customer);
      expect(Object.keys(at(payload, 'users') as object).sort()).toEqual([customer, X.userId].sort());

      // twitter-api-v2 types the result without the `data` wrapper, but it returns the body as is, and X wraps it.
      const result: unknown = await xClient(sim).v2.sendDmToParticipant(customer, {
        text: 'Could you share your order number?',
      });
      const sent = (result as { data: { dm_conversation_id: string; dm_event_id: string } }).data;
      const [low, high] = [customer, X.userId].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      expect(sent.dm_conversation_id).toBe(`${low}-${high}`);
      expect(sent.dm_conversation_id).toBe(inbound.ids.conversationId);
      expect(sim.sent({ platform: 'twitter', kind: 'dm' })).toEqual([
        expect.objectContaining({ id: sent.dm_event_id, target: customer, text: 'Could you share your order number?' }),
      ]);

      await sim.idle();
      const echo: unknown = JSON.parse(gateway.on('/webhooks/twitter')[1]!.body);
      expect(at(echo, 'for_user_id')).toBe(X.userId);
      expect(at(echo, 'direct_message_events', 0)).toMatchObject({
        id: sent.dm_event_id,
        message_create: { sender_id: X.userId, target: { recipient_id: customer } },
      });
    });

    it('serves the mentions timeline for polling, newest first', async () => {
      const first = await sim.injectMention({ deliver: false });
      const second = await sim.injectMention({ deliver: false });
      type Timeline = { data: Array<{ id: string; author_id: string }>; includes: { users: Array<{ id: string }> } };
      const response = await xClient(sim).v2.get<Timeline>(`users/${X.userId}/mentions`, {
        expansions: 'author_id',
        'tweet.fields': 'created_at,author_id',
      });
      expect(response.data.map((t) => t.id)).toEqual([second.ids.tweetId, first.ids.tweetId]);
      expect(response.data[0]?.author_id).toBe(second.ids.authorId);
      expect(response.includes.users.map((u) => u.id).sort()).toEqual([first.ids.authorId, second.ids.authorId].sort());
      const newer = await xClient(sim).v2.get<unknown>(`users/${X.userId}/mentions`, { since_id: second.ids.tweetId });
      expect(newer).toEqual({ meta: { result_count: 0 } });
    });
  });

  describe('Graph API', () => {
    it('answers a comment publicly and echoes the page comment', async () => {
      const comment = await sim.injectComment({
        text: 'Where is my order?',
        from: { id: '3100000000000001', name: 'Jane Doe' },
      });
      const [webhook] = gateway.on('/webhooks/facebook');
      expect(metaSignatureValid(webhook!)).toBe(true);
      const change = at(JSON.parse(webhook!.body), 'entry', 0, 'changes', 0);
      expect(change).toMatchObject({
        field: 'feed',
        value: { item: 'comment', verb: 'add', comment_id: comment.ids.commentId, parent_id: comment.ids.postId },
      });

      const reply = await graph(sim, `/${comment.ids.commentId}/comments`, { message: 'We have sent you a DM.' });
      expect(reply.status).toBe(200);
      const postObject = comment.ids.postId.split('_')[1];
      const replyId = str(reply.json, 'id');
      expect(replyId).toMatch(new RegExp(`^${postObject}_\\d+$`));
      expect(sim.sent({ platform: 'facebook' })).toEqual([
        expect.objectContaining({ kind: 'comment_reply', id: replyId, target: comment.ids.commentId }),
      ]);

      await sim.idle();
      const echo = gateway.on('/webhooks/facebook')[1];
      expect(metaSignatureValid(echo!)).toBe(true);
      expect(at(JSON.parse(echo!.body), 'entry', 0, 'changes', 0, 'value')).toMatchObject({
        from: { id: FB.pageId, name: FB.name },
        comment_id: replyId,
        parent_id: comment.ids.commentId,
      });
    });

    it('accepts form-encoded replies with the token in the body', async () => {
      const comment = await sim.injectComment({ text: 'Hello?', deliver: false });
      const response = await fetch(`${sim.url}${GRAPH}/${comment.ids.commentId}/comments`, {
        method: 'POST',
        body: new URLSearchParams({ message: 'Hi there', access_token: FB.pageAccessToken }),
      });
      expect(response.status).toBe(200);
    });

    it('rejects unknown tokens and objects in Graph error shape', async () => {
      const bad = await graph(
        sim,
        '/me/messages',
        { recipient: { id: '1' }, message: { text: 'x' } },
        { token: 'nope' },
      );
      expect(bad.status).toBe(400);
      expect(bad.json).toEqual({
        error: {
          message: 'Invalid OAuth access token - Cannot parse access token',
          type: 'OAuthException',
          code: 190,
          fbtrace_id: expect.stringMatching(/^[A-Za-z0-9]{11}$/) as unknown,
        },
      });
      const unknown = await graph(sim, '/123_456/comments', { message: 'x' });
      expect(unknown.status).toBe(400);
      expect(at(unknown.json, 'error')).toMatchObject({
        code: 100,
        message: expect.stringContaining('Unsupported post request') as unknown,
      });
    });

    it('enforces the Messenger windows by the simulator clock', async () => {
      const inbound = await sim.injectMessage({ from: { id: '3200000000000001', name: 'Omar Haddad' }, text: 'Hello' });
      const psid = inbound.ids.psid;
      const send = (extra: Record<string, unknown> = {}) =>
        graph(sim, `/${FB.pageId}/messages`, {
          recipient: { id: psid },
          messaging_type: 'RESPONSE',
          message: { text: 'Hi!' },
          ...extra,
        });

      const inside = await send();
      expect(inside.status).toBe(200);
      expect(inside.json).toEqual({ recipient_id: psid, message_id: expect.stringMatching(/^m_/) as unknown });

      sim.setClock({ advanceSeconds: 25 * 3600 });
      const outside = await send();
      expect(outside.status).toBe(400);
      expect(at(outside.json, 'error')).toEqual({
        message:
          '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
        type: 'OAuthException',
        code: 10,
        error_subcode: 2018278,
        fbtrace_id: expect.any(String) as unknown,
      });
      const humanAgent = await send({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
      expect(humanAgent.status).toBe(200);
      const deprecated = await send({ messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' });
      expect(at(deprecated.json, 'error', 'code')).toBe(100);

      sim.setClock({ advanceSeconds: 7 * 24 * 3600 });
      const tooLate = await send({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
      expect(at(tooLate.json, 'error')).toMatchObject({ code: 10, error_subcode: 2018278 });
      expect(sim.sent({ kind: 'messenger' })).toHaveLength(2);

      await sim.idle();
      const echo = gateway.on('/webhooks/facebook').find((c) => c.body.includes('"is_echo":true'));
      expect(echo).toBeDefined();
      expect(metaSignatureValid(echo!)).toBe(true);
      expect(echo!.body).toContain(`"app_id":${FB.appId},`);
      expect(at(JSON.parse(echo!.body), 'entry', 0, 'messaging', 0)).toMatchObject({
        sender: { id: FB.pageId },
        recipient: { id: psid },
      });
    });

    it('allows one private reply per comment and opens the window for the commenter', async () => {
      const comment = await sim.injectComment({
        text: 'My card was charged twice',
        from: { id: '3300000000000001', name: 'Mei Chen' },
      });
      const privateReply = () =>
        graph(sim, '/me/messages', {
          recipient: { comment_id: comment.ids.commentId },
          message: { text: 'Let us sort this out in private.' },
        });
      const first = await privateReply();
      expect(first.status).toBe(200);
      const psid = str(first.json, 'recipient_id');
      expect(psid).toMatch(/^\d{16}$/);
      const second = await privateReply();
      expect(at(second.json, 'error')).toMatchObject({ code: 10900, message: '(#10900) Activity already replied to' });

      const followUp = await graph(sim, '/me/messages', {
        recipient: { id: psid },
        message: { text: 'Anything else?' },
      });
      expect(followUp.status).toBe(200);
      const profile = await graph(sim, `/${psid}?fields=first_name,last_name,profile_pic`);
      expect(profile.json).toEqual({
        first_name: 'Mei',
        last_name: 'Chen',
        profile_pic: expect.any(String) as unknown,
        id: psid,
      });
      expect(sim.sent().map((s) => s.kind)).toEqual(['private_reply', 'messenger']);
      expect(sim.sent({ kind: 'private_reply' })[0]).toMatchObject({
        target: comment.ids.commentId,
        recipientId: psid,
      });
    });

    it('escapes non-ASCII text in webhooks and signs the escaped bytes', async () => {
      await sim.injectMessage({ text: 'äöå, café/crème' });
      const [webhook] = gateway.on('/webhooks/facebook');
      expect(webhook!.body).toContain('"text":"\\u00e4\\u00f6\\u00e5, caf\\u00e9\\/cr\\u00e8me"');
      expect(/[^\x00-\x7f]/.test(webhook!.body)).toBe(false);
      expect(metaSignatureValid(webhook!)).toBe(true);
    });
  });

  describe('control API and delivery', () => {
    it('injects over HTTP and reports what was sent', async () => {
      const injected = await control(sim, 'POST', '/inject/mention', {});
      expect(injected.status).toBe(200);
      const tweetId = str(injected.json, 'ids', 'tweetId');
      expect(injected.text).toContain(`"id":${tweetId},"id_str":"${tweetId}"`);
      expect(at(injected.json, 'delivery', 'status')).toBe(200);

      await xClient(sim).v2.reply('Thanks for reaching out', tweetId);
      const sent = await control(sim, 'GET', '/sent?platform=twitter&kind=tweet');
      expect(sent.json).toEqual([expect.objectContaining({ target: tweetId, kind: 'tweet' })]);
    });

    it('answers bad input with 400 and the fields at fault', async () => {
      const bad = await control(sim, 'POST', '/inject/comment', { text: 5, from: { id: 'abc' } });
      expect(bad.status).toBe(400);
      expect(at(bad.json, 'error')).toEqual(expect.any(String));
      expect((at(bad.json, 'details') as Array<{ field: string }>).map((d) => d.field).sort()).toEqual([
        'from.id',
        'text',
      ]);
      const config = await control(sim, 'PUT', '/config', { echoes: 'yes' });
      expect(config.status).toBe(400);
      expect(at(config.json, 'details')).toEqual([{ field: 'echoes', message: 'must be a boolean' }]);
      const unknownPage = await control(sim, 'POST', '/inject/message', { pageId: '42', text: 'hi' });
      expect(unknownPage.status).toBe(400);
    });

    it('fails the next matching API call on request', async () => {
      const inbound = await sim.injectMessage({ text: 'hi', deliver: false });
      const armed = await control(sim, 'POST', '/fail-next', {
        method: 'POST',
        pathPattern: '/messages$',
        status: 503,
      });
      expect(armed.status).toBe(200);
      const body = { recipient: { id: inbound.ids.psid }, message: { text: 'hello' } };
      const failed = await graph(sim, '/me/messages', body);
      expect(failed.status).toBe(503);
      expect(at(failed.json, 'error')).toMatchObject({ code: 2, is_transient: true });
      expect((await graph(sim, '/me/messages', body)).status).toBe(200);
    });

    it('retries a failed webhook delivery in the background', async () => {
      gateway.failPosts = 1;
      const injected = await sim.injectMention({});
      expect(injected.delivery?.status).toBe(500);
      await eventually(() => sim.deliveries()[0]?.state === 'delivered');
      const [delivery] = sim.deliveries();
      expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 200]);
      const bodies = gateway.on('/webhooks/twitter').map((c) => c.body);
      expect(bodies).toHaveLength(2);
      expect(bodies[0]).toBe(bodies[1]);
    });

    it('runs the Meta verification and X CRC handshakes against the gateway', async () => {
      expect(await sim.verifyFacebookWebhook()).toMatchObject({ ok: true, status: 200 });
      expect(await sim.verifyFacebookWebhook({ verifyToken: 'wrong' })).toMatchObject({ ok: false, status: 403 });
      expect(await sim.checkTwitterCrc()).toMatchObject({ ok: true, status: 200 });
      const viaHttp = await control(sim, 'POST', '/handshake/twitter', {});
      expect(at(viaHttp.json, 'ok')).toBe(true);
    });

    it('makes objects of raw fixtures known, so the backend can answer them', async () => {
      const fixture =
        '{"for_user_id":"2000000000001","user_has_blocked":false,"tweet_create_events":[{"created_at":"Fri Dec 13 04:48:09 +0000 2019",' +
        '"id":1205348660982083584,"id_str":"1205348660982083584","text":"@acmecare help please","in_reply_to_status_id":null,' +
        '"in_reply_to_status_id_str":null,"user":{"id":1205290247124217856,"id_str":"1205290247124217856","name":"pennbrooke",' +
        '"screen_name":"pennbrooke1","followers_count":0},"entities":{"user_mentions":[{"screen_name":"acmecare","id":2000000000001,' +
        '"id_str":"2000000000001","indices":[0,9]}]},"timestamp_ms":"1576212489730"}]}';
      const raw = await sim.injectRaw({ platform: 'twitter', body: fixture });
      expect(raw.delivery?.status).toBe(200);
      const [webhook] = gateway.on('/webhooks/twitter');
      expect(webhook!.body).toBe(fixture);
      expect(xSignatureValid(webhook!)).toBe(true);
      const reply = await xClient(sim).v2.reply('On it!', '1205348660982083584');
      expect(reply.data.text).toBe('On it!');

      const feed = {
        object: 'page',
        entry: [
          {
            id: FB.pageId,
            time: 1767225600,
            changes: [
              {
                field: 'feed',
                value: {
                  from: { id: '24242424', name: 'Jane Doe' },
                  item: 'comment',
                  comment_id: '111_222',
                  post_id: `${FB.pageId}_111`,
                  verb: 'add',
                  parent_id: `${FB.pageId}_111`,
                  created_time: Math.floor(sim.now().getTime() / 1000),
                  message: 'Où est ma commande ?',
                },
              },
            ],
          },
        ],
      };
      await sim.injectRaw({ platform: 'facebook', body: feed });
      const [fbWebhook] = gateway.on('/webhooks/facebook');
      expect(metaSignatureValid(fbWebhook!)).toBe(true);
      expect(fbWebhook!.body).toContain('"message":"O\\u00f9 est ma commande ?"');
      expect((await graph(sim, '/111_222/comments', { message: 'Merci !' })).status).toBe(200);
      const privateReply = await graph(sim, '/me/messages', {
        recipient: { comment_id: '111_222' },
        message: { text: 'Bonjour' },
      });
      expect(privateReply.status).toBe(200);
    });

    it('injects edits and deletions', async () => {
      const comment = await sim.injectComment({ text: 'Typo', deliver: false });
      const edited = await sim.injectComment({ verb: 'edited', commentId: comment.ids.commentId, text: 'Fixed' });
      expect(at(edited.payload, 'entry', 0, 'changes', 0, 'value')).toMatchObject({
        verb: 'edited',
        comment_id: comment.ids.commentId,
        message: 'Fixed',
      });
      const removed = await sim.injectComment({ verb: 'remove', commentId: comment.ids.commentId });
      expect(at(removed.payload, 'entry', 0, 'changes', 0, 'value', 'verb')).toBe('remove');
      expect((await graph(sim, `/${comment.ids.commentId}/comments`, { message: 'x' })).status).toBe(400);

      const mention = await sim.injectMention({ deliver: false });
      const deleted = await sim.injectTweetDelete({ tweetId: mention.ids.tweetId });
      expect(deleted.rawBody).toContain(`"tweet_delete_events":[{"status":{"id":"${mention.ids.tweetId}"`);
      const error = await xError(xClient(sim).v2.reply('Hello?', mention.ids.tweetId));
      expect(error.code).toBe(400);
    });

    it('reset forgets objects and restores the configuration', async () => {
      const comment = await sim.injectComment({ text: 'hello', deliver: false });
      sim.updateConfig({ echoes: false });
      sim.reset();
      expect(sim.config().echoes).toBe(true);
      expect((await graph(sim, `/${comment.ids.commentId}/comments`, { message: 'x' })).status).toBe(400);
    });
  });
});
