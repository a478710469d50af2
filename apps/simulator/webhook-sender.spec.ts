import { startSimulator } from './simulator';
import type { Simulator } from './simulator';
import { at, control, eventually, FakeGateway, FB, graph, metaSignatureValid, sleep, X } from './testing/test-kit';

const SISTER_PAGE = { ...FB, pageId: '1000000000002', name: 'Acme Outlet', pageAccessToken: 'sim-page-token-2' };
const OTHER_APP_PAGE = {
  ...FB,
  pageId: '1000000000003',
  name: 'Acme Labs',
  pageAccessToken: 'sim-page-token-3',
  appSecret: 'another-app-secret',
};

describe('webhook sender', () => {
  const gateway = new FakeGateway();
  let sim: Simulator;

  beforeAll(async () => {
    await gateway.start();
    sim = await startSimulator({ port: 0, gatewayUrl: gateway.url, config: { retryScheduleMs: [30, 30] } });
  });

  afterEach(async () => {
    sim.flushWebhooks();
    await sim.idle();
    sim.reset();
    gateway.reset();
  });

  afterAll(async () => {
    await sim.close();
    await gateway.close();
  });

  describe('Facebook batching', () => {
    it('sends the entries of one window in a single POST signed over its exact bytes', async () => {
      sim.updateConfig({ pages: [FB, SISTER_PAGE], batch: { maxEntries: 10, windowMs: 150 } });
      const results = await Promise.all([
        sim.injectComment({ text: 'First' }),
        sim.injectMessage({ pageId: SISTER_PAGE.pageId, text: 'Second' }),
        sim.injectComment({ text: 'Third' }),
      ]);
      const deliveryIds = new Set(results.map((r) => r.delivery?.deliveryId));
      expect(deliveryIds.size).toBe(1);
      expect(results.map((r) => r.delivery?.state)).toEqual(['queued', 'queued', 'queued']);
      expect(gateway.on('/webhooks/facebook')).toHaveLength(0);

      await sim.idle();
      const posts = gateway.on('/webhooks/facebook');
      expect(posts).toHaveLength(1);
      const [post] = posts;
      expect(metaSignatureValid(post!)).toBe(true);
      const body: unknown = JSON.parse(post!.body);
      expect(at(body, 'object')).toBe('page');
      expect((at(body, 'entry') as unknown[]).map((_, i) => at(body, 'entry', i, 'id'))).toEqual([
        FB.pageId,
        SISTER_PAGE.pageId,
        FB.pageId,
      ]);
      expect(at(body, 'entry', 1, 'messaging', 0, 'message', 'text')).toBe('Second');
      const [delivery] = sim.deliveries();
      expect(delivery).toMatchObject({
        state: 'delivered',
        entries: 3,
        accounts: [FB.pageId, SISTER_PAGE.pageId],
        body: post!.body,
      });
    });

    it('starts a new POST once maxEntries is reached and keeps apps with other secrets apart', async () => {
      sim.updateConfig({ pages: [FB, SISTER_PAGE, OTHER_APP_PAGE], batch: { maxEntries: 2, windowMs: 100 } });
      await Promise.all([
        sim.injectComment({ text: 'a' }),
        sim.injectComment({ pageId: SISTER_PAGE.pageId, text: 'b' }),
        sim.injectComment({ text: 'c' }),
        sim.injectComment({ pageId: OTHER_APP_PAGE.pageId, text: 'd' }),
      ]);
      await sim.idle();
      const posts = gateway.on('/webhooks/facebook');
      const sizes = posts.map((p) => (at(JSON.parse(p.body), 'entry') as unknown[]).length).sort();
      expect(sizes).toEqual([1, 1, 2]);
      const otherApp = posts.find((p) => p.body.includes(`"id":"${OTHER_APP_PAGE.pageId}"`));
      expect(metaSignatureValid(otherApp!, OTHER_APP_PAGE.appSecret)).toBe(true);
      expect(metaSignatureValid(otherApp!)).toBe(false);
      for (const post of posts.filter((p) => p !== otherApp)) expect(metaSignatureValid(post)).toBe(true);
    });

    it('sends exact-text raw payloads on their own', async () => {
      sim.updateConfig({ batch: { maxEntries: 10, windowMs: 5000 } });
      const body = '{"object":"page","entry":[{"id":"1000000000001","time":1,"changes":[]}]}';
      const raw = await sim.injectRaw({ platform: 'facebook', body });
      expect(raw.delivery?.status).toBe(200);
      expect(gateway.on('/webhooks/facebook').map((c) => c.body)).toEqual([body]);
    });
  });

  describe('modes', () => {
    it('duplicate: POSTs every delivery `copies` times, the first two at the same moment', async () => {
      gateway.respondAfterMs = 250;
      const mode = await control(sim, 'POST', '/webhook-mode', { mode: 'duplicate', copies: 3 });
      expect(mode.status).toBe(200);
      expect(mode.json).toMatchObject({ mode: 'duplicate', copies: 3 });

      const injected = await sim.injectMention({});
      expect(injected.delivery).toMatchObject({ state: 'delivered', status: 200 });
      const posts = gateway.on('/webhooks/twitter');
      expect(posts).toHaveLength(3);
      expect(new Set(posts.map((p) => p.body)).size).toBe(1);
      const [first, second, third] = [...posts].sort((a, b) => a.startedAt - b.startedAt);
      // The first two overlap; the third starts after them.
      expect(second!.startedAt).toBeLessThan(first!.answeredAt);
      expect(third!.startedAt).toBeGreaterThanOrEqual(Math.min(first!.answeredAt, second!.answeredAt));
      expect(
        sim
          .deliveries()[0]
          ?.attempts.map((a) => a.copy)
          .sort(),
      ).toEqual([1, 2, 3]);
    });

    it('reorder: holds deliveries and releases them newest first', async () => {
      sim.setWebhookMode({ mode: 'reorder', windowMs: 60_000 });
      const injected: string[] = [];
      for (const text of ['one', 'two', 'three']) {
        const result = await sim.injectMention({ text: `@${X.handle} ${text}` });
        expect(result.delivery?.state).toBe('queued');
        injected.push(result.ids.tweetId);
      }
      await sleep(30);
      expect(gateway.on('/webhooks/twitter')).toHaveLength(0);
      expect(sim.webhookMode().queue.queued).toBe(3);

      expect(sim.flushWebhooks()).toEqual({ released: 3 });
      await sim.idle();
      const received = gateway.json('/webhooks/twitter').map((body) => at(body, 'tweet_create_events', 0, 'id_str'));
      expect(received).toEqual([...injected].reverse());
    });

    it('reorder: shuffles within the window and releases by itself', async () => {
      sim.setWebhookMode({ mode: 'reorder', windowMs: 300, order: 'shuffle' });
      const ids = await Promise.all(
        ['a', 'b', 'c', 'd'].map(async (text) => (await sim.injectDm({ text })).ids.eventId),
      );
      await sim.idle();
      const received = gateway
        .json('/webhooks/twitter')
        .map((body) => at(body, 'direct_message_events', 0, 'id') as string);
      expect([...received].sort()).toEqual([...ids].sort());
      expect(received).not.toEqual(ids);
    });

    it('slow: waits slowMs before each POST', async () => {
      sim.setWebhookMode({ mode: 'slow', slowMs: 150 });
      const started = Date.now();
      const injected = await sim.injectComment({ text: 'Anyone there?' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(injected.delivery?.status).toBe(200);
    });

    it('down: nothing reaches the gateway, retries wait for the recovery and then deliver', async () => {
      sim.setWebhookMode({ mode: 'down' });
      const injected = await sim.injectComment({ text: 'Hello?' });
      expect(injected.delivery).toMatchObject({
        state: 'retrying',
        status: null,
        error: expect.stringContaining('down') as unknown,
      });
      await sleep(120);
      expect(gateway.captured).toHaveLength(0);
      // The retry schedule is not used up while the gateway is unreachable.
      expect(sim.deliveries()[0]).toMatchObject({ state: 'retrying', attempts: [{ status: null }] });
      expect(sim.webhookMode().queue).toMatchObject({ waitingForRecovery: 1 });

      sim.setWebhookMode({ mode: 'normal' });
      await eventually(() => sim.deliveries()[0]?.state === 'delivered');
      expect(sim.deliveries()[0]?.attempts.map((a) => a.status)).toEqual([null, 200]);
      expect(gateway.on('/webhooks/facebook')).toHaveLength(1);
      expect(sim.webhookMode().queue.failing).toEqual([]);
    });

    it('is settable through the configuration and validated', async () => {
      const config = await control(sim, 'PUT', '/config', { webhookMode: { mode: 'slow', slowMs: 10 } });
      expect(at(config.json, 'webhookMode')).toEqual({
        mode: 'slow',
        slowMs: 10,
        copies: 2,
        windowMs: 1000,
        order: 'reverse',
      });
      const bad = await control(sim, 'POST', '/webhook-mode', { mode: 'sideways', copies: 0 });
      expect(bad.status).toBe(400);
      expect((at(bad.json, 'details') as Array<{ field: string }>).map((d) => d.field).sort()).toEqual([
        'copies',
        'mode',
      ]);
    });
  });

  describe('failing deliveries', () => {
    it('retries on the schedule and gives up when it is used up', async () => {
      gateway.failPosts = 10;
      await sim.injectMention({});
      await eventually(() => sim.deliveries()[0]?.state === 'failed');
      expect(sim.deliveries()[0]?.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
      expect(sim.webhookMode().queue.failing).toEqual([
        expect.objectContaining({ platform: 'twitter', accountId: X.userId, alerted: false }),
      ]);
    });

    it('unsubscribes a page after an hour of failures (simulator clock) until it subscribes again', async () => {
      expect((await graph(sim, `/${FB.pageId}/subscribed_apps`, { subscribed_fields: 'feed,messages' })).status).toBe(
        200,
      );
      sim.setWebhookMode({ mode: 'down' });
      await sim.injectMessage({ text: 'First try' });
      sim.setClock({ advanceSeconds: 20 * 60 });
      await sim.injectMessage({ text: 'Twenty minutes later' });
      expect(sim.webhookMode().queue.failing).toEqual([
        expect.objectContaining({ platform: 'facebook', accountId: FB.pageId, alerted: true, unsubscribed: false }),
      ]);

      sim.setClock({ advanceSeconds: 45 * 60 });
      await sim.injectMessage({ text: 'An hour later' });
      expect(sim.webhookMode().queue.failing[0]?.unsubscribed).toBe(true);
      expect((await graph(sim, `/${FB.pageId}/subscribed_apps`)).json).toEqual({ data: [] });
      expect(sim.deliveries().map((d) => d.state)).toEqual(['dropped', 'dropped', 'dropped']);

      sim.setWebhookMode({ mode: 'normal' });
      const whileUnsubscribed = await sim.injectMessage({ text: 'Anybody?' });
      expect(whileUnsubscribed.delivery).toMatchObject({ state: 'dropped', status: null });
      await sleep(80);
      expect(gateway.on('/webhooks/facebook')).toHaveLength(0);

      await graph(sim, `/${FB.pageId}/subscribed_apps`, { subscribed_fields: 'feed,messages' });
      const afterwards = await sim.injectMessage({ text: 'Back again' });
      expect(afterwards.delivery?.status).toBe(200);
    });

    it('keeps pages subscribed when auto-unsubscribe is off', async () => {
      sim.updateConfig({ autoUnsubscribeAfterMs: null });
      sim.setWebhookMode({ mode: 'down' });
      await sim.injectComment({ text: 'x' });
      sim.setClock({ advanceSeconds: 3 * 3600 });
      await sim.injectComment({ text: 'y' });
      expect(sim.webhookMode().queue.failing[0]).toMatchObject({ alerted: true, unsubscribed: false });
    });
  });
});
