import { ApiResponseError } from 'twitter-api-v2';
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from '../../../apps/simulator/simulator';
import type { MessageEvent, NormalizedEvent } from '../types';
import { TwitterClient, XRateLimitedError, type TwitterCredentials } from './twitter.client';
import { parseTwitterWebhook } from './twitter-webhook.parser';

/*
 * fetchMentions / fetchDmEvents against the simulator's X API, in process. Injections are not delivered
 * (`deliver: false`): their webhook body is parsed here instead, to check that polling and webhooks yield the same events.
 */

const X = SIMULATOR_DEFAULTS.twitter;
const credentials: TwitterCredentials = {
  consumerKey: X.consumerKey,
  consumerSecret: X.consumerSecret,
  accessToken: X.accessToken,
  accessTokenSecret: X.accessTokenSecret,
};
const CUSTOMER = { id: '3800000000000000042', screen_name: 'jane_doe', name: 'Jane Doe', followers_count: 12 };

let sim: Simulator;
let client: TwitterClient;

beforeAll(async () => {
  // Nothing is delivered: the gateway URL is never called.
  sim = await startSimulator({ port: 0, gatewayUrl: 'http://127.0.0.1:9', config: { echoes: false } });
  client = new TwitterClient({ apiUrl: sim.url });
});

afterEach(() => sim.reset());

afterAll(async () => {
  await sim.close();
});

const mentions = (sinceId: string | null) => client.fetchMentions({ credentials, userId: X.userId, sinceId });
const dmEvents = (lastSeenId: string | null) =>
  client.fetchDmEvents({ credentials, accountUserId: X.userId, lastSeenId });
const ids = (events: MessageEvent[]) => events.map((event) => event.platformMessageId);
const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : 1);

async function injectMentions(count: number): Promise<string[]> {
  const injected: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { ids: created } = await sim.injectMention({ text: `@${X.handle} question ${i}`, deliver: false });
    injected.push(created.tweetId);
  }
  return injected;
}

/** The one message a webhook body holds, without `raw` (which differs by design: v1.1 object vs v2 object). */
function webhookMessage(rawBody: string): Omit<MessageEvent, 'raw'> {
  const [event] = parseTwitterWebhook(JSON.parse(rawBody));
  if (event?.kind !== 'message') throw new Error(`no message in ${rawBody}`);
  return withoutRaw(event);
}

function withoutRaw<T extends NormalizedEvent>(event: T): Omit<T, 'raw'> {
  const { raw: _raw, ...rest } = event;
  return rest;
}

describe('TwitterClient.fetchMentions', () => {
  it('reads only the newest page on a first poll, then everything newer than since_id, oldest first', async () => {
    const history = await injectMentions(105);
    const first = await mentions(null);
    expect(ids(first.events)).toEqual(history.slice(5));
    expect(first.newestId).toBe(history[104]);

    const newer = await injectMentions(150);
    const second = await mentions(first.newestId);
    expect(ids(second.events)).toEqual(newer);
    expect(second.newestId).toBe(newer[149]);

    const idle = await mentions(second.newestId);
    expect(idle).toEqual({ events: [], newestId: second.newestId });
  });

  it.each(['aaa', 'xaa'] as const)('yields what the %s webhook yields for the same posts', async (format) => {
    sim.updateConfig({ xWebhookFormat: format });
    const bodies = new Map<string, string>();
    const remember = ({ ids: created, rawBody }: { ids: { tweetId: string }; rawBody: string }) => {
      bodies.set(created.tweetId, rawBody);
      return created.tweetId;
    };
    const question = remember(await sim.injectMention({ from: CUSTOMER, deliver: false }));
    remember(await sim.injectMention({ from: CUSTOMER, long: true, deliver: false }));
    remember(await sim.injectMention({ from: CUSTOMER, inReplyToStatusId: question, deliver: false }));
    remember(await sim.injectQuote({ from: CUSTOMER, text: `@${X.handle} this again?`, deliver: false }));
    const edited = await sim.injectTweetEdit({ tweetId: question, text: `@${X.handle} edited`, deliver: false });
    remember(edited);
    // The timeline shows only the latest version of an edited post.
    bodies.delete(question);

    const { events } = await mentions(null);
    expect(ids(events)).toEqual([...bodies.keys()].sort(byId));
    for (const event of events) {
      expect(withoutRaw(event)).toEqual(webhookMessage(bodies.get(event.platformMessageId) ?? ''));
    }
    expect(events.find((event) => event.platformMessageId === edited.ids.tweetId)).toMatchObject({
      editOf: question,
      text: `@${X.handle} edited`,
    });
  });
});

describe('TwitterClient.fetchDmEvents', () => {
  it.each(['aaa', 'xaa'] as const)('yields what the %s webhook yields for the same DMs', async (format) => {
    sim.updateConfig({ xWebhookFormat: format });
    const inbound = await sim.injectDm({ from: CUSTOMER, text: 'My parcel is late', deliver: false });
    const ours = await sim.injectOwnDm({ to: CUSTOMER, text: 'Sorry! Which order?', deliver: false });
    const again = await sim.injectDm({ from: CUSTOMER, text: '#A1042', deliver: false });

    const { events, newestId } = await dmEvents(null);
    expect(events.map(withoutRaw)).toEqual([inbound, ours, again].map(({ rawBody }) => webhookMessage(rawBody)));
    expect(events.map((event) => [event.fromAccount, event.thread])).toEqual([
      [false, { kind: 'key', conversationKey: inbound.ids.conversationId }],
      [true, { kind: 'key', conversationKey: inbound.ids.conversationId }],
      [false, { kind: 'key', conversationKey: inbound.ids.conversationId }],
    ]);
    expect(newestId).toBe(again.ids.eventId);
  });

  it('pages back until the last seen event, and returns the cursor unchanged when nothing is new', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 130; i += 1) {
      sent.push((await sim.injectDm({ from: CUSTOMER, text: `message ${i}`, deliver: false })).ids.eventId);
    }
    const lastSeen = sent[9] ?? '';
    const result = await dmEvents(lastSeen);
    expect(ids(result.events)).toEqual(sent.slice(10));
    expect(result.newestId).toBe(sent[129]);
    expect(await dmEvents(result.newestId)).toEqual({ events: [], newestId: result.newestId });
  });

  it('reads only the newest page on a first poll', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 101; i += 1) {
      sent.push((await sim.injectDm({ from: CUSTOMER, text: `m${i}`, deliver: false })).ids.eventId);
    }
    expect(ids((await dmEvents(null)).events)).toEqual(sent.slice(1));
  });
});

describe('rate limits', () => {
  it('throws XRateLimitedError with the reset of the exhausted window', async () => {
    sim.updateConfig({ rateLimits: { mentions: { limit: 1, windowSeconds: 900 } } });
    const before = Date.now();
    await mentions(null);
    const after = Date.now();
    const error = await mentions(null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(XRateLimitedError);
    const resetAt = (error as XRateLimitedError).resetAt.getTime();
    // The simulator's window opened with the first call and resets 900 s later, in whole seconds.
    expect(resetAt).toBeGreaterThanOrEqual(Math.ceil((before + 900_000) / 1000) * 1000);
    expect(resetAt).toBeLessThanOrEqual(Math.ceil((after + 900_000) / 1000) * 1000);
  });

  it.each([
    ['x-rate-limit-* headers', { 'x-rate-limit-limit': '15', 'x-rate-limit-remaining': '0' }],
    ['only x-rate-limit-reset', {}],
  ])('reads the reset time from %s', async (_case, headers) => {
    sim.failNext({
      pathPattern: '^/2/dm_events$',
      status: 429,
      headers: { ...headers, 'x-rate-limit-reset': '1900000000' },
    });
    const error = await dmEvents(null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(XRateLimitedError);
    expect((error as XRateLimitedError).resetAt.toISOString()).toBe(new Date(1_900_000_000_000).toISOString());
  });

  it('waits for the 24-hour cap when that is what ran out', async () => {
    sim.failNext({
      pathPattern: '/mentions$',
      status: 429,
      headers: {
        'x-rate-limit-limit': '300',
        'x-rate-limit-remaining': '299',
        'x-rate-limit-reset': '1900000000',
        'x-user-limit-24hour-limit': '1000',
        'x-user-limit-24hour-remaining': '0',
        'x-user-limit-24hour-reset': '1900050000',
      },
    });
    const error = await mentions('1').catch((caught: unknown) => caught);
    expect((error as XRateLimitedError).resetAt.getTime()).toBe(1_900_050_000_000);
  });

  it('lets other errors through as they are', async () => {
    sim.failNext({ pathPattern: '/mentions$', status: 503 });
    const error = await mentions(null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiResponseError);
    expect(error).not.toBeInstanceOf(XRateLimitedError);
    expect((error as ApiResponseError).code).toBe(503);
  });
});
