import type { Simulator } from './simulator';
import { at, FakeGateway, str, X, xClient, xError, simulatorAgainst } from './testing/test-kit';

type Timeline = {
  data?: Array<Record<string, unknown>>;
  includes?: { users: Array<Record<string, unknown>> };
  meta: { result_count: number; newest_id?: string; oldest_id?: string; next_token?: string };
};

describe('X polling endpoints', () => {
  const gateway = new FakeGateway();
  let sim: Simulator;

  // A polling account, as Switchboard's `ingest: "poll"`: no webhooks at all.
  simulatorAgainst(gateway, { xAccounts: [{ ...X, webhook: false }] }, (started) => (sim = started));

  const mentions = (params: Record<string, string> = {}) =>
    xClient(sim).v2.get<Timeline>(`users/${X.userId}/mentions`, params);
  const dmEvents = (params: Record<string, string> = {}) => xClient(sim).v2.get<Timeline>('dm_events', params);

  it('pages through mentions newest first with next_token, since_id and until_id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await sim.injectMention({ text: `@${X.handle} question ${i}` })).ids.tweetId);
    expect(gateway.captured).toEqual([]);
    const newestFirst = [...ids].reverse();

    const first = await mentions({ max_results: '5' });
    expect(first.data?.map((t) => t.id)).toEqual(newestFirst.slice(0, 5));
    expect(first.meta).toEqual({
      result_count: 5,
      newest_id: newestFirst[0],
      oldest_id: newestFirst[4],
      next_token: expect.any(String) as unknown,
    });
    const second = await mentions({ max_results: '5', pagination_token: first.meta.next_token ?? '' });
    expect(second.data?.map((t) => t.id)).toEqual(newestFirst.slice(5));
    expect(second.meta.next_token).toBeUndefined();

    const newer = await mentions({ since_id: ids[4] ?? '' });
    expect(newer.data?.map((t) => t.id)).toEqual([ids[6], ids[5]]);
    expect(newer.meta.newest_id).toBe(ids[6]);
    const older = await mentions({ until_id: ids[2] ?? '' });
    expect(older.data?.map((t) => t.id)).toEqual([ids[1], ids[0]]);

    const nothingNew = await mentions({ since_id: ids[6] ?? '' });
    expect(nothingNew).toEqual({ meta: { result_count: 0 } });
  });

  it('honours tweet.fields, expansions and user.fields', async () => {
    const long = await sim.injectMention({ long: true, from: { id: '3800000000000000001', screen_name: 'longform' } });
    const page = await mentions({
      'tweet.fields': 'created_at,author_id,conversation_id,entities,note_tweet,in_reply_to_user_id',
      expansions: 'author_id',
      'user.fields': 'profile_image_url,public_metrics',
    });
    const [tweet] = page.data ?? [];
    expect(tweet).toMatchObject({
      id: long.ids.tweetId,
      author_id: '3800000000000000001',
      conversation_id: long.ids.tweetId,
      edit_history_tweet_ids: [long.ids.tweetId],
      entities: { mentions: [{ username: X.handle, id: X.userId }] },
    });
    expect(Date.parse(str(tweet, 'created_at'))).toBeCloseTo(sim.now().getTime(), -4);
    expect(Array.from(str(tweet, 'note_tweet', 'text')).length).toBeGreaterThan(280);
    expect(Array.from(str(tweet, 'text')).length).toBeLessThanOrEqual(280);
    expect(page.includes?.users).toEqual([
      {
        id: '3800000000000000001',
        name: expect.any(String) as unknown,
        username: 'longform',
        profile_image_url: expect.any(String) as unknown,
        public_metrics: {
          followers_count: expect.any(Number) as unknown,
          following_count: expect.any(Number) as unknown,
          tweet_count: expect.any(Number) as unknown,
          listed_count: 0,
        },
      },
    ]);

    const plain = await mentions();
    expect(Object.keys(plain.data?.[0] ?? {})).toEqual(['id', 'text', 'edit_history_tweet_ids']);
    expect(plain.includes).toBeUndefined();
  });

  it('shows the latest version of an edited mention', async () => {
    const original = await sim.injectMention({ text: `@${X.handle} typo` });
    const edit = await sim.injectTweetEdit({ tweetId: original.ids.tweetId, text: `@${X.handle} fixed` });
    const page = await mentions();
    expect(page.data).toEqual([
      {
        id: edit.ids.tweetId,
        text: `@${X.handle} fixed`,
        edit_history_tweet_ids: [original.ids.tweetId, edit.ids.tweetId],
      },
    ]);
  });

  it('rejects out-of-range max_results and unknown parameters', async () => {
    const tooFew = await xError(mentions({ max_results: '4' }));
    expect(tooFew.code).toBe(400);
    const sinceOnDms = await xError(dmEvents({ since_id: '1' }));
    expect(sinceOnDms.code).toBe(400);
    expect(at(sinceOnDms.data, 'errors', 0, 'message')).toEqual(
      expect.stringContaining('The query parameter [since_id] is not one of'),
    );
  });

  it('answers 429 with the reset header once the window is used up', async () => {
    sim.updateConfig({ rateLimits: { mentions: { limit: 2, windowSeconds: 900 } } });
    const response = await xClient(sim).v2.get<unknown>(`users/${X.userId}/mentions`, undefined, {
      fullResponse: true,
    });
    expect(response.headers['x-rate-limit-limit']).toBe('2');
    expect(response.headers['x-rate-limit-remaining']).toBe('1');
    await mentions();
    const limited = await xError(mentions());
    expect(limited.code).toBe(429);
    expect(limited.data).toEqual({
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    });
    expect(limited.headers['x-rate-limit-remaining']).toBe('0');
    const reset = Number(limited.headers['x-rate-limit-reset']);
    expect(reset).toBeGreaterThan(Date.now() / 1000 + 800);
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 900);
  });

  it('lists DM events newest first, both directions, with sender expansion', async () => {
    const customer = { id: '3800000000000000002', screen_name: 'dm_customer' };
    const first = await sim.injectDm({ from: customer, text: 'Hi' });
    const sent: unknown = await xClient(sim).v2.sendDmToParticipant(customer.id, { text: 'Hello! How can we help?' });
    const second = await sim.injectDm({ from: customer, text: 'My parcel' });
    const sentId = str(sent, 'data', 'dm_event_id');

    const page = await dmEvents({
      'dm_event.fields': 'id,event_type,text,sender_id,dm_conversation_id,created_at',
      expansions: 'sender_id',
      'user.fields': 'username',
    });
    expect(page.data?.map((e) => e.id)).toEqual([second.ids.eventId, sentId, first.ids.eventId]);
    expect(page.data?.[1]).toMatchObject({
      event_type: 'MessageCreate',
      text: 'Hello! How can we help?',
      sender_id: X.userId,
      dm_conversation_id: `${X.userId}-${customer.id}`,
    });
    expect(page.includes?.users.map((u) => u.username).sort()).toEqual(['acmecare', 'dm_customer']);
    expect(page.meta).toEqual({ result_count: 3 });

    const paged = await dmEvents({ max_results: '2' });
    expect(paged.data?.map((e) => e.id)).toEqual([second.ids.eventId, sentId]);
    const rest = await dmEvents({ max_results: '2', pagination_token: paged.meta.next_token ?? '' });
    expect(rest.data?.map((e) => e.id)).toEqual([first.ids.eventId]);
    expect(Object.keys(rest.data?.[0] ?? {})).toEqual(['id', 'event_type', 'text']);
  });

  it('looks users up by id and by username', async () => {
    const { ids } = await sim.injectMention({ from: { id: '3800000000000000003', screen_name: 'lookup_me' } });
    const byId = await xClient(sim).v2.get<unknown>(`users/${ids.authorId}`, { 'user.fields': 'public_metrics' });
    expect(at(byId, 'data')).toMatchObject({ id: ids.authorId, username: 'lookup_me', public_metrics: {} });
    const byName = await xClient(sim).v2.get<unknown>(`users/by/username/${X.handle}`);
    expect(byName).toEqual({ data: { id: X.userId, name: X.name, username: X.handle } });
    const missing = await xClient(sim).v2.get<unknown>('users/by/username/nobody_here');
    expect(at(missing, 'errors', 0)).toMatchObject({ title: 'Not Found Error', resource_type: 'user' });
  });
});
