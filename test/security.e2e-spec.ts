import { JwtService } from '@nestjs/jwt';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import type { AppConfig } from '@switchboard/config';
import { twitterSignature } from '@switchboard/platforms';
import { jwtSecret } from '../apps/gateway/auth/auth.service';
import { AgentSocket } from './support/agent-socket';
import { ApiClient } from './support/api-client';
import { ADMIN_PASSWORD, startStack, waitFor, type Stack } from './support/stack';
import { postWebhook } from './support/webhooks';

/** Two Pages of two different Meta apps: whoever holds one app's secret is the attacker of the other Page. */
const VICTIM = { pageId: '3000000000001', secret: 'victim-app-secret' };
const ATTACKER = { pageId: '3000000000002', secret: 'attacker-app-secret' };
const CUSTOMER = { id: '24242424', name: 'Jane Doe' };
const X_ACCOUNT = { userId: '4000000000001', consumerSecret: 'x-consumer-secret' };
const SECRET_KEY = 'security-test-secret-key-0123456789';
/** The stack believes loopback proxies, so each test can speak from an address of its own. */
const ENV = {
  SECRET_KEY,
  TRUST_PROXY: 'loopback',
  LOGIN_MAX_FAILURES_PER_USER: '5',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '12',
  WS_MAX_CONNECTIONS_PER_USER: '3',
};
const from = (address: string) => ({ 'x-forwarded-for': address });

let clock = 1_767_225_600;

/** One Page `feed` change, as Meta delivers it. */
function feed(pageId: string, value: Record<string, unknown>): string {
  clock += 1;
  return JSON.stringify({
    object: 'page',
    entry: [{ id: pageId, time: clock, changes: [{ field: 'feed', value: { created_time: clock, ...value } }] }],
  });
}

function comment(pageId: string, postId: string, commentId: string, text: string, parentId = postId): string {
  return feed(pageId, {
    from: CUSTOMER,
    item: 'comment',
    verb: 'add',
    comment_id: commentId,
    post_id: postId,
    parent_id: parentId,
    message: text,
  });
}

function change(pageId: string, verb: 'remove' | 'edited' | 'hide', postId: string, commentId: string): string {
  return feed(pageId, {
    from: CUSTOMER,
    item: 'comment',
    verb,
    comment_id: commentId,
    post_id: postId,
    parent_id: postId,
    ...(verb === 'edited' ? { message: 'rewritten by someone else' } : {}),
  });
}

interface MessageRow {
  id: string;
  account_id: string;
  text: string | null;
  revisions: unknown[];
  deleted_at: Date | null;
  hidden_at: Date | null;
  interaction_id: string | null;
}

describe('security: what an attacker on the internet can and cannot do', () => {
  let stack: Stack;
  let admin: ApiClient;
  let db: PgClient;
  const accounts = { victim: '', attacker: '' };

  beforeAll(async () => {
    stack = await startStack(ENV);
    admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    db = new PgClient({ connectionString: stack.databaseUrl });
    await db.connect();
    for (const [role, page] of [
      ['victim', VICTIM],
      ['attacker', ATTACKER],
    ] as const) {
      accounts[role] = (
        await admin.create('/api/accounts', {
          platform: 'facebook',
          name: `Page ${role}`,
          pageId: page.pageId,
          pageAccessToken: 't',
          appSecret: page.secret,
          verifyToken: `${role}-verify-token`,
        })
      ).id;
    }
    await admin.create('/api/accounts', {
      platform: 'twitter',
      name: 'X',
      userId: X_ACCOUNT.userId,
      handle: 'acme',
      consumerKey: 'k',
      consumerSecret: X_ACCOUNT.consumerSecret,
      accessToken: 'a',
      accessTokenSecret: 's',
    });
    // Nobody staffs this queue: what is routed waits there.
    const queue = (await admin.create('/api/workgroups', { name: 'Unstaffed', acceptTimeoutSeconds: 60 })).id;
    await admin.create('/api/channels', {
      name: 'both pages',
      accountIds: [accounts.victim, accounts.attacker],
      keywords: {},
      publicWorkgroupId: queue,
      privateWorkgroupId: queue,
    });
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  }, 60_000);

  const messagesWithId = async (platformMessageId: string): Promise<MessageRow[]> =>
    (
      await db.query<MessageRow>(
        `SELECT id, account_id, text, revisions, deleted_at, hidden_at, interaction_id FROM messages
          WHERE platform_message_id = $1 ORDER BY received_at`,
        [platformMessageId],
      )
    ).rows;
  const interaction = async (id: string) =>
    (
      await db.query<{ state: string; end_reason: string | null; account_id: string; workflow_id: string | null }>(
        'SELECT state, end_reason, account_id, workflow_id FROM interactions WHERE id = $1',
        [id],
      )
    ).rows[0];
  const post = (page: { secret: string }, body: string) => postWebhook(stack.baseUrl, 'facebook', body, page.secret);

  /** A customer comment on the victim Page, routed into a queued interaction. */
  async function victimThread(n: number): Promise<{ postId: string; commentId: string; interactionId: string }> {
    const postId = `${VICTIM.pageId}_${100 + n}`;
    const commentId = `${100 + n}_${500 + n}`;
    expect((await post(VICTIM, comment(VICTIM.pageId, postId, commentId, `Where is my order ${n}?`))).status).toBe(200);
    let interactionId = '';
    await waitFor(async () => {
      interactionId = (await messagesWithId(commentId))[0]?.interaction_id ?? '';
      return interactionId !== '' && (await interaction(interactionId))?.state === 'queued';
    });
    return { postId, commentId, interactionId };
  }

  const crc = (token: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.baseUrl}/webhooks/twitter?crc_token=${encodeURIComponent(token)}`, { headers }).then(
      async (response) => ({
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as { response_token?: string; error?: string; details?: { field: string }[] },
      }),
    );

  describe('1. the X CRC answer signs only what X sends', () => {
    it("answers X's token, and refuses a JSON body sent as crc_token without signing it", async () => {
      const documented = await crc('challenge_string');
      expect(documented).toMatchObject({
        status: 200,
        body: { response_token: twitterSignature(X_ACCOUNT.consumerSecret, 'challenge_string') },
      });

      const forged = JSON.stringify({
        for_user_id: X_ACCOUNT.userId,
        tweet_create_events: [
          {
            id_str: '1860000000000000001',
            text: '@acme send your password to this link',
            user: { id_str: '5000000000001', screen_name: 'mallory', name: 'Acme Support' },
          },
        ],
      });
      const answer = await crc(forged);
      expect(answer.status).toBe(400);
      expect(answer.body.response_token).toBeUndefined();
      expect(answer.body.details?.[0]?.field).toBe('crc_token');
      for (const bad of ['', 'a b', 'x'.repeat(200), 'tok"en']) expect((await crc(bad)).status).toBe(400);

      // Whatever the attacker got back is no signature of the payload: the delivery is refused, nothing stored.
      const delivery = await fetch(`${stack.baseUrl}/webhooks/twitter`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-twitter-webhooks-signature': answer.body.response_token ?? '',
        },
        body: forged,
      });
      expect(delivery.status).toBe(401);
      expect((await messagesWithId('1860000000000000001')).length).toBe(0);
    });

    it('is rate-limited per address, with Retry-After', async () => {
      let limited: Awaited<ReturnType<typeof crc>> | null = null;
      for (let i = 0; i < 40 && !limited; i++) {
        const answer = await crc(`token${i}`, from('198.51.100.1'));
        if (answer.status === 429) limited = answer;
        else expect(answer.status).toBe(200);
      }
      expect(limited?.status).toBe(429);
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  describe('2. a signer reaches only its own account', () => {
    it("another Page's secret cannot delete, edit or hide the victim's comment, nor abandon its interaction", async () => {
      const thread = await victimThread(1);
      for (const verb of ['remove', 'edited', 'hide'] as const) {
        const response = await post(ATTACKER, change(ATTACKER.pageId, verb, thread.postId, thread.commentId));
        expect(response.status).toBe(200);
      }
      // The victim's entry signed with the attacker's secret carries nothing either.
      expect((await post(ATTACKER, change(VICTIM.pageId, 'remove', thread.postId, thread.commentId))).status).toBe(200);
      const [stored, ...others] = await messagesWithId(thread.commentId);
      expect(others).toEqual([]);
      expect(stored).toMatchObject({
        account_id: accounts.victim,
        text: 'Where is my order 1?',
        revisions: [],
        deleted_at: null,
        hidden_at: null,
      });
      expect(await interaction(thread.interactionId)).toMatchObject({ state: 'queued', end_reason: null });

      // The same deletion signed by the victim's own app does what it says: the check above could fail.
      expect((await post(VICTIM, change(VICTIM.pageId, 'remove', thread.postId, thread.commentId))).status).toBe(200);
      await waitFor(async () => (await interaction(thread.interactionId))?.state === 'completed');
      expect(await interaction(thread.interactionId)).toMatchObject({ end_reason: 'abandoned' });
    });

    it('a deletion sent ahead of a message that has not arrived yet is kept for its own account only', async () => {
      const postId = `${VICTIM.pageId}_200`;
      const commentId = '200_600';
      expect((await post(ATTACKER, change(ATTACKER.pageId, 'remove', postId, commentId))).status).toBe(200);
      expect((await post(VICTIM, comment(VICTIM.pageId, postId, commentId, 'Is anyone there?'))).status).toBe(200);
      let row: MessageRow | undefined;
      await waitFor(async () => {
        row = (await messagesWithId(commentId))[0];
        return row?.interaction_id !== null && row?.interaction_id !== undefined;
      });
      expect(row).toMatchObject({ account_id: accounts.victim, deleted_at: null });
      expect(await interaction(row!.interaction_id!)).toMatchObject({ state: 'queued' });
    });

    it("another of our Pages writing in a Page's thread is the brand speaking, not a customer", async () => {
      const postId = `${VICTIM.pageId}_300`;
      const body = feed(VICTIM.pageId, {
        from: { id: ATTACKER.pageId, name: 'Our other Page' },
        item: 'comment',
        verb: 'add',
        comment_id: '300_1',
        post_id: postId,
        parent_id: postId,
        message: 'We are on it!',
      });
      expect((await post(VICTIM, body)).status).toBe(200);
      const rows = await db.query<{ direction: string; external: boolean; account_id: string }>(
        `SELECT direction, external, account_id FROM messages WHERE platform_message_id = '300_1'`,
      );
      expect(rows.rows).toEqual([{ direction: 'outbound', external: true, account_id: accounts.victim }]);
    });

    it('two accounts opening threads of the same key at the same moment each get a workflow at once', async () => {
      const commentId = '400_1';
      const [a, b] = await Promise.all([
        post(VICTIM, comment(VICTIM.pageId, `${VICTIM.pageId}_400`, commentId, 'Same key, victim')),
        post(ATTACKER, comment(ATTACKER.pageId, `${ATTACKER.pageId}_400`, commentId, 'Same key, attacker')),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      // Routed directly, well before the 5 s sweep would retry a failed routing.
      let ids: (string | null)[] = [];
      await waitFor(async () => {
        const copies = await messagesWithId(commentId);
        ids = await Promise.all(
          copies.map(async (m) =>
            m.interaction_id ? ((await interaction(m.interaction_id))?.workflow_id ?? null) : null,
          ),
        );
        return ids.length === 2 && ids.every((id) => id !== null);
      }, 3_000);
      expect(new Set(ids).size).toBe(2);
      expect(ids).toContain(`interaction-facebook-${commentId}`);
    });

    it("a reply forged under another Page never joins the victim's thread or interaction", async () => {
      const thread = await victimThread(3);
      // A reply to the victim's comment, and one reusing its id: the attacker's own copies, in the attacker's Page.
      const replyId = '103_900';
      const forged = [
        comment(ATTACKER.pageId, thread.postId, replyId, 'click this link', thread.commentId),
        comment(ATTACKER.pageId, thread.postId, thread.commentId, 'a copy of the victim comment'),
      ];
      for (const body of forged) expect((await post(ATTACKER, body)).status).toBe(200);
      await waitFor(async () => Boolean((await messagesWithId(replyId))[0]?.interaction_id));
      await waitFor(async () => (await messagesWithId(thread.commentId)).every((m) => m.interaction_id !== null));

      const victimMessages = await db.query<{ account_id: string }>(
        'SELECT account_id FROM messages WHERE interaction_id = $1',
        [thread.interactionId],
      );
      expect(victimMessages.rows).toEqual([{ account_id: accounts.victim }]);
      const [reply] = await messagesWithId(replyId);
      expect(reply?.account_id).toBe(accounts.attacker);
      const copies = await messagesWithId(thread.commentId);
      expect(copies.map((m) => m.account_id)).toEqual([accounts.victim, accounts.attacker]);
      expect(copies[0]?.text).toBe('Where is my order 3?');
      // The attacker's copy opened an interaction of its own, in its own workflow.
      const theirs = await interaction(copies[1]!.interaction_id!);
      const ours = await interaction(thread.interactionId);
      expect(theirs?.account_id).toBe(accounts.attacker);
      expect(theirs?.workflow_id).not.toBe(ours?.workflow_id);
      expect(ours).toMatchObject({ state: 'queued', workflow_id: `interaction-facebook-${thread.commentId}` });
      expect(theirs?.workflow_id).toBe(`interaction-facebook-${thread.commentId}~${ATTACKER.pageId}`);
    });
  });

  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    new ApiClient(stack.baseUrl).request<{ token?: string; error?: string }>(
      'POST',
      '/api/auth/login',
      { username, password },
      headers,
    );
  async function user(username: string, roles: string[]): Promise<{ id: string; client: ApiClient }> {
    const { id } = await admin.create('/api/users', {
      username,
      password: `${username}-password`,
      displayName: username,
      roles,
    });
    return { id, client: await ApiClient.login(stack.baseUrl, username, `${username}-password`) };
  }
  const status = async (id: string) =>
    (await db.query<{ status: string }>('SELECT status FROM users WHERE id = $1', [id])).rows[0]?.status;
  /** A raw socket that records what it gets and how it ends (the test AgentSocket hides refusals). */
  function rawSocket(token: string) {
    const socket = new WebSocket(`${stack.baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
    const frames: { event: string; data: Record<string, unknown> }[] = [];
    socket.on('message', (raw: Buffer) => frames.push(JSON.parse(raw.toString()) as (typeof frames)[number]));
    const opened = new Promise<{ ok: boolean; status?: number }>((resolve) => {
      socket.once('open', () => resolve({ ok: true }));
      socket.once('unexpected-response', (_request, response) => resolve({ ok: false, status: response.statusCode }));
      socket.once('error', () => resolve({ ok: false }));
    });
    // Bounded, so that a socket the server never closes fails the test at once rather than at the suite's timeout.
    const closed = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the socket was not closed within 10 s')), 10_000);
      socket.once('close', (code: number) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    closed.catch(() => undefined);
    return { socket, frames, opened, closed };
  }

  describe('3. a token lives no longer than its user, its roles and its password', () => {
    it('a role taken away ends the token at once, on HTTP and on the open socket; a role given works at once', async () => {
      const sam = await user('sam', ['supervisor', 'agent']);
      expect((await sam.client.get('/api/agents')).status).toBe(200);
      const live = rawSocket(sam.client.bearer);
      expect(await live.opened).toEqual({ ok: true });

      expect((await admin.patch(`/api/users/${sam.id}`, { roles: ['agent'] })).status).toBe(200);
      expect(await live.closed).toBe(4401);
      expect((await sam.client.get('/api/agents/me')).status).toBe(401);
      expect(await rawSocket(sam.client.bearer).opened).toEqual({ ok: false, status: 401 });

      const again = await ApiClient.login(stack.baseUrl, 'sam', 'sam-password');
      expect((await again.get('/api/agents')).status).toBe(403);
      expect((await admin.patch(`/api/users/${sam.id}`, { roles: ['agent', 'supervisor'] })).status).toBe(200);
      expect((await again.get('/api/agents')).status).toBe(200);
    });

    it('a new password or the deletion of the user ends every token', async () => {
      const pat = await user('pat', ['agent']);
      const socket = await AgentSocket.connect(stack.baseUrl, pat.client.bearer);
      expect((await pat.client.get('/api/agents/me')).status).toBe(200);
      expect((await admin.patch(`/api/users/${pat.id}`, { password: 'a-brand-new-password' })).status).toBe(200);
      expect((await socket.closed()).code).toBe(4401);
      expect((await pat.client.get('/api/agents/me')).status).toBe(401);

      const fresh = await ApiClient.login(stack.baseUrl, 'pat', 'a-brand-new-password');
      expect((await fresh.get('/api/agents/me')).status).toBe(200);
      expect((await admin.delete(`/api/users/${pat.id}`)).status).toBe(204);
      expect((await fresh.get('/api/agents/me')).status).toBe(401);
    });

    it('a socket closes when its token expires, and what it sends while closing is not acted on', async () => {
      const kim = await user('kim', ['agent']);
      const signer = new JwtService({ secret: jwtSecret({ secretKey: Buffer.from(SECRET_KEY) } as AppConfig) });
      const shortLived = await signer.signAsync({ sub: kim.id, ver: 0 }, { expiresIn: 2 });
      const live = rawSocket(shortLived);
      expect(await live.opened).toEqual({ ok: true });
      // The moment the server says the session ended, the client tries one more action.
      live.socket.on('message', (raw: Buffer) => {
        const frame = JSON.parse(raw.toString()) as { event: string; data: { status?: number } };
        if (frame.event === 'error' && frame.data.status === 401) {
          live.socket.send(JSON.stringify({ event: 'status', data: { status: 'available', ref: 'late' } }));
        }
      });
      expect(await live.closed).toBe(4401);
      expect(live.frames.find((f) => f.event === 'error')?.data).toMatchObject({ error: 'token expired' });
      expect(live.frames.some((f) => f.data.ref === 'late')).toBe(false);
      expect(await status(kim.id)).toBe('offline');
      expect((await new ApiClient(stack.baseUrl, shortLived).get('/api/agents/me')).status).toBe(401);
    });
  });

  describe('4. one frame, or one user, cannot stall the gateway', () => {
    it('refuses an upgrade without a valid token before any socket exists', async () => {
      for (const token of ['', 'not-a-token', `${admin.bearer}x`]) {
        expect(await rawSocket(token).opened).toEqual({ ok: false, status: 401 });
      }
    });

    it('closes a socket that sends a frame over 64 KB with 1009, and takes one just under', async () => {
      const lee = await user('lee', ['agent']);
      const ok = rawSocket(lee.client.bearer);
      expect(await ok.opened).toEqual({ ok: true });
      const padding = 'x'.repeat(60 * 1024);
      ok.socket.send(JSON.stringify({ event: 'status', data: { status: 'away', ref: padding.slice(0, 100) } }));
      ok.socket.send(JSON.stringify({ event: 'nothing', data: { padding } }));
      await waitFor(() => ok.frames.some((f) => f.event === 'ack'));
      expect(await status(lee.id)).toBe('away');

      ok.socket.send(
        JSON.stringify({ event: 'status', data: { status: 'available', padding: 'y'.repeat(65 * 1024) } }),
      );
      expect(await ok.closed).toBe(1009);
      expect(await status(lee.id)).toBe('away');
    });

    it("caps one user's sockets: the oldest beyond the cap is closed", async () => {
      const max = await user('max', ['agent']);
      const sockets = [];
      for (let i = 0; i < 4; i++) {
        const socket = rawSocket(max.client.bearer);
        expect(await socket.opened).toEqual({ ok: true });
        sockets.push(socket);
      }
      expect(await sockets[0]!.closed).toBe(1008);
      for (const socket of sockets.slice(1)) expect(socket.socket.readyState).toBe(WebSocket.OPEN);
      for (const socket of sockets) socket.socket.close();
    });
  });

  describe('5. logins cannot be guessed at leisure', () => {
    it('locks a user name after repeated failures (429, Retry-After) until an admin sets a new password', async () => {
      const carol = await user('carol', ['agent']);
      const here = from('198.51.100.5');
      for (let i = 0; i < 5; i++) expect((await login('carol', `guess-${i}`, here)).status).toBe(401);
      const locked = await login('carol', 'guess-5', here);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      // The right password is refused too while locked, from anywhere: the lock tells a guesser nothing.
      expect((await login('carol', 'carol-password', from('198.51.100.6'))).status).toBe(429);

      expect((await admin.patch(`/api/users/${carol.id}`, { password: 'carol-new-password' })).status).toBe(200);
      expect((await login('carol', 'carol-new-password', here)).status).toBe(200);
    });

    it('counts each attempt before hashing, so parallel guesses get no more tries', async () => {
      await user('erin', ['agent']);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => login('erin', `parallel-${i}`, from('198.51.100.12'))),
      );
      expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(5);
    });

    it('limits failures per address, whatever the user names', async () => {
      const here = from('198.51.100.7');
      const answers: number[] = [];
      for (let i = 0; i < 13; i++) answers.push((await login(`nobody${i}`, 'password', here)).status);
      expect(answers.slice(0, 12)).toEqual(Array(12).fill(401));
      expect(answers[12]).toBe(429);
      // Another address is not affected.
      expect((await login('admin', ADMIN_PASSWORD, from('198.51.100.8'))).status).toBe(200);
    });

    it('answers an unknown user name as slowly as a wrong password (a dummy hash is verified)', async () => {
      await user('dave', ['agent']);
      const timed = async (username: string, address: string) => {
        const started = process.hrtime.bigint();
        expect((await login(username, 'wrong-password', from(address))).status).toBe(401);
        return Number(process.hrtime.bigint() - started);
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 4; i++) {
        known.push(await timed('dave', '198.51.100.9'));
        unknown.push(await timed(`ghost${i}`, '198.51.100.10'));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      // Without the dummy hash an unknown name answers in about a hundredth of the time.
      expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
    });

    it("compares Meta's verify token against every account's", async () => {
      const verify = (token: string) =>
        fetch(
          `${stack.baseUrl}/webhooks/facebook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${token}`,
        ).then(async (response) => ({ status: response.status, body: await response.text() }));
      expect(await verify('victim-verify-token')).toEqual({ status: 200, body: '1158201444' });
      expect(await verify('attacker-verify-token')).toEqual({ status: 200, body: '1158201444' });
      expect((await verify('victim-verify-toke')).status).toBe(403);
      expect((await verify('')).status).toBe(403);
    });
  });
});
