import { Client as PgClient } from 'pg';
import { AgentSocket } from './support/agent-socket';
import { ApiClient } from './support/api-client';
import { createAgent, facebookAccountBody } from './support/builders';
import { ADMIN_PASSWORD, startStack, waitFor, type Stack } from './support/stack';

/**
 * "A crash of any process loses no message and no interaction": processes are killed with SIGKILL at awkward moments
 * and the launcher restarts them; everything that was acknowledged must still reach an agent.
 */
async function withDatabase<T>(stack: Stack, work: (db: PgClient) => Promise<T>): Promise<T> {
  const db = new PgClient({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

describe('crash recovery', () => {
  let stack: Stack;
  let admin: ApiClient;
  let agentApi: ApiClient;
  let socket: AgentSocket;
  let accountId = '';

  beforeAll(async () => {
    stack = await startStack();
    admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    accountId = (await admin.create('/api/accounts', facebookAccountBody())).id;
    const workgroup = await admin.create('/api/workgroups', { name: 'Care', acceptTimeoutSeconds: 120 });
    await admin.create('/api/channels', {
      name: 'care',
      accountIds: [accountId],
      publicWorkgroupId: workgroup.id,
      privateWorkgroupId: workgroup.id,
    });
    await admin.create('/api/wrapup-codes', { code: 'resolved', label: 'Resolved' });
    agentApi = await createAgent(admin, 'erin', [workgroup.id], { conversation: 10, directMessage: 10 });
    socket = await AgentSocket.connect(stack.baseUrl, agentApi.bearer);
    expect(await socket.call('status', { status: 'available' })).toMatchObject({ event: 'ack' });
  }, 240_000);

  afterAll(async () => {
    socket?.close();
    await stack?.stop();
  }, 60_000);

  it('acknowledges webhooks while the worker is down and routes them once it is back', async () => {
    const worker = stack.pidOf('worker');
    process.kill(worker, 'SIGKILL');
    const result = await stack.sim.injectMessage({ text: 'sent while the worker was dead' });
    expect(result.delivery?.status).toBe(200);
    const offer = await socket.next(
      'offer',
      (d) => (d.lastMessage as { text: string } | null)?.text === 'sent while the worker was dead',
      60_000,
    );
    expect(stack.pidOf('worker')).not.toBe(worker);
    const id = (offer.data.interaction as { id: string }).id;
    expect(await socket.call('accept', { interactionId: id })).toMatchObject({ event: 'ack' });
  });

  it('finishes an interaction whose gateway was killed while the agent worked on it', async () => {
    await stack.sim.injectComment({ text: 'a comment before the gateway dies' });
    const offer = await socket.next(
      'offer',
      (d) => (d.lastMessage as { text: string } | null)?.text === 'a comment before the gateway dies',
    );
    const id = (offer.data.interaction as { id: string }).id;
    expect(await socket.call('accept', { interactionId: id })).toMatchObject({ event: 'ack' });

    const gateway = stack.pidOf('gateway');
    const closed = socket.closed();
    process.kill(gateway, 'SIGKILL');
    await closed;
    await waitFor(async () => (await fetch(`${stack.baseUrl}/health`).catch(() => null))?.ok === true, 60_000);
    expect(stack.pidOf('gateway')).not.toBe(gateway);

    socket = await AgentSocket.connect(stack.baseUrl, agentApi.bearer);
    const reply = await agentApi.post<{ id: string }>(`/api/interactions/${id}/replies`, {
      text: 'still here',
      visibility: 'public',
    });
    expect(reply.status).toBe(202);
    await socket.next('message.updated', (d) => d.id === reply.body.id && d.deliveryStatus === 'sent');

    // What a gateway killed between storing a reply and telling the workflow leaves behind: the sweep hands it over.
    const stranded = await withDatabase(stack, async (db) => {
      const result = await db.query<{ id: string }>(
        `INSERT INTO messages (platform, account_id, conversation_key, interaction_id, direction, visibility, text,
                               sent_at, received_at, delivery_status)
         SELECT platform, account_id, conversation_key, id, 'outbound', 'public', 'stranded reply', now(),
                now() - interval '1 minute', 'pending'
           FROM interactions WHERE id = $1
         RETURNING id`,
        [id],
      );
      return result.rows[0]!.id;
    });
    await socket.next('message.updated', (d) => d.id === stranded && d.deliveryStatus === 'sent', 30_000);
    expect(stack.sim.sent().some((record) => record.text === 'stranded reply')).toBe(true);
    expect((await agentApi.post(`/api/interactions/${id}/disconnect`)).status).toBe(200);
    expect((await agentApi.post(`/api/interactions/${id}/wrapup`, { code: 'resolved' })).body).toMatchObject({
      state: 'completed',
    });
  });

  it('routes a stored message that a crash left unrouted, through the sweep', async () => {
    // What a gateway killed between the acknowledgement and the routing leaves behind: a stored, unrouted message.
    await withDatabase(stack, (db) =>
      db.query(
        `INSERT INTO messages (platform, account_id, platform_message_id, conversation_key, direction, visibility, text,
                               sent_at, received_at)
         VALUES ('facebook', $1, 'crash_1', 'crash_1', 'inbound', 'public', 'left behind by a crash', now(),
                 now() - interval '1 minute')`,
        [accountId],
      ),
    );
    const offer = await socket.next(
      'offer',
      (d) => (d.interaction as { conversationKey: string }).conversationKey === 'crash_1',
      30_000,
    );
    expect(offer.data.interaction).toMatchObject({ state: 'offered', platform: 'facebook' });
  });
});
