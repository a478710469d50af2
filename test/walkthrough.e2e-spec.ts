import { Connection, Client } from '@temporalio/client';
import { SIMULATOR_DEFAULTS } from '../apps/simulator/simulator';
import { AgentSocket, type Frame } from './support/agent-socket';
import { ApiClient } from './support/api-client';
import { createAgent, facebookAccountBody, twitterAccountBody } from './support/builders';
import { ADMIN_PASSWORD, startStack, waitFor, type Stack } from './support/stack';

/**
 * The README's walk-through, through the real stack: the launcher's embedded PostgreSQL and Temporal dev server, the
 * gateway over HTTP and WebSocket, the worker, and the platform simulator standing in for Meta and X.
 */
describe('walk-through: posts, comments, tweets and DMs from webhook to wrap-up', () => {
  let stack: Stack;
  let admin: ApiClient;
  const ids: Record<string, string> = {};
  const agents: Record<string, { api: ApiClient; socket: AgentSocket }> = {};
  const x = SIMULATOR_DEFAULTS.twitter;

  beforeAll(async () => {
    stack = await startStack();
    admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);

    ids.facebook = (await admin.create('/api/accounts', facebookAccountBody())).id;
    ids.twitter = (await admin.create('/api/accounts', twitterAccountBody())).id;
    ids.public = (await admin.create('/api/workgroups', { name: 'Social Public', acceptTimeoutSeconds: 60 })).id;
    ids.private = (await admin.create('/api/workgroups', { name: 'Social Private', acceptTimeoutSeconds: 60 })).id;
    ids.slow = (await admin.create('/api/workgroups', { name: 'Timeout Drill', acceptTimeoutSeconds: 5 })).id;
    for (const [username, workgroups] of [
      ['alice', [ids.public, ids.private]],
      ['bob', [ids.public, ids.private]],
      ['carol', [ids.slow]],
      ['dave', [ids.slow]],
    ] as const) {
      const api = await createAgent(admin, username, [...workgroups]);
      agents[username] = { api, socket: await AgentSocket.connect(stack.baseUrl, api.bearer) };
    }
    for (const account of ['facebook', 'twitter']) {
      await admin.create('/api/channels', {
        name: `${account} care`,
        accountIds: [ids[account]],
        keywords: { any: ['order', 'refund', 'help', 'broken'], none: ['giveaway'] },
        publicWorkgroupId: ids.public,
        privateWorkgroupId: ids.private,
        priority: 0,
      });
    }
    await admin.create('/api/channels', {
      name: 'drill',
      accountIds: [ids.facebook],
      keywords: { any: ['#drill'] },
      publicWorkgroupId: ids.slow,
      privateWorkgroupId: ids.slow,
      priority: 10,
    });
    await admin.create('/api/wrapup-codes', { code: 'resolved', label: 'Resolved' });
  }, 240_000);

  afterAll(async () => {
    Object.values(agents).forEach(({ socket }) => socket.close());
    await stack?.stop();
  }, 60_000);

  async function status(agent: string, value: 'available' | 'away' | 'offline') {
    const answer = await agents[agent]!.socket.call('status', { status: value });
    expect(answer.event).toBe('ack');
  }

  /** One agent takes one interaction through accept → reply → delivered → disconnect → wrap-up → completed. */
  async function handleOne(options: {
    agent: string;
    inject: () => Promise<unknown>;
    platform: 'facebook' | 'twitter';
    type: 'conversation' | 'directMessage';
    visibility: 'public' | 'private';
    customerText: string;
  }) {
    const { api, socket } = agents[options.agent]!;
    await options.inject();
    const offer = await socket.next(
      'offer',
      (d) =>
        (d.interaction as { platform: string; type: string }).platform === options.platform &&
        (d.interaction as { type: string }).type === options.type,
    );
    const interaction = offer.data.interaction as { id: string; state: string; workflowId: string };
    expect(interaction.state).toBe('offered');
    expect(offer.data).toMatchObject({ lastMessage: { text: options.customerText } });
    expect(offer.data.customer).toBeTruthy();

    const accepted = await socket.call('accept', { interactionId: interaction.id });
    expect(accepted).toMatchObject({ event: 'ack', data: { result: { state: 'connected' } } });
    expect((accepted.data.result as { state: string }).state).toBe('connected');

    const detail = await api.get<{
      state: string;
      messages: { text: string; direction: string }[];
      customer: { platformUserId: string } | null;
    }>(`/api/interactions/${interaction.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.messages.map((m) => m.text)).toContain(options.customerText);
    expect(detail.body.customer?.platformUserId).toBeTruthy();

    const reply = await api.post<{ id: string; deliveryStatus: string }>(
      `/api/interactions/${interaction.id}/replies`,
      {
        text: `On it! (${options.platform} ${options.type})`,
        visibility: options.visibility,
      },
    );
    expect(reply.status).toBe(202);
    expect(reply.body.deliveryStatus).toBe('pending');
    const delivered = await socket.next(
      'message.updated',
      (d) => d.id === reply.body.id && d.deliveryStatus !== 'pending',
    );
    expect(delivered.data).toMatchObject({ deliveryStatus: 'sent', deliveryError: null });
    const platformId = delivered.data.platformMessageId as string;
    expect(stack.sim.sent().find((record) => record.id === platformId)).toMatchObject({
      text: `On it! (${options.platform} ${options.type})`,
    });

    const disconnected = await api.post<{ state: string }>(`/api/interactions/${interaction.id}/disconnect`);
    expect(disconnected.body.state).toBe('wrapup');
    const wrapped = await socket.call('wrapup', { interactionId: interaction.id, code: 'resolved' });
    expect(wrapped.event).toBe('ack');
    expect(wrapped.data.result).toMatchObject({ state: 'completed', wrapUpCode: 'resolved' });
    await socket.next('interaction.updated', (d) => d.id === interaction.id && d.state === 'completed');
    return { interaction, platformId };
  }

  it('answers the Meta verification and the X CRC handshakes', async () => {
    expect((await stack.sim.verifyFacebookWebhook()).ok).toBe(true);
    expect((await stack.sim.checkTwitterCrc()).ok).toBe(true);
    const wrong = await fetch(
      `${stack.baseUrl}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42`,
    );
    expect(wrong.status).toBe(403);
  });

  it('routes a Facebook comment and replies publicly under it', async () => {
    await status('alice', 'available');
    const text = 'Where is my order? It is two weeks late';
    let commentId = '';
    const { platformId } = await handleOne({
      agent: 'alice',
      platform: 'facebook',
      type: 'conversation',
      visibility: 'public',
      customerText: text,
      inject: async () => {
        const result = await stack.sim.injectComment({ text, from: { id: '7000000001', name: 'Jane Doe' } });
        expect(result.delivery?.status).toBe(200);
        commentId = result.ids.commentId;
      },
    });
    expect(stack.sim.sent({ platform: 'facebook' }).find((r) => r.id === platformId)).toMatchObject({
      kind: 'comment_reply',
      target: commentId,
    });
  });

  it('routes a Messenger message and answers it privately', async () => {
    const text = 'Hi, I need help with a refund';
    const { platformId } = await handleOne({
      agent: 'alice',
      platform: 'facebook',
      type: 'directMessage',
      visibility: 'private',
      customerText: text,
      inject: () => stack.sim.injectMessage({ text, from: { id: '7100000001', name: 'Sam Lee' } }),
    });
    expect(stack.sim.sent({ platform: 'facebook' }).find((r) => r.id === platformId)).toMatchObject({
      kind: 'messenger',
      target: '7100000001',
    });
  });

  it('routes an X mention and replies in its thread', async () => {
    const text = `@${x.handle} my order arrived broken`;
    let tweetId = '';
    const { platformId } = await handleOne({
      agent: 'alice',
      platform: 'twitter',
      type: 'conversation',
      visibility: 'public',
      customerText: text,
      inject: async () => {
        const result = await stack.sim.injectMention({ text, from: { id: '8000000001', screen_name: 'pennbrooke' } });
        tweetId = result.ids.tweetId;
      },
    });
    expect(stack.sim.sent({ platform: 'twitter' }).find((r) => r.id === platformId)).toMatchObject({
      kind: 'tweet',
      target: tweetId,
    });
  });

  it('routes an X direct message and answers it by DM', async () => {
    const text = 'Can you help me change my order address?';
    const { platformId } = await handleOne({
      agent: 'alice',
      platform: 'twitter',
      type: 'directMessage',
      visibility: 'private',
      customerText: text,
      inject: () => stack.sim.injectDm({ text, from: { id: '8100000001', screen_name: 'dmcustomer' } }),
    });
    expect(stack.sim.sent({ platform: 'twitter' }).find((r) => r.id === platformId)).toMatchObject({
      kind: 'dm',
      target: '8100000001',
    });
    await status('alice', 'away');
  });

  /** Brings one fresh interaction to `connected` with the given agent and returns its id. */
  async function connectOne(agent: string, inject: () => Promise<unknown>, platform: string): Promise<string> {
    const { socket } = agents[agent]!;
    const before = socket.frames.length;
    await inject();
    const offer = await socket.next(
      'offer',
      (d) =>
        (d.interaction as { platform: string }).platform === platform &&
        !socket.frames.slice(0, before).some((f) => f.event === 'offer' && f.data === d),
    );
    const id = (offer.data.interaction as { id: string }).id;
    expect(await socket.call('accept', { interactionId: id })).toMatchObject({ event: 'ack' });
    return id;
  }

  async function finish(agent: string, interactionId: string) {
    const { api, socket } = agents[agent]!;
    expect((await api.post(`/api/interactions/${interactionId}/disconnect`)).status).toBe(200);
    expect(await socket.call('wrapup', { interactionId, code: 'resolved' })).toMatchObject({ event: 'ack' });
  }

  it('escalates a private reply on an X thread to a linked DM interaction with the same agent', async () => {
    await status('bob', 'available');
    const { api, socket } = agents.bob!;
    let authorId = '';
    const parentId = await connectOne(
      'bob',
      async () => {
        const result = await stack.sim.injectMention({ text: `@${x.handle} help, my refund never came` });
        authorId = result.ids.authorId;
      },
      'twitter',
    );
    const reply = await api.post<{ id: string; interactionId: string; deliveryStatus: string }>(
      `/api/interactions/${parentId}/replies`,
      { text: 'Let us take this to DM', visibility: 'private' },
    );
    expect(reply.status).toBe(202);
    expect(reply.body.interactionId).not.toBe(parentId);
    const child = await api.get<{ type: string; state: string; parentId: string; agentId: string }>(
      `/api/interactions/${reply.body.interactionId}`,
    );
    expect(child.body).toMatchObject({ type: 'directMessage', state: 'connected', parentId });
    await socket.next('message.updated', (d) => d.id === reply.body.id && d.deliveryStatus === 'sent');
    expect(stack.sim.sent({ platform: 'twitter', kind: 'dm' }).at(-1)).toMatchObject({
      target: authorId,
      text: 'Let us take this to DM',
    });
    await finish('bob', reply.body.interactionId);
    await finish('bob', parentId);
  });

  it('escalates a private reply on a Facebook comment to Messenger, where the customer answer joins it', async () => {
    const { api, socket } = agents.bob!;
    let commentId = '';
    const parentId = await connectOne(
      'bob',
      async () => {
        const result = await stack.sim.injectComment({ text: 'my order is wrong, help', from: { id: '7300000001' } });
        commentId = result.ids.commentId;
      },
      'facebook',
    );
    const reply = await api.post<{ id: string; interactionId: string }>(`/api/interactions/${parentId}/replies`, {
      text: 'We sent you a private message',
      visibility: 'private',
    });
    expect(reply.status).toBe(202);
    await socket.next('message.updated', (d) => d.id === reply.body.id && d.deliveryStatus === 'sent');
    const sent = stack.sim.sent({ platform: 'facebook', kind: 'private_reply' }).at(-1);
    expect(sent).toMatchObject({ target: commentId });
    const psid = sent!.recipientId!;
    await stack.sim.injectMessage({ text: 'thanks, my order number is 42', from: { id: psid } });
    const joined = await socket.next('message.created', (d) => d.text === 'thanks, my order number is 42');
    expect(joined.data.interactionId).toBe(reply.body.interactionId);
    await finish('bob', reply.body.interactionId);
    await finish('bob', parentId);
  });

  it('transfers a connected interaction to another agent, then to another workgroup', async () => {
    const parentId = await connectOne(
      'bob',
      () => stack.sim.injectMention({ text: `@${x.handle} order help please` }),
      'twitter',
    );
    await status('bob', 'away');
    await status('alice', 'available');
    const alice = (await admin.get<{ id: string; username: string }[]>('/api/users')).body.find(
      (u) => u.username === 'alice',
    )!;
    const toAgent = await agents.bob!.socket.call('transfer', { interactionId: parentId, agentId: alice.id });
    expect(toAgent.event).toBe('ack');
    // Back in the queue, reserved for Alice, who is available: by the time the answer is read it may be hers already.
    expect(['queued', 'offered']).toContain((toAgent.data.result as { state: string }).state);
    const offer = await agents.alice!.socket.next('offer', (d) => (d.interaction as { id: string }).id === parentId);
    expect(offer.data.interaction).toMatchObject({ agentId: alice.id });
    expect(await agents.alice!.socket.call('accept', { interactionId: parentId })).toMatchObject({ event: 'ack' });
    const toGroup = await agents.alice!.api.post<{ state: string; workgroupId: string }>(
      `/api/interactions/${parentId}/transfer`,
      { workgroupId: ids.slow },
    );
    expect(toGroup.body).toMatchObject({ state: 'queued', workgroupId: ids.slow });
    // No longer Alice's: she may not act on it, nor even see it.
    const bad = await agents.alice!.api.post(`/api/interactions/${parentId}/transfer`, { workgroupId: ids.slow });
    expect(bad.status).toBe(403);
    await status('alice', 'away');
  });

  it('lets an operator find every interaction in Temporal by its search attributes', async () => {
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection });
    try {
      const count = async (query: string) => {
        let n = 0;
        for await (const _ of client.workflow.list({ query })) n += 1;
        return n;
      };
      await waitFor(async () => (await count('InteractionState="completed"')) >= 8, 20_000);
      expect(await count('Platform="twitter" AND InteractionState="completed"')).toBe(4);
      expect(await count('Platform="facebook" AND InteractionType="directMessage"')).toBe(2);
      expect(await count('Workgroup="Social Public" AND Agent="alice" AND InteractionState="completed"')).toBe(2);
      expect(await count('Agent="bob" AND InteractionType="directMessage"')).toBe(2);
      expect(await count('Workgroup="Timeout Drill" AND InteractionState="queued"')).toBe(1);
    } finally {
      await connection.close();
    }
  });

  it('stores a message that fails the keywords as filtered, and routes nothing for it', async () => {
    const result = await stack.sim.injectMention({ text: `@${x.handle} giveaway! win an order now` });
    expect(result.delivery?.status).toBe(200);
    let filtered: { id: string; state: string; workflowId: string | null } | undefined;
    await waitFor(async () => {
      const list = await admin.get<{ id: string; state: string; workflowId: string | null }[]>(
        '/api/interactions?state=filtered',
      );
      filtered = list.body[0];
      return filtered !== undefined;
    });
    expect(filtered).toMatchObject({ state: 'filtered', workflowId: null });
  });

  it('stores a redelivered webhook once, even when ten copies arrive together', async () => {
    const first = await stack.sim.injectComment({ text: 'help, refund please', deliver: false });
    const copies = await Promise.all(
      Array.from({ length: 10 }, () => stack.sim.injectRaw({ platform: 'facebook', body: first.rawBody })),
    );
    expect(copies.map((copy) => copy.delivery?.status)).toEqual(Array(10).fill(200));
    await waitFor(async () => {
      const list = await admin.get<{ conversationKey: string }[]>('/api/interactions?state=queued');
      return list.body.some((i) => i.conversationKey === first.ids.commentId);
    });
    const list = await admin.get<{ id: string; conversationKey: string }[]>('/api/interactions');
    const mine = list.body.filter((i) => i.conversationKey === first.ids.commentId);
    expect(mine).toHaveLength(1);
    const detail = await admin.get<{ messages: unknown[] }>(`/api/interactions/${mine[0]!.id}`);
    expect(detail.body.messages).toHaveLength(1);
  });

  it('rejects unsigned and forged webhooks and stores nothing from them', async () => {
    const body = JSON.stringify({ for_user_id: x.userId, tweet_create_events: [{ id_str: '1', text: 'forged' }] });
    const unsigned = await fetch(`${stack.baseUrl}/webhooks/twitter`, { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    const forged = await fetch(`${stack.baseUrl}/webhooks/twitter`, {
      method: 'POST',
      body,
      headers: { 'x-twitter-webhooks-signature': 'sha256=AAAA' },
    });
    expect(forged.status).toBe(401);
    const garbage = await stack.sim.injectRaw({ platform: 'facebook', body: '{not json' });
    expect(garbage.delivery?.status).toBe(400);
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_webhook_requests_total\{platform="twitter",status="401"\} [1-9]/);
    expect(metrics).toMatch(/switchboard_webhook_events_total\{platform="facebook",outcome="stored"\} [1-9]/);
  });

  it('puts an offer that was not accepted in time back in the queue and offers it to the next agent', async () => {
    await status('carol', 'available');
    await stack.sim.injectComment({ text: 'order question #drill' });
    const offer = await agents.carol!.socket.next('offer');
    const interactionId = (offer.data.interaction as { id: string }).id;
    // Carol lets it ring: after the workgroup's 5 s it is queued again and Carol is set away.
    await agents.carol!.socket.next(
      'interaction.updated',
      (d) => d.id === interactionId && d.state === 'queued',
      20_000,
    );
    await agents.carol!.socket.next('agent.updated', (d) => d.status === 'away');
    await status('dave', 'available');
    const reoffer: Frame = await agents.dave!.socket.next(
      'offer',
      (d) => (d.interaction as { id: string }).id === interactionId,
    );
    expect(reoffer.data.interaction).toMatchObject({ state: 'offered' });
    expect((await agents.dave!.socket.call('accept', { interactionId })).event).toBe('ack');
  });

  it('updates and deletes configuration, refusing to delete what is still referenced', async () => {
    const group = await admin.create<{ id: string }>('/api/workgroups', { name: 'Temporary' });
    const patched = await admin.patch(`/api/workgroups/${group.id}`, {
      acceptTimeoutSeconds: 45,
      wrapUpTimeoutSeconds: null,
    });
    expect(patched.body).toMatchObject({ name: 'Temporary', acceptTimeoutSeconds: 45, wrapUpTimeoutSeconds: null });
    const channel = await admin.create<{ id: string }>('/api/channels', {
      name: 'temporary',
      accountIds: [ids.twitter],
      publicWorkgroupId: group.id,
      enabled: false,
    });
    expect((await admin.patch(`/api/channels/${channel.id}`, { keywords: { any: ['x'] } })).body).toMatchObject({
      keywords: { any: ['x'], all: [], none: [] },
      enabled: false,
    });
    expect((await admin.delete(`/api/workgroups/${group.id}`)).status).toBe(409);
    expect((await admin.delete(`/api/channels/${channel.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/workgroups/${group.id}`)).status).toBe(204);
    expect((await admin.get(`/api/workgroups/${group.id}`)).status).toBe(404);

    const response = await admin.create<{ id: string }>('/api/standard-responses', {
      title: 'Hello',
      text: 'Hi {{customer.name}}, {{agent.name}} here.',
    });
    expect((await admin.patch(`/api/standard-responses/${response.id}`, { title: 'Greeting' })).body).toMatchObject({
      title: 'Greeting',
      text: 'Hi {{customer.name}}, {{agent.name}} here.',
    });
    expect((await agents.alice!.api.get('/api/standard-responses')).status).toBe(200);
    expect((await admin.delete(`/api/standard-responses/${response.id}`)).status).toBe(204);
    expect((await admin.post('/api/wrapup-codes', { code: 'resolved', label: 'Again' })).status).toBe(409);
  });

  it('answers bad requests with the right status and names the field', async () => {
    const alice = agents.alice!.api;
    expect((await new ApiClient(stack.baseUrl).get('/api/accounts')).status).toBe(401);
    expect((await alice.get('/api/accounts')).status).toBe(403);
    const invalid = await admin.post<{ error: string; details: { field: string }[] }>('/api/workgroups', {
      name: 'x',
      acceptTimeoutSeconds: 'soon',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((d) => d.field)).toContain('acceptTimeoutSeconds');
    expect((await admin.get('/api/interactions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const [someone] = (await admin.get<{ id: string; state: string }[]>('/api/interactions?state=completed')).body;
    expect((await alice.post(`/api/interactions/${someone!.id}/accept`)).status).toBe(409);
    expect((await admin.post('/api/auth/login', { username: 'admin', password: 'wrong' })).status).toBe(401);
    const notJson = await admin.request('POST', '/api/workgroups', '{oops', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(typeof (notJson.body as { error?: unknown }).error).toBe('string');
    const accounts = await admin.get<Record<string, unknown>[]>('/api/accounts');
    expect(JSON.stringify(accounts.body)).not.toMatch(/sim-app-secret|sim-consumer-secret|sim-page-token/);
  });
});
