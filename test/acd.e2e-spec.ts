import { AgentSocket } from './support/agent-socket';
import { ApiClient } from './support/api-client';
import { createAgent, createChannel, facebookAccountBody } from './support/builders';
import { ADMIN_PASSWORD, startStack, waitFor, type Stack } from './support/stack';

interface View {
  id: string;
  state: string;
  agentId: string | null;
  workgroupId: string | null;
}

/**
 * Declining, a supervisor's assignment, and a supervisor's transfer and disconnect, through the real stack: the
 * gateway's REST and WebSocket, the Temporal workflow, the dispatcher in PostgreSQL, the simulator's comments.
 */
describe('ACD: decline, assign, and a supervisor stepping in', () => {
  let stack: Stack;
  let admin: ApiClient;
  let care = '';
  let elsewhere = '';
  let account = '';
  const agents: Record<string, { id: string; api: ApiClient; socket: AgentSocket }> = {};

  beforeAll(async () => {
    stack = await startStack();
    admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    account = (await admin.create<{ id: string }>('/api/accounts', facebookAccountBody())).id;
    care = (await admin.create<{ id: string }>('/api/workgroups', { name: 'Care', acceptTimeoutSeconds: 120 })).id;
    elsewhere = (await admin.create<{ id: string }>('/api/workgroups', { name: 'Elsewhere' })).id;
    for (const [username, workgroups, capacity] of [
      ['alice', [care], undefined],
      ['bob', [care], undefined],
      ['carol', [care], { conversation: 0, directMessage: 0 }],
      ['dave', [elsewhere], undefined],
    ] as const) {
      const api = await createAgent(admin, username, [...workgroups], capacity);
      const me = await api.get<{ id: string }>('/api/agents/me');
      agents[username] = { id: me.body.id, api, socket: await AgentSocket.connect(stack.baseUrl, api.bearer) };
    }
    await createChannel(admin, { accountId: account, workgroupId: care });
  }, 240_000);

  afterAll(async () => {
    Object.values(agents).forEach(({ socket }) => socket.close());
    await stack?.stop();
  }, 60_000);

  async function status(agent: string, value: 'available' | 'away' | 'offline') {
    expect((await agents[agent]!.socket.call('status', { status: value })).event).toBe('ack');
  }

  const view = async (id: string) => (await admin.get<View>(`/api/interactions/${id}`)).body;

  /** A new comment's interaction, once the dispatcher has offered it: its id and who holds the offer. */
  async function offeredComment(text: string): Promise<{ id: string; holder: string }> {
    await stack.sim.injectComment({ text });
    let found: View | undefined;
    await waitFor(async () => {
      const list = await admin.get<View[]>('/api/interactions?state=offered');
      found = list.body.find((i) => !seen.has(i.id));
      return found !== undefined;
    });
    seen.add(found!.id);
    const holder = Object.keys(agents).find((name) => agents[name]!.id === found!.agentId)!;
    return { id: found!.id, holder };
  }
  const seen = new Set<string>();

  const offersOf = (agent: string, id: string) =>
    agents[agent]!.socket.frames.filter((f) => f.event === 'offer' && (f.data.interaction as { id: string }).id === id)
      .length;

  it('sends a declined offer to the next agent at once, never back to whoever declined it', async () => {
    await status('alice', 'available');
    await status('bob', 'available');
    const { id, holder } = await offeredComment('where is my order? (decline drill)');
    const other = holder === 'alice' ? 'bob' : 'alice';
    await agents[holder]!.socket.next('offer', (d) => (d.interaction as { id: string }).id === id);

    const declined = await agents[holder]!.socket.call('decline', { interactionId: id });
    expect(declined.event).toBe('ack');
    // The holder hears that it is no longer theirs; the other agent is offered it without waiting for a timer.
    await agents[holder]!.socket.next('interaction.updated', (d) => d.id === id && d.agentId !== agents[holder]!.id);
    const reoffer = await agents[other]!.socket.next('offer', (d) => (d.interaction as { id: string }).id === id);
    expect(reoffer.data.interaction).toMatchObject({ state: 'offered', agentId: agents[other]!.id });
    // A decline is an answer, not an absence: the status stays.
    expect((await agents[holder]!.api.get<{ status: string }>('/api/agents/me')).body.status).toBe('available');

    // Declining again, or someone else's offer, is a conflict; an unknown interaction is not found.
    expect((await agents[holder]!.api.post(`/api/interactions/${id}/decline`)).status).toBe(409);
    expect((await agents.carol!.api.post(`/api/interactions/${id}/decline`)).status).toBe(409);
    expect(
      (await agents[other]!.api.post('/api/interactions/00000000-0000-4000-8000-000000000000/decline')).status,
    ).toBe(404);

    const second = await agents[other]!.api.post<View>(`/api/interactions/${id}/decline`);
    expect(second.status).toBe(200);
    // Both available agents of the workgroup declined it: it waits in the queue, offered to neither again.
    expect(await view(id)).toMatchObject({ state: 'queued', agentId: null });
    expect(offersOf(holder, id)).toBe(1);
    expect(offersOf(other, id)).toBe(1);

    // A supervisor may still give it to one of them: an assignment passes over earlier declines.
    const assigned = await admin.post<View>(`/api/interactions/${id}/assign`, { agentId: agents[holder]!.id });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ state: 'offered', agentId: agents[holder]!.id });
    await waitFor(() => offersOf(holder, id) === 2);
    expect(await agents[holder]!.socket.call('accept', { interactionId: id })).toMatchObject({
      event: 'ack',
      data: { result: { state: 'connected' } },
    });

    // The agents report counts each decline.
    // From yesterday to after tomorrow: a run across midnight still counts all it did.
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const until = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const report = await admin.get<{ agentId: string; offers: number; offersDeclined: number; accepted: number }[]>(
      `/api/reports/agents?from=${since}&to=${until}`,
    );
    expect(report.status).toBe(200);
    expect(report.body.find((r) => r.agentId === agents[holder]!.id)).toMatchObject({
      offers: 2,
      offersDeclined: 1,
      accepted: 1,
    });
    expect(report.body.find((r) => r.agentId === agents[other]!.id)).toMatchObject({ offers: 1, offersDeclined: 1 });
    const csv = await admin.get<string>(`/api/reports/agents?from=${since}&to=${until}&format=csv`);
    expect(csv.body.split('\n')[0]).toContain('offersDeclined');
  });

  it("lets a supervisor offer a waiting interaction to an agent of their choice, withdrawing someone else's offer", async () => {
    const { id, holder } = await offeredComment('my order never came (assign drill)');
    const other = holder === 'alice' ? 'bob' : 'alice';

    const moved = await admin.post<View>(`/api/interactions/${id}/assign`, { agentId: agents[other]!.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ state: 'offered', agentId: agents[other]!.id });
    await agents[other]!.socket.next('offer', (d) => (d.interaction as { id: string }).id === id);
    // The first holder's offer is gone (they are told), and their status is untouched.
    await agents[holder]!.socket.next('interaction.updated', (d) => d.id === id && d.agentId !== agents[holder]!.id);
    expect((await agents[holder]!.api.get<{ status: string }>('/api/agents/me')).body.status).toBe('available');
    expect((await agents[holder]!.api.post(`/api/interactions/${id}/accept`)).status).toBe(409);

    // Who may assign, to whom.
    expect((await agents.alice!.api.post(`/api/interactions/${id}/assign`, { agentId: agents.bob!.id })).status).toBe(
      403,
    );
    const notUuid = await admin.post<{ details: { field: string }[] }>(`/api/interactions/${id}/assign`, {
      agentId: 'bob',
    });
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.details.map((d) => d.field)).toContain('agentId');
    const adminId = (await admin.get<{ id: string }>('/api/auth/me')).body.id;
    const notAgent = await admin.post<{ details: { field: string }[] }>(`/api/interactions/${id}/assign`, {
      agentId: adminId,
    });
    expect(notAgent.status).toBe(400);
    expect(notAgent.body.details.map((d) => d.field)).toContain('agentId');
    expect((await admin.post(`/api/interactions/${id}/assign`, { agentId: agents.carol!.id })).status).toBe(409);
    await status('carol', 'available');
    const full = await admin.post<{ error: string; details: { code: string }[] }>(`/api/interactions/${id}/assign`, {
      agentId: agents.carol!.id,
    });
    expect(full.status).toBe(409);
    expect(full.body.error).toMatch(/no free slot/);
    expect(full.body.details).toEqual([{ code: 'AGENT_CANNOT_TAKE' }]);
    // A refused assignment changed nothing: the offer stands as it was.
    expect(await view(id)).toMatchObject({ state: 'offered', agentId: agents[other]!.id });
    // Once Carol has room, the same request succeeds (a refusal is not remembered as the answer).
    expect(
      (await admin.patch(`/api/users/${agents.carol!.id}`, { capacity: { conversation: 1, directMessage: 0 } })).status,
    ).toBe(200);
    const toCarol = await admin.post<View>(`/api/interactions/${id}/assign`, { agentId: agents.carol!.id });
    expect(toCarol.status).toBe(200);
    expect(toCarol.body).toMatchObject({ state: 'offered', agentId: agents.carol!.id });
    await agents.carol!.socket.next('offer', (d) => (d.interaction as { id: string }).id === id);

    // An agent outside the workgroup, once signed in, can be given it too.
    await status('dave', 'away');
    const toDave = await admin.post<View>(`/api/interactions/${id}/assign`, { agentId: agents.dave!.id });
    expect(toDave.body).toMatchObject({ state: 'offered', agentId: agents.dave!.id });
    await agents.dave!.socket.next('offer', (d) => (d.interaction as { id: string }).id === id);
    expect((await agents.dave!.socket.call('accept', { interactionId: id })).event).toBe('ack');
    const connected = await admin.post<{ error: string }>(`/api/interactions/${id}/assign`, {
      agentId: agents.bob!.id,
    });
    expect(connected.status).toBe(409);
    expect(connected.body.error).toMatch(/waiting/);
  });

  it("lets a supervisor transfer and disconnect an agent's connected interaction", async () => {
    const [daves] = (await agents.dave!.api.get<View[]>('/api/interactions?state=connected')).body;
    expect(daves).toBeTruthy();
    const id = daves!.id;
    await status('bob', 'available');
    // An agent may not act on another's interaction; a supervisor may.
    expect((await agents.bob!.api.post(`/api/interactions/${id}/disconnect`)).status).toBe(403);
    const offersBefore = offersOf('bob', id);
    const transferred = await admin.post<View>(`/api/interactions/${id}/transfer`, { agentId: agents.bob!.id });
    expect(transferred.status).toBe(200);
    expect(transferred.body).toMatchObject({ state: 'queued' });
    await agents.dave!.socket.next('interaction.updated', (d) => d.id === id && d.state === 'queued');
    await waitFor(() => offersOf('bob', id) === offersBefore + 1);
    expect((await agents.bob!.socket.call('accept', { interactionId: id })).event).toBe('ack');
    // And again: every transfer is its own.
    await status('alice', 'available');
    const alicesBefore = offersOf('alice', id);
    const again = await admin.post<View>(`/api/interactions/${id}/transfer`, { agentId: agents.alice!.id });
    expect(again.body).toMatchObject({ state: 'queued' });
    await waitFor(() => offersOf('alice', id) === alicesBefore + 1);
    expect((await agents.alice!.socket.call('accept', { interactionId: id })).event).toBe('ack');

    const disconnected = await admin.post<View>(`/api/interactions/${id}/disconnect`);
    expect(disconnected.status).toBe(200);
    expect(disconnected.body).toMatchObject({ state: 'wrapup', agentId: agents.alice!.id });
    // The wrap-up is the agent's.
    await agents.alice!.socket.next('interaction.updated', (d) => d.id === id && d.state === 'wrapup');
    const wrapped = await agents.alice!.socket.call('wrapup', { interactionId: id });
    expect(wrapped).toMatchObject({ event: 'ack', data: { result: { state: 'completed' } } });
    expect((await admin.post(`/api/interactions/${id}/disconnect`)).status).toBe(409);
  });

  it("moves an interaction nobody took to the overflow workgroup's queue after its time, and reports it", async () => {
    const firstLine = (
      await admin.create<{ id: string }>('/api/workgroups', {
        name: 'First line',
        acceptTimeoutSeconds: 60,
        overflow: { afterSeconds: 2, workgroupId: care },
      })
    ).id;
    await createChannel(admin, {
      accountId: account,
      workgroupId: firstLine,
      name: 'first line',
      any: ['#firstline'],
      priority: 10,
    });
    await status('alice', 'available');
    await status('bob', 'available');
    const sentAt = Date.now();
    await stack.sim.injectComment({ text: 'order question #firstline' });
    // Nobody is in First line: after its 2 s it moves to Care, where an available agent is offered it.
    let moved: View | undefined;
    await waitFor(async () => {
      const list = await admin.get<View[]>(`/api/interactions?state=offered&workgroupId=${care}`);
      moved = list.body.find((i) => !seen.has(i.id));
      return moved !== undefined;
    }, 20_000);
    seen.add(moved!.id);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(2_000);
    expect(['alice', 'bob', 'carol'].map((name) => agents[name]!.id)).toContain(moved!.agentId);

    // From yesterday to after tomorrow: a run across midnight still counts all it did.
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const until = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const report = await admin.get<{ workgroupId: string; offered: number; overflowed: number }[]>(
      `/api/reports/workgroups?from=${since}&to=${until}`,
    );
    expect(report.body.find((r) => r.workgroupId === firstLine)).toMatchObject({ offered: 1, overflowed: 1 });
    expect(report.body.find((r) => r.workgroupId === care)!.offered).toBeGreaterThanOrEqual(1);
  });

  it("lets a supervisor move a waiting interaction to another workgroup's queue, withdrawing its offer", async () => {
    const { id, holder } = await offeredComment('order stuck in customs (move drill)');
    // The agent holding the offer cannot send it elsewhere; nor can it go where it already waits.
    expect(
      (await agents[holder]!.api.post(`/api/interactions/${id}/transfer`, { workgroupId: elsewhere })).status,
    ).toBe(409);
    expect((await admin.post(`/api/interactions/${id}/transfer`, { workgroupId: care })).status).toBe(409);
    await status('dave', 'available');
    // From yesterday to after tomorrow: a run across midnight still counts all it did.
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const until = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const figures = async () => {
      const rows = (
        await admin.get<{ workgroupId: string; transferredIn: number; transferredOut: number }[]>(
          `/api/reports/workgroups?from=${since}&to=${until}`,
        )
      ).body;
      return {
        careOut: rows.find((r) => r.workgroupId === care)!.transferredOut,
        elsewhereIn: rows.find((r) => r.workgroupId === elsewhere)!.transferredIn,
      };
    };
    const before = await figures();
    const moved = await admin.post<View>(`/api/interactions/${id}/transfer`, { workgroupId: elsewhere });
    expect(moved.status).toBe(200);
    expect(moved.body.workgroupId).toBe(elsewhere);
    await agents.dave!.socket.next('offer', (d) => (d.interaction as { id: string }).id === id);
    await agents[holder]!.socket.next('interaction.updated', (d) => d.id === id && d.agentId !== agents[holder]!.id);
    expect((await agents[holder]!.api.get<{ status: string }>('/api/agents/me')).body.status).toBe('available');
    expect((await agents.dave!.socket.call('accept', { interactionId: id })).event).toBe('ack');

    // Its stay in Care ended as transferred out; its stay in Elsewhere began as transferred in.
    expect(await figures()).toEqual({ careOut: before.careOut + 1, elsewhereIn: before.elsewhereIn + 1 });
  });
});
