import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { xPollerWorkflowId } from '@switchboard/contracts';
import { SIMULATOR_DEFAULTS } from '../apps/simulator/simulator';
import { AgentSocket } from './support/agent-socket';
import { ApiClient } from './support/api-client';
import { createAgent, facebookAccountBody, twitterAccountBody } from './support/builders';
import { ADMIN_PASSWORD, startStack, waitFor, type Stack } from './support/stack';

interface MessageView {
  id: string;
  text: string | null;
  direction: string;
  external: boolean;
  deliveryStatus: string | null;
}

/**
 * The live ways in, against the simulator: an X account read by its durable poller instead of webhooks, platform
 * echoes of what agents send, replies written in Meta's own inbox, and Messenger profiles.
 */
describe('polling, echoes and profiles', () => {
  let stack: Stack;
  let admin: ApiClient;
  let db: PgClient;
  let agent: { api: ApiClient; socket: AgentSocket };
  const ids: Record<string, string> = {};
  const x = SIMULATOR_DEFAULTS.twitter;

  beforeAll(async () => {
    stack = await startStack({ X_POLL_MENTIONS_SECONDS: '1', X_POLL_DM_SECONDS: '1' });
    // Polling once a second would exhaust X's DM-events window (15 per 15 min) within the test.
    const generous = { limit: 10_000, windowSeconds: 900, dailyLimit: null };
    stack.sim.updateConfig({ rateLimits: { dmEvents: generous, mentions: generous } });
    admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    db = new PgClient({ connectionString: stack.databaseUrl });
    await db.connect();
    ids.facebook = (await admin.create('/api/accounts', facebookAccountBody())).id;
    ids.twitter = (await admin.create('/api/accounts', { ...twitterAccountBody(), ingest: 'poll' })).id;
    ids.workgroup = (await admin.create('/api/workgroups', { name: 'Care', acceptTimeoutSeconds: 120 })).id;
    await admin.create('/api/channels', {
      name: 'care',
      accountIds: [ids.facebook, ids.twitter],
      publicWorkgroupId: ids.workgroup,
      privateWorkgroupId: ids.workgroup,
    });
    const api = await createAgent(admin, 'erin', [ids.workgroup], { conversation: 10, directMessage: 10 });
    agent = { api, socket: await AgentSocket.connect(stack.baseUrl, api.bearer) };
  }, 240_000);

  afterAll(async () => {
    agent?.socket.close();
    await db?.end();
    await stack?.stop();
  }, 60_000);

  async function interactionOf(platformMessageId: string): Promise<string> {
    let interactionId = '';
    await waitFor(async () => {
      const row = await db.query<{ interaction_id: string | null }>(
        'SELECT interaction_id FROM messages WHERE platform_message_id = $1',
        [platformMessageId],
      );
      interactionId = row.rows[0]?.interaction_id ?? '';
      return interactionId !== '';
    }, 30_000);
    return interactionId;
  }

  const thread = async (interactionId: string) =>
    (await admin.get<{ messages: MessageView[] }>(`/api/interactions/${interactionId}`)).body.messages;

  it('reads a polled account’s mentions and DMs, once each even when a webhook brings them too', async () => {
    const mention = await stack.sim.injectMention({ text: `@${x.handle} my order is missing`, deliver: false });
    const fromMention = await interactionOf(mention.ids.tweetId);
    const detail = await admin.get<{ type: string; state: string; customer: { handle: string } | null }>(
      `/api/interactions/${fromMention}`,
    );
    expect(detail.body).toMatchObject({ type: 'conversation', state: 'queued' });
    expect(detail.body.customer?.handle).toBeTruthy();

    const dm = await stack.sim.injectDm({ text: 'Where is my parcel?', deliver: false });
    const fromDm = await interactionOf(dm.ids.eventId);
    const dmRow = await db.query<{ conversation_key: string }>(
      'SELECT conversation_key FROM interactions WHERE id = $1',
      [fromDm],
    );
    expect(dmRow.rows[0]?.conversation_key).toBe(dm.ids.conversationId);

    // The same mention by webhook as well: still one message.
    const again = await stack.sim.injectRaw({ platform: 'twitter', body: mention.rawBody });
    expect(again.delivery?.status).toBe(200);
    const copies = await db.query('SELECT id FROM messages WHERE platform_message_id = $1', [mention.ids.tweetId]);
    expect(copies.rowCount).toBe(1);

    const cursors = await db.query<{ stream: string; cursor: string }>(
      'SELECT stream, cursor FROM poll_cursors WHERE account_id = $1 ORDER BY stream',
      [ids.twitter],
    );
    expect(cursors.rows).toEqual([
      { stream: 'dm_events', cursor: dm.ids.eventId },
      { stream: 'mentions', cursor: mention.ids.tweetId },
    ]);
  });

  it('keeps one durable poller per account in Temporal, which ends when the account stops polling', async () => {
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const temporal = new TemporalClient({ connection });
      const handle = temporal.workflow.getHandle(xPollerWorkflowId(ids.twitter!));
      await waitFor(async () => (await handle.describe().catch(() => null))?.status.name === 'RUNNING');
      expect((await admin.patch(`/api/accounts/${ids.twitter}`, { ingest: 'webhook' })).status).toBe(200);
      const diagnostic = async () => {
        const cursors = await db.query('SELECT * FROM poll_cursors WHERE account_id = $1', [ids.twitter]);
        const described = await handle.describe();
        return `${described.status.name} run ${described.runId}: ${JSON.stringify(cursors.rows)}`;
      };
      let last = '';
      await waitFor(
        async () => {
          last = await diagnostic();
          return (await handle.describe()).status.name === 'COMPLETED';
        },
        30_000,
        () => last,
      );
      expect((await admin.patch(`/api/accounts/${ids.twitter}`, { ingest: 'poll' })).status).toBe(200);
      await waitFor(async () => (await handle.describe()).status.name === 'RUNNING', 30_000);
    } finally {
      await connection.close();
    }
  });

  it('records the platform’s echo of an agent’s reply once, and a reply written in Meta’s inbox as external', async () => {
    expect((await agent.socket.call('status', { status: 'available' })).event).toBe('ack');
    const psid = '3000000000077001';
    const inbound = await stack.sim.injectMessage({ text: 'Hello, I need help', from: { id: psid, name: 'Ann' } });
    const offer = await agent.socket.next('offer', (d) => {
      const offered = d.interaction as { type: string; platform: string };
      return offered.type === 'directMessage' && offered.platform === 'facebook';
    });
    const interactionId = (offer.data.interaction as { id: string }).id;
    expect(await interactionOf(inbound.ids.mid)).toBe(interactionId);
    expect((await agent.socket.call('accept', { interactionId })).event).toBe('ack');

    const reply = await agent.api.post<{ id: string }>(`/api/interactions/${interactionId}/replies`, {
      text: 'Hi Ann, looking into it',
      visibility: 'private',
    });
    expect(reply.status).toBe(202);
    await agent.socket.next('message.updated', (d) => d.id === reply.body.id && d.deliveryStatus === 'sent');
    await stack.sim.idle(); // the echo of the send has been delivered
    await new Promise((r) => setTimeout(r, 300));
    const outbound = (await thread(interactionId)).filter((m) => m.direction === 'outbound');
    expect(outbound).toEqual([
      expect.objectContaining({ text: 'Hi Ann, looking into it', external: false, deliveryStatus: 'sent' }),
    ]);

    await stack.sim.injectInboxEcho({ psid, text: 'Sent from the Page Inbox' });
    const created = await agent.socket.next('message.created', (d) => d.text === 'Sent from the Page Inbox');
    expect(created.data).toMatchObject({ direction: 'outbound', external: true, interactionId });
  });

  it('fills in a Messenger customer’s name from the Graph API, and leaves it empty without permission', async () => {
    await stack.sim.injectMessage({ text: 'Hi there', from: { id: '3000000000077002', name: 'Jane Doe' } });
    await stack.sim.injectMessage({
      text: 'Hi again',
      from: { id: '3000000000077003', name: 'Hidden Person', profile: 'none' },
    });
    const customer = async (psid: string) =>
      (
        await db.query<{ name: string | null; profile_checked_at: Date | null }>(
          'SELECT name, profile_checked_at FROM customers WHERE platform_user_id = $1',
          [psid],
        )
      ).rows[0];
    await waitFor(async () => (await customer('3000000000077002'))?.name === 'Jane Doe');
    await waitFor(async () => (await customer('3000000000077003'))?.profile_checked_at instanceof Date);
    expect((await customer('3000000000077003'))?.name).toBeNull();
  });
});
