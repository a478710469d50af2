import { PAGE_INBOX_APP_ID } from './facebook-injector';
import type { Simulator } from './simulator';
import { at, control, FakeGateway, FB, graph, metaSignatureValid, str, simulatorAgainst } from './testing/test-kit';

describe('Facebook events and Graph API extras', () => {
  const gateway = new FakeGateway();
  let sim: Simulator;

  simulatorAgainst(gateway, { retryScheduleMs: [] }, (started) => (sim = started));

  /** The last Page webhook, parsed, after checking its signature. */
  function lastWebhook(): unknown {
    const captured = gateway.on('/webhooks/facebook').at(-1);
    if (!captured) throw new Error('no Facebook webhook received');
    expect(metaSignatureValid(captured)).toBe(true);
    return JSON.parse(captured.body);
  }

  const messaging = () => at(lastWebhook(), 'entry', 0, 'messaging', 0);
  const feedValue = () => at(lastWebhook(), 'entry', 0, 'changes', 0, 'value');

  describe('feed', () => {
    it('injects a reaction on a comment', async () => {
      const comment = await sim.injectComment({ text: 'Great service', deliver: false });
      const before = Math.floor(sim.now().getTime() / 1000);
      const reaction = await sim.injectReaction({
        commentId: comment.ids.commentId,
        reaction: 'love',
        from: { id: '3400000000000001', name: 'Ana Lima' },
      });
      expect(feedValue()).toEqual({
        reaction_type: 'love',
        from: { id: '3400000000000001', name: 'Ana Lima' },
        parent_id: comment.ids.postId,
        comment_id: comment.ids.commentId,
        post_id: comment.ids.postId,
        verb: 'add',
        item: 'reaction',
        created_time: expect.any(Number) as unknown,
      });
      const createdTime = at(feedValue(), 'created_time') as number;
      expect(createdTime).toBeGreaterThanOrEqual(before);
      expect(createdTime).toBeLessThanOrEqual(Math.floor(sim.now().getTime() / 1000));
      expect(reaction.ids).toEqual({
        postId: comment.ids.postId,
        commentId: comment.ids.commentId,
        fromId: '3400000000000001',
      });
    });

    it('hides and unhides a comment', async () => {
      const comment = await sim.injectComment({ text: 'Spam spam', deliver: false });
      await sim.injectComment({ verb: 'hide', commentId: comment.ids.commentId });
      expect(feedValue()).toMatchObject({ item: 'comment', verb: 'hide', is_hidden: true, message: 'Spam spam' });
      expect(at((await graph(sim, `/${comment.ids.commentId}?fields=is_hidden`)).json, 'is_hidden')).toBe(true);
      await sim.injectComment({ verb: 'unhide', commentId: comment.ids.commentId });
      expect(feedValue()).toMatchObject({ verb: 'unhide', is_hidden: false });
    });

    it('injects the page’s own post', async () => {
      const post = await sim.injectPost({ text: 'Store closed on Monday', asPage: true });
      expect(feedValue()).toMatchObject({
        from: { id: FB.pageId, name: FB.name },
        item: 'status',
        verb: 'add',
        post_id: post.ids.postId,
      });
      expect(post.ids.fromId).toBe(FB.pageId);
    });

    it('hides, deletes and publishes through the Graph API', async () => {
      const comment = await sim.injectComment({ text: 'Buy followers here', deliver: false });
      const hide = await graph(sim, `/${comment.ids.commentId}`, { is_hidden: true });
      expect(hide).toMatchObject({ status: 200, json: { success: true } });
      const del = await graph(sim, `/${comment.ids.commentId}`, undefined, { method: 'DELETE' });
      expect(del.json).toEqual({ success: true });
      expect((await graph(sim, `/${comment.ids.commentId}/comments`, { message: 'x' })).status).toBe(400);

      const post = await graph(sim, `/${FB.pageId}/feed`, { message: 'Service update: all good.' });
      const postId = str(post.json, 'id');
      await sim.idle();
      expect(feedValue()).toMatchObject({ from: { id: FB.pageId }, item: 'status', post_id: postId });
      expect(sim.sent().map((s) => s.kind)).toEqual(['hide', 'delete', 'post']);
    });

    it('sends the dashboard test event under entry id "0"', async () => {
      const test = await sim.injectTest({});
      expect(test.delivery?.status).toBe(200);
      expect(at(lastWebhook(), 'entry', 0, 'id')).toBe('0');
      await sim.injectTest({ field: 'messages' });
      expect(at(lastWebhook(), 'entry', 0, 'messaging', 0, 'message', 'text')).toBe('test_message');
    });
  });

  describe('Messenger', () => {
    it('injects a Page Inbox echo with the Inbox app id, not the simulator app’s', async () => {
      const inbound = await sim.injectMessage({ text: 'Hello' });
      await sim.injectInboxEcho({ psid: inbound.ids.psid, text: 'Hi, Sam from support here' });
      expect(messaging()).toMatchObject({
        sender: { id: FB.pageId },
        recipient: { id: inbound.ids.psid },
        message: { is_echo: true, text: 'Hi, Sam from support here' },
      });
      const body = gateway.on('/webhooks/facebook').at(-1)!.body;
      expect(body).toContain(`"app_id":${PAGE_INBOX_APP_ID},`);
      expect(PAGE_INBOX_APP_ID).not.toBe(FB.appId);
    });

    it('injects delivery and read receipts for what the page sent', async () => {
      const inbound = await sim.injectMessage({ text: 'Hello' });
      const sent = await graph(sim, '/me/messages', { recipient: { id: inbound.ids.psid }, message: { text: 'Hi!' } });
      const mid = str(sent.json, 'message_id');
      await sim.idle();

      const delivery = await sim.injectDelivery({});
      expect(delivery.ids).toMatchObject({ psid: inbound.ids.psid, mids: [mid] });
      expect(messaging()).toEqual({
        sender: { id: inbound.ids.psid },
        recipient: { id: FB.pageId },
        delivery: { mids: [mid], watermark: delivery.ids.watermark },
      });
      // Already confirmed: the next receipt carries no mids, only the watermark.
      await sim.injectDelivery({ psid: inbound.ids.psid });
      expect(at(messaging(), 'delivery', 'mids')).toBeUndefined();

      const read = await sim.injectRead({ psid: inbound.ids.psid });
      expect(messaging()).toMatchObject({
        read: { watermark: read.ids.watermark },
        timestamp: expect.any(Number) as unknown,
      });
      const noRecipient = await control(sim, 'POST', '/inject/read', { pageId: FB.pageId, psid: 'abc' });
      expect(noRecipient.status).toBe(400);
    });

    it('injects a postback, which opens the window', async () => {
      const postback = await sim.injectPostback({ title: 'Track my order', payload: 'TRACK_ORDER' });
      expect(messaging()).toMatchObject({
        sender: { id: postback.ids.psid },
        postback: { mid: postback.ids.mid, title: 'Track my order', payload: 'TRACK_ORDER' },
      });
      const reply = await graph(sim, '/me/messages', {
        recipient: { id: postback.ids.psid },
        message: { text: 'Sure, your order number?' },
      });
      expect(reply.status).toBe(200);
    });

    it('injects standby events and message edits', async () => {
      const standby = await sim.injectStandby({ text: 'Are you a bot?' });
      const entry = at(lastWebhook(), 'entry', 0) as Record<string, unknown>;
      expect(entry.messaging).toBeUndefined();
      expect(at(entry, 'standby', 0, 'message')).toEqual({ mid: standby.ids.mid, text: 'Are you a bot?' });

      const message = await sim.injectMessage({ text: 'My order is 123' });
      const edit = await sim.injectMessageEdit({ mid: message.ids.mid, text: 'My order is 124' });
      expect(messaging()).toMatchObject({
        sender: { id: message.ids.psid },
        message_edit: { mid: message.ids.mid, text: 'My order is 124', num_edit: 1 },
      });
      expect(edit.ids.numEdit).toBe(1);
      await sim.injectMessageEdit({ mid: message.ids.mid, text: 'My order is 125' });
      expect(at(messaging(), 'message_edit', 'num_edit')).toBe(2);
    });

    it('sends stickers as sticker + image until 2026-08-30, then as sticker only', async () => {
      sim.setClock({ now: '2026-08-29T12:00:00Z' });
      await sim.injectMessage({ sticker: true });
      const before = at(messaging(), 'message', 'attachments') as Array<{ type: string }>;
      expect(before.map((a) => a.type)).toEqual(['sticker', 'image']);
      expect(gateway.on('/webhooks/facebook').at(-1)!.body).toContain('"sticker_id":369239263222822}');

      sim.setClock({ now: '2026-08-30T00:00:00Z' });
      await sim.injectMessage({ sticker: { id: '126362180881813' } });
      expect(at(messaging(), 'message', 'attachments')).toEqual([
        {
          type: 'sticker',
          payload: { url: expect.stringContaining('/_sim/stickers/') as unknown, sticker_id: 126362180881813 },
        },
      ]);
    });
  });

  describe('profiles', () => {
    it('answers the profile, an empty object or 2018218 depending on the person', async () => {
      const full = await sim.injectMessage({ text: 'a', from: { id: '3500000000000001', name: 'Mia Wong' } });
      const hidden = await sim.injectMessage({ text: 'b', from: { id: '3500000000000002', profile: 'none' } });
      const phone = await sim.injectMessage({ text: 'c', from: { id: '3500000000000003', profile: 'phone' } });
      const fields = '?fields=first_name,last_name,profile_pic';

      expect((await graph(sim, `/${full.ids.psid}${fields}`)).json).toEqual({
        first_name: 'Mia',
        last_name: 'Wong',
        profile_pic: expect.any(String) as unknown,
        id: full.ids.psid,
      });
      expect(await graph(sim, `/${hidden.ids.psid}${fields}`)).toMatchObject({ status: 200, json: {} });
      const noProfile = await graph(sim, `/${phone.ids.psid}${fields}`);
      expect(noProfile.status).toBe(400);
      expect(at(noProfile.json, 'error')).toEqual({
        message: 'No profile available for this user.',
        type: 'OAuthException',
        code: 100,
        error_subcode: 2018218,
        fbtrace_id: expect.any(String) as unknown,
      });
    });

    it('carries the commenter’s profile setting to the PSID of a private reply', async () => {
      const comment = await sim.injectComment({ text: 'Help', from: { id: '3500000000000004', profile: 'phone' } });
      const privateReply = await graph(sim, '/me/messages', {
        recipient: { comment_id: comment.ids.commentId },
        message: { text: 'We sent you a message' },
      });
      const psid = str(privateReply.json, 'recipient_id');
      expect(at((await graph(sim, `/${psid}?fields=first_name`)).json, 'error', 'error_subcode')).toBe(2018218);
    });
  });

  describe('Graph error injection', () => {
    it('injects rate-limit codes with the usage headers', async () => {
      const inbound = await sim.injectMessage({ text: 'hi', deliver: false });
      const armed = await control(sim, 'POST', '/fail-next', { graphError: 613, count: 2 });
      expect(armed.status).toBe(200);
      expect(at(armed.json, 'rule')).toMatchObject({ graphError: 613, status: 400, count: 2 });
      const send = () => graph(sim, '/me/messages', { recipient: { id: inbound.ids.psid }, message: { text: 'x' } });

      const limited = await send();
      expect(limited.status).toBe(400);
      expect(at(limited.json, 'error')).toMatchObject({
        message: '(#613) Calls to this api have exceeded the rate limit.',
        type: 'OAuthException',
        code: 613,
        fbtrace_id: expect.stringMatching(/^[A-Za-z0-9]{11}$/) as unknown,
      });
      const usage: unknown = JSON.parse(limited.headers.get('x-business-use-case-usage') ?? '{}');
      expect(at(usage, FB.pageId, 0)).toMatchObject({
        type: 'pages',
        call_count: 100,
        estimated_time_to_regain_access: 5,
      });
      expect((await send()).status).toBe(400);
      expect((await send()).status).toBe(200);

      for (const code of [4, 17, 32]) {
        sim.failNext({ graphError: code });
        const response = await send();
        expect(at(response.json, 'error', 'code')).toBe(code);
        expect(at(response.json, 'error', 'message')).toMatch(new RegExp(`^\\(#${code}\\) `));
        expect(JSON.parse(response.headers.get('x-app-usage') ?? '{}')).toMatchObject({ call_count: 100 });
      }
      const unknownCode = await control(sim, 'POST', '/fail-next', { graphError: 12345 });
      expect(unknownCode.status).toBe(400);
    });
  });

  describe('dashboard', () => {
    it('shows recent deliveries and sent messages to browsers, JSON to tools', async () => {
      const inbound = await sim.injectMessage({ text: 'Hello <there>' });
      await graph(sim, '/me/messages', { recipient: { id: inbound.ids.psid }, message: { text: 'Hi & welcome' } });
      await sim.idle();
      const html = await fetch(`${sim.url}/`, { headers: { accept: 'text/html' } });
      expect(html.headers.get('content-type')).toContain('text/html');
      const page = await html.text();
      expect(page).toContain('Recent webhook deliveries');
      expect(page).toContain('message echo');
      expect(page).toContain('Hi &#38; welcome');
      expect(page).not.toContain('Hello <there>');
      const json = await fetch(`${sim.url}/`);
      expect(await json.json()).toMatchObject({ name: 'switchboard-simulator' });
    });
  });
});
