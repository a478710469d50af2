import { AgentSocket } from './support/agent-socket';
import { ApiClient } from './support/api-client';
import { createAgent, createChannel, facebookAccountBody } from './support/builders';
import { ADMIN_PASSWORD, startStack, type Stack } from './support/stack';

interface Detail {
  id: string;
  messages: { direction: string; text: string | null }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Replies the platforms' rules forbid are answered 422 with the rule, before anything is stored or sent: Messenger's
 * windows, Meta's one private reply per comment within 7 days, and a reply under a deleted comment. Through the real
 * stack; the simulator's clock makes the customer's words as old as each case needs.
 */
describe('reply rules: 422 before anything is sent', () => {
  let stack: Stack;
  let api: ApiClient;
  let socket: AgentSocket;
  let customers = 0;

  beforeAll(async () => {
    stack = await startStack();
    const admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    const account = (await admin.create<{ id: string }>('/api/accounts', facebookAccountBody())).id;
    const care = (await admin.create<{ id: string }>('/api/workgroups', { name: 'Care', acceptTimeoutSeconds: 120 }))
      .id;
    api = await createAgent(admin, 'alice', [care], { conversation: 10, directMessage: 10 });
    socket = await AgentSocket.connect(stack.baseUrl, api.bearer);
    await createChannel(admin, { accountId: account, workgroupId: care });
    expect((await socket.call('status', { status: 'available' })).event).toBe('ack');
  }, 240_000);

  afterAll(async () => {
    socket?.close();
    await stack?.stop();
  }, 60_000);

  /** The customer's words, written `daysAgo` days ago by the platform's clock; accepted by Alice. */
  async function connected(kind: 'comment' | 'message', text: string, daysAgo = 0) {
    const from = { id: `31655${String(++customers).padStart(10, '0')}`, name: `Customer ${customers}` };
    stack.sim.setClock({ now: new Date(Date.now() - daysAgo * DAY_MS).toISOString() });
    const injected =
      kind === 'comment'
        ? await stack.sim.injectComment({ text, from })
        : await stack.sim.injectMessage({ text, from });
    stack.sim.setClock({ now: new Date().toISOString() });
    const offer = await socket.next('offer', (d) => (d.lastMessage as { text?: string } | null)?.text === text);
    const id = (offer.data.interaction as { id: string }).id;
    expect((await socket.call('accept', { interactionId: id })).event).toBe('ack');
    return { id, ids: injected.ids as Record<string, string>, psid: from.id };
  }

  const outbound = async (id: string) =>
    (await api.get<Detail>(`/api/interactions/${id}`)).body.messages.filter((m) => m.direction === 'outbound');
  const sentTo = (target: string) => stack.sim.sent().filter((r) => r.target === target || r.recipientId === target);

  it('refuses a Messenger answer more than 7 days after the customer last wrote, storing and sending nothing', async () => {
    const { id, psid } = await connected('message', 'my order from last week', 8);
    // The interaction says so before anyone types: the desk shows it above the reply box.
    const rules = (await api.get<{ replyRules: { private: { rule: string } | null } }>(`/api/interactions/${id}`)).body
      .replyRules;
    expect(rules.private?.rule).toBe('messenger-window');
    const refused = await api.post<{ error: string; details: { rule: string }[] }>(`/api/interactions/${id}/replies`, {
      text: 'Sorry for the wait!',
      visibility: 'private',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details).toEqual([{ rule: 'messenger-window' }]);
    expect(refused.body.error).toMatch(/Messenger window is closed/);
    // Over the socket too.
    const frame = await socket.call('reply', { interactionId: id, text: 'Still there?', visibility: 'private' });
    expect(frame).toMatchObject({ event: 'error', data: { status: 422, details: [{ rule: 'messenger-window' }] } });
    expect(await outbound(id)).toEqual([]);
    expect(sentTo(psid)).toEqual([]);
  });

  it('answers within the 7 days, with the human agent tag after the first 24 hours', async () => {
    const { id, psid } = await connected('message', 'order question from the weekend', 2);
    const detail = (
      await api.get<{ messages: { sentAt: string }[]; replyRules: { private: unknown; privateUntil: string } }>(
        `/api/interactions/${id}`,
      )
    ).body;
    expect(detail.replyRules.private).toBeNull();
    expect(Date.parse(detail.replyRules.privateUntil)).toBe(Date.parse(detail.messages[0]!.sentAt) + 7 * DAY_MS);
    const reply = await api.post<{ id: string }>(`/api/interactions/${id}/replies`, {
      text: 'Here is your answer.',
      visibility: 'private',
    });
    expect(reply.status).toBe(202);
    await socket.next('message.updated', (d) => d.id === reply.body.id && d.deliveryStatus === 'sent');
    const [sent] = sentTo(psid);
    expect(sent?.request.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('allows one private reply per comment, and no second message before the customer answers it', async () => {
    const { id } = await connected('comment', 'my order arrived broken');
    const first = await api.post<{ id: string; interactionId: string }>(`/api/interactions/${id}/replies`, {
      text: 'Sorry! Let us sort it out in private.',
      visibility: 'private',
    });
    expect(first.status).toBe(202);
    await socket.next('message.updated', (d) => d.id === first.body.id && d.deliveryStatus === 'sent');
    const second = await api.post<{ details: { rule: string }[] }>(`/api/interactions/${id}/replies`, {
      text: 'And another thing…',
      visibility: 'private',
    });
    expect(second.status).toBe(422);
    expect(second.body.details).toEqual([{ rule: 'private-reply-used' }]);
    // The direct-message interaction it opened waits for the customer's answer before anything else goes.
    const early = await api.post<{ details: { rule: string }[] }>(
      `/api/interactions/${first.body.interactionId}/replies`,
      {
        text: 'Hello?',
        visibility: 'private',
      },
    );
    expect(early.status).toBe(422);
    expect(early.body.details).toEqual([{ rule: 'awaiting-customer' }]);
    expect((await outbound(first.body.interactionId)).map((m) => m.text)).toEqual([
      'Sorry! Let us sort it out in private.',
    ]);
  });

  it('sends a failed private reply again from the conversation it opened, then waits for the customer', async () => {
    const { id, ids } = await connected('comment', 'order arrived in pieces');
    stack.sim.failNext({ method: 'POST', pathPattern: 'messages$', graphError: 551 });
    const first = await api.post<{ id: string; interactionId: string }>(`/api/interactions/${id}/replies`, {
      text: 'Sorry! Writing to you privately.',
      visibility: 'private',
    });
    expect(first.status).toBe(202);
    await socket.next('message.updated', (d) => d.id === first.body.id && d.deliveryStatus === 'failed');
    // Nothing reached the customer: the conversation it opened may send the private reply again.
    const again = await api.post<{ id: string }>(`/api/interactions/${first.body.interactionId}/replies`, {
      text: 'Sorry! Writing to you privately (again).',
      visibility: 'private',
    });
    expect(again.status).toBe(202);
    await socket.next('message.updated', (d) => d.id === again.body.id && d.deliveryStatus === 'sent');
    expect(sentTo(ids.commentId!).map((r) => r.text)).toEqual(['Sorry! Writing to you privately (again).']);
    const third = await api.post<{ details: { rule: string }[] }>(
      `/api/interactions/${first.body.interactionId}/replies`,
      { text: 'Hello?', visibility: 'private' },
    );
    expect(third.status).toBe(422);
    expect(third.body.details).toEqual([{ rule: 'awaiting-customer' }]);
  });

  it('refuses a private reply to a comment older than 7 days', async () => {
    const { id, ids } = await connected('comment', 'order never came, still waiting', 8);
    const refused = await api.post<{ details: { rule: string }[] }>(`/api/interactions/${id}/replies`, {
      text: 'Let us talk in private.',
      visibility: 'private',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details).toEqual([{ rule: 'private-reply-expired' }]);
    expect(sentTo(ids.commentId!)).toEqual([]);
    // A public answer is still possible.
    expect((await api.post(`/api/interactions/${id}/replies`, { text: 'Sorry!', visibility: 'public' })).status).toBe(
      202,
    );
  });

  it('refuses a public reply under a comment the customer deleted', async () => {
    const { id, ids } = await connected('comment', 'wrong order, never mind');
    await stack.sim.injectComment({ verb: 'remove', commentId: ids.commentId! });
    await socket.next('message.updated', (d) => d.interactionId === id && d.deletedAt !== null);
    const refused = await api.post<{ details: { rule: string }[] }>(`/api/interactions/${id}/replies`, {
      text: 'Anything else?',
      visibility: 'public',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details).toEqual([{ rule: 'nothing-to-answer' }]);
    expect(await outbound(id)).toEqual([]);
  });
});

describe('reply rules without the Human Agent permission (MESSENGER_HUMAN_AGENT=false)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ MESSENGER_HUMAN_AGENT: 'false' });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('refuses a Messenger answer after 24 hours, and says until when one may go', async () => {
    const admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    const account = (await admin.create<{ id: string }>('/api/accounts', facebookAccountBody())).id;
    const care = (await admin.create<{ id: string }>('/api/workgroups', { name: 'Care' })).id;
    const api = await createAgent(admin, 'bob', [care]);
    const socket = await AgentSocket.connect(stack.baseUrl, api.bearer);
    try {
      await createChannel(admin, { accountId: account, workgroupId: care });
      expect((await socket.call('status', { status: 'available' })).event).toBe('ack');
      stack.sim.setClock({ now: new Date(Date.now() - 2 * DAY_MS).toISOString() });
      await stack.sim.injectMessage({ text: 'order from two days ago', from: { id: '3165599000000001' } });
      stack.sim.setClock({ now: new Date().toISOString() });
      const offer = await socket.next('offer');
      const id = (offer.data.interaction as { id: string }).id;
      expect((await socket.call('accept', { interactionId: id })).event).toBe('ack');
      const refused = await api.post<{ error: string; details: { rule: string }[] }>(
        `/api/interactions/${id}/replies`,
        { text: 'Sorry for the wait!', visibility: 'private' },
      );
      expect(refused.status).toBe(422);
      expect(refused.body.details).toEqual([{ rule: 'messenger-window' }]);
      expect(refused.body.error).toMatch(/24 hours/);
      const detail = await api.get<{ messages: { sentAt: string }[]; replyRules: { privateUntil: string } }>(
        `/api/interactions/${id}`,
      );
      expect(Date.parse(detail.body.replyRules.privateUntil)).toBe(
        Date.parse(detail.body.messages[0]!.sentAt) + DAY_MS,
      );
    } finally {
      socket.close();
    }
  });
});
