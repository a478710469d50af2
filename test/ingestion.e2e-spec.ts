import { Client as PgClient } from 'pg';
import { parseFacebookWebhook, parseTwitterWebhook } from '@switchboard/platforms';
import { listFixtures, loadFixture } from '@switchboard/platforms/fixtures';
import { ApiClient } from './support/api-client';
import { ADMIN_PASSWORD, startStack, waitFor, type Stack } from './support/stack';
import { postWebhook } from './support/webhooks';

/** The accounts the documented fixtures were delivered for; one Meta app (one secret) serves all three Pages. */
const APP_SECRET = 'fixture-app-secret';
const CONSUMER_SECRET = 'fixture-consumer-secret';
const PAGES = ['137542570280222', '200000000000777', '101259571653026'];
const X_USERS = ['2975699229', '1111111111111111111'];
const OURS = new Set([...PAGES, ...X_USERS]);

interface MessageRow {
  platform_message_id: string;
  conversation_key: string;
  direction: 'inbound' | 'outbound';
  external: boolean;
  text: string | null;
  revisions: { text: string | null }[];
  deleted_at: Date | null;
  hidden_at: Date | null;
  interaction_id: string | null;
  attachments: { type: string; url: string | null }[];
}

/**
 * Issue 3's way in, through the real stack: every documented Facebook and X payload shape (the fixtures of
 * libs/platforms), redeliveries, order, storage failures and the bad-input answers.
 */
describe('ingestion: every event shape stored once, in its thread, whatever the delivery', () => {
  let stack: Stack;
  let admin: ApiClient;
  let db: PgClient;
  let queueId = '';

  beforeAll(async () => {
    stack = await startStack();
    admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    db = new PgClient({ connectionString: stack.databaseUrl });
    await db.connect();
    const accountIds: string[] = [];
    for (const pageId of PAGES) {
      const body = {
        platform: 'facebook',
        name: `Page ${pageId}`,
        pageId,
        pageAccessToken: 't',
        appSecret: APP_SECRET,
      };
      accountIds.push((await admin.create('/api/accounts', { ...body, verifyToken: 'v' })).id);
    }
    for (const userId of X_USERS) {
      const credentials = {
        consumerKey: 'k',
        consumerSecret: CONSUMER_SECRET,
        accessToken: 'a',
        accessTokenSecret: 's',
      };
      accountIds.push(
        (
          await admin.create('/api/accounts', {
            platform: 'twitter',
            name: `X ${userId}`,
            userId,
            handle: `brand${userId.slice(-4)}`,
            ...credentials,
          })
        ).id,
      );
    }
    // Nobody staffs this queue: what is routed waits there.
    queueId = (await admin.create('/api/workgroups', { name: 'Unstaffed', acceptTimeoutSeconds: 60 })).id;
    await admin.create('/api/channels', {
      name: 'everything',
      accountIds,
      keywords: { none: ['giveaway'] },
      publicWorkgroupId: queueId,
      privateWorkgroupId: queueId,
    });
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  }, 60_000);

  const message = async (platformMessageId: string): Promise<MessageRow | undefined> =>
    (await db.query<MessageRow>('SELECT * FROM messages WHERE platform_message_id = $1', [platformMessageId])).rows[0];
  const messageCount = async (): Promise<number> =>
    Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM messages')).rows[0]?.n);
  const post = (platform: 'facebook' | 'twitter', body: string) =>
    postWebhook(stack.baseUrl, platform, body, platform === 'facebook' ? APP_SECRET : CONSUMER_SECRET);

  it.each([
    ...listFixtures('facebook').map((name) => ['facebook', name] as const),
    ...listFixtures('twitter')
      .filter((name) => !name.startsWith('v2-'))
      .map((name) => ['twitter', name] as const),
  ])('%s %s: acknowledged, its messages stored once, in the direction the platform says', async (platform, name) => {
    const body = loadFixture(platform, name);
    const parsed = (platform === 'facebook' ? parseFacebookWebhook : parseTwitterWebhook)(JSON.parse(body));
    const first = await post(platform, body);
    expect(first.status).toBe(200);
    const after = await messageCount();
    // Redeliveries, some concurrent, change nothing.
    const again = await Promise.all([post(platform, body), post(platform, body), post(platform, body)]);
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await messageCount()).toBe(after);
    for (const event of parsed) {
      if (event.kind !== 'message' || event.editOf || !OURS.has(event.accountPlatformId)) continue;
      const row = await message(event.platformMessageId);
      expect(row).toMatchObject({
        platform_message_id: event.platformMessageId,
        direction: event.fromAccount ? 'outbound' : 'inbound',
        external: event.fromAccount,
      });
    }
  });

  it('ignores what is not a message: receipts, reactions, standby, typing, the dashboard test event', async () => {
    const before = await messageCount();
    for (const name of ['messenger-delivery', 'messenger-read', 'messenger-standby', 'reaction', 'test-event']) {
      expect((await post('facebook', loadFixture('facebook', name))).status).toBe(200);
    }
    for (const name of ['aaa-favorite', 'aaa-follow', 'aaa-typing', 'aaa-mark-read', 'xaa-oauth-revoke']) {
      expect((await post('twitter', loadFixture('twitter', name))).status).toBe(200);
    }
    expect(await messageCount()).toBe(before);
  });

  it('threads replies, keeps ids exact, edits with history, marks deletions and hides', async () => {
    // The bare 64-bit number next to `id_str` would be 1205348660982083600 once parsed; the string is kept.
    const bare = JSON.parse(loadFixture('twitter', 'aaa-bare-number-id')) as {
      tweet_create_events: { id_str: string }[];
    };
    const exact = bare.tweet_create_events[0]!.id_str;
    expect(await message(exact)).toBeDefined();

    // A reply to a comment joins the top-level comment's thread.
    const reply = JSON.parse(loadFixture('facebook', 'comment-reply')) as {
      entry: { changes: { value: { comment_id: string; parent_id: string } }[] }[];
    };
    const value = reply.entry[0]!.changes[0]!.value;
    expect((await message(value.comment_id))?.conversation_key).toBe(value.parent_id);

    // The batch carried a comment and its edit: the earlier text is kept.
    expect(await message('139560936744456_139620233407001')).toMatchObject({
      text: 'First!',
      revisions: [{ text: 'First' }],
    });

    // Long X posts are stored whole; quotes keep a link to what they quote.
    const long = JSON.parse(loadFixture('twitter', 'aaa-extended-tweet')) as {
      tweet_create_events: { id_str: string; extended_tweet: { full_text: string } }[];
    };
    const longTweet = long.tweet_create_events[0]!;
    expect((await message(longTweet.id_str))?.text).toBe(longTweet.extended_tweet.full_text);
    const quote = JSON.parse(loadFixture('twitter', 'aaa-quote')) as {
      tweet_create_events: { id_str: string; quoted_status: { id_str: string } }[];
    };
    const quoteTweet = quote.tweet_create_events[0]!;
    expect((await message(quoteTweet.id_str))?.attachments).toContainEqual({
      type: 'quote',
      url: `https://x.com/i/status/${quoteTweet.quoted_status.id_str}`,
    });
  });

  it('applies an edit or a deletion that arrives before its message, and routes nothing deleted', async () => {
    const page = PAGES[0]!;
    const feed = (verb: string, commentId: string, text?: string, seconds = verb === 'add' ? 0 : 60) =>
      JSON.stringify({
        object: 'page',
        entry: [
          {
            id: page,
            time: 1767225600,
            changes: [
              {
                field: 'feed',
                value: {
                  from: { id: '24242424', name: 'Jane Doe' },
                  item: 'comment',
                  verb,
                  comment_id: commentId,
                  post_id: `${page}_9001`,
                  parent_id: `${page}_9001`,
                  created_time: 1767225600 + seconds,
                  ...(text === undefined ? {} : { message: text }),
                },
              },
            ],
          },
        ],
      });
    expect((await post('facebook', feed('remove', '9001_1'))).status).toBe(200);
    expect((await post('facebook', feed('edited', '9001_2', 'my order is late (edited)'))).status).toBe(200);
    expect((await post('facebook', feed('add', '9001_1', 'where is my order?'))).status).toBe(200);
    expect((await post('facebook', feed('add', '9001_2', 'my order is late'))).status).toBe(200);

    const deleted = await message('9001_1');
    expect(deleted?.deleted_at).not.toBeNull();
    const edited = await message('9001_2');
    expect(edited).toMatchObject({ text: 'my order is late (edited)', revisions: [{ text: 'my order is late' }] });
    // A late copy of an older edit does not undo the newer one.
    expect((await post('facebook', feed('edited', '9001_2', 'my order is late (first try)', 30))).status).toBe(200);
    expect((await message('9001_2'))?.text).toBe('my order is late (edited)');
    await waitFor(async () => (await message('9001_2'))?.interaction_id !== null);
    await new Promise((r) => setTimeout(r, 500));
    expect((await message('9001_1'))?.interaction_id).toBeNull();
  });

  it('ends a queued interaction as abandoned when the customer deletes the thread', async () => {
    const tweet = (extra: Record<string, unknown>) => JSON.stringify({ for_user_id: X_USERS[0], ...extra });
    const id = '1900000000000000001';
    const created = tweet({
      tweet_create_events: [
        {
          id_str: id,
          text: '@ScruffyMcG my order never came',
          timestamp_ms: String(Date.now()),
          user: { id_str: '1900000000000000009', screen_name: 'gone_soon', name: 'Gone Soon' },
        },
      ],
    });
    expect((await post('twitter', created)).status).toBe(200);
    let interactionId = '';
    await waitFor(async () => {
      interactionId = (await message(id))?.interaction_id ?? '';
      return interactionId !== '';
    });
    await waitFor(
      async () => (await admin.get<{ state: string }>(`/api/interactions/${interactionId}`)).body.state === 'queued',
    );

    const removal = tweet({ tweet_delete_events: [{ status: { id_str: id, user_id: '1900000000000000009' } }] });
    expect((await post('twitter', removal)).status).toBe(200);
    await waitFor(async () => {
      const detail = await admin.get<{ state: string; endReason: string | null }>(`/api/interactions/${interactionId}`);
      return detail.body.state === 'completed' && detail.body.endReason === 'abandoned';
    });
    const events = await db.query<{ type: string }>(
      'SELECT type FROM interaction_events WHERE interaction_id = $1 ORDER BY id',
      [interactionId],
    );
    expect(events.rows.map((row) => row.type)).toEqual(['queued', 'abandoned']);
  });

  it('answers 503 while storage cannot take the events, and stores them once when the platform retries', async () => {
    const body = JSON.stringify({
      for_user_id: X_USERS[0],
      tweet_create_events: [
        { id_str: '1900000000000000101', text: '@ScruffyMcG hello?', user: { id_str: '1900000000000000102' } },
      ],
    });
    const blocker = new PgClient({ connectionString: stack.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE');
      const refused = await post('twitter', body);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: expect.stringContaining('could not store') as unknown });
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect(await message('1900000000000000101')).toBeUndefined();
    expect((await post('twitter', body)).status).toBe(200);
    expect((await post('twitter', body)).status).toBe(200);
    const rows = await db.query('SELECT id FROM messages WHERE platform_message_id = $1', ['1900000000000000101']);
    expect(rows.rowCount).toBe(1);
  });

  it('refuses a delivery it could not store whole in time, keeping what it stored for the retry', async () => {
    const tweet = (id: string) => ({ id_str: id, text: '@ScruffyMcG late', user: { id_str: '1900000000000000202' } });
    const body = JSON.stringify({
      for_user_id: X_USERS[0],
      tweet_create_events: [tweet('1900000000000000201'), tweet('1900000000000000203')],
    });
    const blocker = new PgClient({ connectionString: stack.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE');
      const slow = post('twitter', body);
      // Once the first event waits for the lock, it is held past the delivery's 2.5 s budget (within the 3 s statement
      // timeout).
      await waitFor(async () => {
        const waiting = await db.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'switchboard-gateway' AND wait_event_type = 'Lock'`,
        );
        return (waiting.rowCount ?? 0) > 0;
      }, 5_000);
      await new Promise((r) => setTimeout(r, 2_650));
      await blocker.query('ROLLBACK');
      expect((await slow).status).toBe(503);
    } finally {
      await blocker.end();
    }
    expect(await message('1900000000000000201')).toBeDefined();
    expect(await message('1900000000000000203')).toBeUndefined();
    expect((await post('twitter', body)).status).toBe(200);
    const rows = await db.query('SELECT id FROM messages WHERE platform_message_id = ANY($1)', [
      ['1900000000000000201', '1900000000000000203'],
    ]);
    expect(rows.rowCount).toBe(2);
  });

  it('answers bad deliveries with 400, 401 and 413, storing nothing', async () => {
    const before = await messageCount();
    expect((await post('facebook', '{"object":"page","entry":[')).status).toBe(400);
    const unsigned = await fetch(`${stack.baseUrl}/webhooks/facebook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: loadFixture('facebook', 'comment-top-level'),
    });
    expect(unsigned.status).toBe(401);
    const wrongSecret = await postWebhook(stack.baseUrl, 'twitter', loadFixture('twitter', 'aaa-mention'), 'nope');
    expect(wrongSecret.status).toBe(401);
    const huge = JSON.stringify({ object: 'page', entry: [], padding: 'x'.repeat(1024 * 1024 + 1) });
    expect((await post('facebook', huge)).status).toBe(413);
    expect((await post('facebook', JSON.stringify({ object: 'instagram', entry: [] }))).status).toBe(200);
    expect(await messageCount()).toBe(before);
  });
});
