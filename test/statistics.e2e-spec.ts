import { parse } from 'csv-parse/sync';
import { Client as PgClient } from 'pg';
import { reportSpec } from '@switchboard/reporting';
import { AgentSocket, type Frame } from './support/agent-socket';
import { ApiClient } from './support/api-client';
import { createAgent, facebookAccountBody } from './support/builders';
import {
  agentFigures,
  interactionFigures,
  rebuild,
  workgroupFigures,
  type EventRow,
  type Timeline,
} from './support/reporting-oracle';
import { ADMIN_PASSWORD, startStack, waitFor, type Stack } from './support/stack';

/** Half-hour offset: report intervals must follow the zone's wall clock, not UTC's hours. */
const TIME_ZONE = 'Asia/Kolkata';
const SL_A = 3;
const SL_B = 60;

interface WorkgroupRow extends Record<string, unknown> {
  intervalStart: string;
  workgroupId: string;
}
interface AgentRow extends Record<string, unknown> {
  intervalStart: string;
  agentId: string;
}

/**
 * Issue 14 on a known timeline, through the real stack: arrivals with nobody available, an abandon, answers inside
 * and outside the service level, an offer that times out, a transfer to another workgroup, wrap-ups with codes. Every
 * statistic and report is then checked exactly against the events as recorded, read independently (the oracle).
 */
describe('statistics and reports on a known timeline', () => {
  let stack: Stack;
  let admin: ApiClient;
  let db: PgClient;
  let supervisor: AgentSocket;
  const wg = { a: '', b: '' };
  const people: Record<'ann' | 'ben', { api: ApiClient; socket: AgentSocket; id: string }> = {} as never;
  const comments: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6', { commentId: string; interactionId: string }> =
    {} as never;
  let range = { from: 0, to: 0 };
  let timeline: Timeline;

  const interactionOf = async (commentId: string) => {
    let id = '';
    await waitFor(async () => {
      const row = (
        await db.query<{ interaction_id: string | null }>(
          'SELECT interaction_id FROM messages WHERE platform_message_id = $1',
          [commentId],
        )
      ).rows[0];
      id = row?.interaction_id ?? '';
      return id !== '';
    });
    return id;
  };
  const state = async (id: string) =>
    (await db.query<{ state: string }>('SELECT state FROM interactions WHERE id = $1', [id])).rows[0]?.state;
  const setStatus = async (who: 'ann' | 'ben', status: string) =>
    expect((await people[who].api.put('/api/agents/me/status', { status })).status).toBe(200);
  const comment = async (name: keyof typeof comments, text: string) => {
    const { ids } = await stack.sim.injectComment({ text, from: { id: `77000000${name.slice(1)}`, name: 'Customer' } });
    comments[name] = { commentId: ids.commentId, interactionId: await interactionOf(ids.commentId) };
  };
  const offerTo = (who: 'ann' | 'ben', name: keyof typeof comments) =>
    people[who].socket.next(
      'offer',
      (data) => (data.interaction as { id: string }).id === comments[name].interactionId,
    );
  const act = async (who: 'ann' | 'ben', name: keyof typeof comments, action: string, body: unknown = {}) => {
    const response = await people[who].api.post(`/api/interactions/${comments[name].interactionId}/${action}`, body);
    expect([200, 201, 202]).toContain(response.status);
  };

  beforeAll(async () => {
    stack = await startStack({ REPORT_TIME_ZONE: TIME_ZONE });
    admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    db = new PgClient({ connectionString: stack.databaseUrl });
    await db.connect();
    const page = (await admin.create('/api/accounts', facebookAccountBody())).id;
    wg.a = (
      await admin.create('/api/workgroups', { name: 'A Care', acceptTimeoutSeconds: 5, serviceLevelSeconds: SL_A })
    ).id;
    wg.b = (
      await admin.create('/api/workgroups', { name: 'B Billing', acceptTimeoutSeconds: 30, serviceLevelSeconds: SL_B })
    ).id;
    await admin.create('/api/channels', {
      name: 'care',
      accountIds: [page],
      keywords: {},
      publicWorkgroupId: wg.a,
      privateWorkgroupId: wg.a,
    });
    for (const code of ['resolved', 'refund']) await admin.create('/api/wrapup-codes', { code, label: code });
    for (const [who, groups] of [
      ['ann', [wg.a, wg.b]],
      ['ben', [wg.a]],
    ] as const) {
      const api = await createAgent(admin, who, [...groups]);
      const me = (await api.get<{ id: string }>('/api/agents/me')).body;
      people[who] = { api, socket: await AgentSocket.connect(stack.baseUrl, api.bearer), id: me.id };
    }
    supervisor = await AgentSocket.connect(stack.baseUrl, admin.bearer);
  }, 240_000);

  afterAll(async () => {
    for (const person of Object.values(people)) person.socket.close();
    supervisor?.close();
    await db?.end();
    await stack?.stop();
  }, 60_000);

  it('plays the timeline', async () => {
    range.from = Date.now() - 1000;
    // The stack starts and configures itself a moment before: nothing of the timeline is earlier than this.
    // Nobody is available: two arrivals wait; the customer deletes the second one: abandoned.
    await comment('c1', 'Where is my order?');
    await comment('c2', 'Never mind');
    await stack.sim.injectComment({ verb: 'remove', commentId: comments.c2.commentId });
    await waitFor(async () => (await state(comments.c2.interactionId)) === 'completed');
    // Answered after more than A's service level (3 s).
    await new Promise((r) => setTimeout(r, (SL_A + 0.5) * 1000));
    await setStatus('ann', 'available');
    await offerTo('ann', 'c1');
    await act('ann', 'c1', 'accept');
    // Answered at once: inside the service level.
    await comment('c3', 'Refund please');
    await offerTo('ann', 'c3');
    await act('ann', 'c3', 'accept');
    // Offered to ann, who lets it ring for A's 5 s: she goes away; ben answers it.
    await comment('c4', 'Hello?');
    await offerTo('ann', 'c4');
    await waitFor(async () => (await state(comments.c4.interactionId)) === 'queued', 15_000);
    await setStatus('ben', 'available');
    await offerTo('ben', 'c4');
    await act('ben', 'c4', 'accept');
    // ann transfers c1 to B, comes back, and takes it there.
    await act('ann', 'c1', 'transfer', { workgroupId: wg.b });
    await setStatus('ann', 'available');
    await waitFor(() => people.ann.socket.frames.filter((f) => f.event === 'offer').length >= 4);
    await act('ann', 'c1', 'accept');
    // Disconnect and wrap up everything.
    for (const [who, name, code] of [
      ['ann', 'c1', 'resolved'],
      ['ann', 'c3', 'refund'],
      ['ben', 'c4', 'resolved'],
    ] as const) {
      await act(who, name, 'disconnect');
      await act(who, name, 'wrapup', { code });
      await waitFor(async () => (await state(comments[name].interactionId)) === 'completed');
    }
    // The range ends now by the database's clock, to the millisecond (as a query string can say it).
    const now = await db.query<{ ms: number }>(
      'SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms',
    );
    range.to = (now.rows[0]?.ms ?? 0) + 1;
    const events = await db.query<EventRow>(
      `SELECT interaction_id, type, agent_id, workgroup_id, (extract(epoch FROM at) * 1000000)::float8 AS at
         FROM interaction_events ORDER BY id`,
    );
    timeline = rebuild(events.rows);
    range = { from: range.from * 1000, to: range.to * 1000 };
  });

  const query = () => `from=${new Date(range.from / 1000).toISOString()}&to=${new Date(range.to / 1000).toISOString()}`;

  it('real-time statistics: the four social statistics and every workgroup figure, exactly', async () => {
    const stats = (await admin.get<Record<string, unknown>>('/api/stats/realtime')).body;
    const today = { from: 0, to: Number.MAX_SAFE_INTEGER };
    const a = workgroupFigures(timeline, wg.a, SL_A, today.from, today.to);
    const b = workgroupFigures(timeline, wg.b, SL_B, today.from, today.to);
    expect(stats).toMatchObject({
      timeZone: TIME_ZONE,
      activeSocialConversations: 0,
      activeSocialDirectMessages: 0,
      longestSocialConversationSeconds: 0,
      longestSocialDirectMessageSeconds: 0,
      workgroups: [
        {
          id: wg.a,
          name: 'A Care',
          waiting: 0,
          longestWaitingSeconds: 0,
          agentsAvailable: 2,
          agentsBusy: 0,
          answeredToday: 3,
          abandonedToday: 1,
          averageSpeedOfAnswerSeconds: a.averageSpeedOfAnswerSeconds,
          serviceLevelPercent: 33.33,
        },
        {
          id: wg.b,
          name: 'B Billing',
          waiting: 0,
          agentsAvailable: 1,
          agentsBusy: 0,
          answeredToday: 1,
          abandonedToday: 0,
          averageSpeedOfAnswerSeconds: b.averageSpeedOfAnswerSeconds,
          serviceLevelPercent: 100,
        },
      ],
    });
    expect(a).toMatchObject({ answered: 3, abandoned: 1, serviceLevelPercent: 33.33 });
  });

  it("the dashboard's trend: waiting and service level as they stood at each second of the timeline", async () => {
    const minutes = Math.ceil((Date.now() - range.from / 1000) / 60_000) + 1;
    const response = await admin.get<{
      at: string;
      stepSeconds: number;
      workgroups: { id: string; samples: { at: string; waiting: number; serviceLevelPercent: number | null }[] }[];
    }>(`/api/stats/trend?minutes=${minutes}&stepSeconds=1`);
    expect(response.status).toBe(200);
    expect(response.body.stepSeconds).toBe(1);
    expect(response.body.workgroups.map((w) => w.id)).toEqual([wg.a, wg.b]);
    let sawWaiting = 0;
    for (const [id, sl] of [
      [wg.a, SL_A],
      [wg.b, SL_B],
    ] as const) {
      const samples = response.body.workgroups.find((w) => w.id === id)!.samples;
      // From the whole minute `minutes` before now, a second apart, then now.
      const now = Date.parse(response.body.at);
      const first = Math.floor(now / 60_000) * 60_000 - minutes * 60_000;
      const times = samples.map((sample) => Date.parse(sample.at));
      expect(times.slice(0, -1)).toEqual(times.slice(0, -1).map((_, i) => first + i * 1000));
      expect(times.at(-1)).toBe(now);
      expect(now - times.at(-2)!).toBeLessThanOrEqual(1000);
      const expected = samples.map(({ at }) => {
        const t = Date.parse(at) * 1000;
        const day = localMidnight(new Date(at), TIME_ZONE).getTime() * 1000;
        const mine = timeline.queue.filter((q) => q.workgroupId === id);
        const answered = mine.filter(
          (q) => q.outcome === 'answered' && (q.endedAt as number) >= day && (q.endedAt as number) <= t,
        );
        const inside = answered.filter((q) => ((q.endedAt as number) - q.enteredAt) / 1_000_000 <= sl);
        return {
          at,
          waiting: mine.filter((q) => q.enteredAt <= t && (q.endedAt === null || q.endedAt > t)).length,
          serviceLevelPercent: answered.length ? Math.round((inside.length / answered.length) * 10_000) / 100 : null,
        };
      });
      expect(samples).toEqual(expected);
      sawWaiting += samples.filter((sample) => sample.waiting > 0).length;
    }
    // The timeline's waits are in it (c1 waited more than 3 s with nobody available).
    expect(sawWaiting).toBeGreaterThanOrEqual(SL_A);
    expect(response.body.workgroups[0]!.samples.at(-1)).toMatchObject({ waiting: 0, serviceLevelPercent: 33.33 });
    // Bounded: too many samples, or a bad number, is a 400 naming the field; agents get 403.
    for (const [params, field] of [
      ['minutes=180&stepSeconds=1', 'stepSeconds'],
      ['minutes=0', 'minutes'],
      ['minutes=600', 'minutes'],
      ['stepSeconds=x', 'stepSeconds'],
    ] as const) {
      const bad = await admin.get<{ details: { field: string }[] }>(`/api/stats/trend?${params}`);
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d) => d.field)).toContain(field);
    }
    expect((await people.ann.api.get('/api/stats/trend')).status).toBe(403);
  });

  it('real-time statistics while work waits: active, longest and waiting move with it', async () => {
    await setStatus('ann', 'away');
    await setStatus('ben', 'away');
    await comment('c5', 'Still there?');
    const stats = (
      await admin.get<{ workgroups: { id: string; waiting: number; longestWaitingSeconds: number }[] }>(
        '/api/stats/realtime',
      )
    ).body as unknown as {
      activeSocialConversations: number;
      longestSocialConversationSeconds: number;
      workgroups: { id: string; waiting: number; longestWaitingSeconds: number; agentsAvailable: number }[];
    };
    expect(stats.activeSocialConversations).toBe(1);
    expect(stats.longestSocialConversationSeconds).toBeGreaterThanOrEqual(0);
    expect(stats.workgroups.find((w) => w.id === wg.a)).toMatchObject({ waiting: 1, agentsAvailable: 0 });
    // The trend's latest sample is this moment: the one waiting now is in it.
    const trend = await admin.get<{ workgroups: { id: string; samples: { waiting: number }[] }[] }>(
      '/api/stats/trend?minutes=1',
    );
    expect(trend.body.workgroups.find((w) => w.id === wg.a)!.samples.at(-1)!.waiting).toBe(1);
    // An agent sees none of it.
    expect((await people.ben.api.get('/api/stats/realtime')).status).toBe(403);
  });

  it('pushes stats frames to supervisors on every change and at least every 5 s', async () => {
    const count = () => supervisor.frames.filter((f) => f.event === 'stats').length;
    expect(count()).toBeGreaterThan(0);
    const waitingInA = (frame: Frame | undefined) =>
      (frame?.data.workgroups as { id: string; waiting: number }[] | undefined)?.find((w) => w.id === wg.a)?.waiting;
    const changedAt = Date.now();
    await comment('c6', 'Anyone?');
    await waitFor(() => waitingInA(supervisor.frames.filter((f) => f.event === 'stats').at(-1)) === 2, 3_000);
    expect(Date.now() - changedAt).toBeLessThan(3_000);
    // Nothing changes now: the next frame still comes within 5 s.
    const quiet = count();
    await waitFor(() => count() > quiet, 6_000);
  });

  it('the workgroups report, by day in the report zone and for the whole range, exactly', async () => {
    const { body: byDay } = await admin.get<WorkgroupRow[]>(`/api/reports/workgroups?${query()}&interval=day`);
    const { body: whole } = await admin.get<WorkgroupRow[]>(`/api/reports/workgroups?${query()}`);
    const day = localMidnight(new Date(range.from / 1000), TIME_ZONE);
    for (const rows of [byDay, whole]) {
      for (const [id, sl] of [
        [wg.a, SL_A],
        [wg.b, SL_B],
      ] as const) {
        const row = rows.find((r) => r.workgroupId === id);
        expect(row).toMatchObject(workgroupFigures(timeline, id, sl, range.from, range.to));
      }
    }
    expect(byDay.find((r) => r.workgroupId === wg.a)?.intervalStart).toBe(day.toISOString());
    expect(whole.find((r) => r.workgroupId === wg.a)?.intervalStart).toBe(new Date(range.from / 1000).toISOString());
    expect(byDay.find((r) => r.workgroupId === wg.a)).toMatchObject({
      offered: 4,
      answered: 3,
      abandoned: 1,
      serviceLevelPercent: 33.33,
      handled: 3,
      transferredIn: 0,
      transferredOut: 1,
    });
    expect(byDay.find((r) => r.workgroupId === wg.b)).toMatchObject({
      offered: 1,
      answered: 1,
      serviceLevelPercent: 100,
      transferredIn: 1,
    });
  });

  it('the agents report, exactly', async () => {
    const { body: rows } = await admin.get<AgentRow[]>(`/api/reports/agents?${query()}`);
    for (const who of ['ann', 'ben'] as const) {
      const statuses = (
        await db.query<{ status: string; at: number }>(
          `SELECT status, (extract(epoch FROM started_at) * 1000000)::float8 AS at FROM agent_status_history
            WHERE user_id = $1 ORDER BY started_at`,
          [people[who].id],
        )
      ).rows;
      const row = rows.find((r) => r.agentId === people[who].id);
      expect(row).toMatchObject(agentFigures(timeline, people[who].id, statuses, range.from, range.to));
      if (who === 'ann') {
        expect(statuses.map((s) => s.status)).toEqual(['offline', 'available', 'away', 'available', 'away']);
      }
    }
    expect(rows.find((r) => r.agentId === people.ann.id)).toMatchObject({
      offers: 4,
      accepted: 3,
      offersTimedOut: 1,
      handled: 3,
    });
    expect(rows.find((r) => r.agentId === people.ben.id)).toMatchObject({ offers: 1, accepted: 1, handled: 1 });
  });

  it('the interactions report: one row per interaction, every timestamp and duration', async () => {
    const { body: rows } = await admin.get<Record<string, unknown>[]>(`/api/reports/interactions?${query()}`);
    const of = (name: keyof typeof comments) => rows.find((r) => r.id === comments[name].interactionId);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const name of ['c1', 'c3', 'c4'] as const) {
      expect(of(name)).toMatchObject({
        ...interactionFigures(timeline, comments[name].interactionId),
        state: 'completed',
        endReason: 'handled',
        platform: 'facebook',
        type: 'conversation',
        channelName: 'care',
      });
    }
    expect(of('c1')).toMatchObject({ workgroupId: wg.b, agentUsername: 'ann', wrapUpCode: 'resolved', transfers: 1 });
    expect(of('c3')).toMatchObject({ workgroupId: wg.a, agentUsername: 'ann', wrapUpCode: 'refund', offers: 1 });
    expect(of('c4')).toMatchObject({ agentUsername: 'ben', offers: 2 });
    expect(of('c2')).toMatchObject({
      ...interactionFigures(timeline, comments.c2.interactionId),
      state: 'completed',
      endReason: 'abandoned',
      agentId: null,
      offers: 0,
    });
    expect(rows.find((r) => r.id === comments.c5.interactionId)).toBeUndefined();
    const row = (
      await db.query<{ completed_at: Date; disconnected_at: Date }>(
        'SELECT completed_at, disconnected_at FROM interactions WHERE id = $1',
        [comments.c3.interactionId],
      )
    ).rows[0]!;
    expect(of('c3')?.completedAt).toBe(row.completed_at.toISOString());
    expect(typeof of('c3')?.wrapUpSeconds).toBe('number');
  });

  it('the wrap-up codes report counts per code and workgroup', async () => {
    const { body: rows } = await admin.get<Record<string, unknown>[]>(`/api/reports/wrapup-codes?${query()}`);
    expect(rows.map(({ workgroupId, code, count }) => ({ workgroupId, code, count }))).toEqual(
      expect.arrayContaining([
        { workgroupId: wg.a, code: 'refund', count: 1 },
        { workgroupId: wg.a, code: 'resolved', count: 1 },
        { workgroupId: wg.b, code: 'resolved', count: 1 },
      ]),
    );
    expect(rows).toHaveLength(3);
  });

  it.each(['interactions', 'workgroups', 'agents', 'wrapup-codes'])(
    'the %s report as CSV: a header row and the same rows as the JSON',
    async (kind) => {
      const json = (await admin.get<Record<string, unknown>[]>(`/api/reports/${kind}?${query()}&interval=hour`)).body;
      const response = await fetch(`${stack.baseUrl}/api/reports/${kind}?${query()}&interval=hour&format=csv`, {
        headers: { authorization: `Bearer ${admin.bearer}` },
      });
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const text = await response.text();
      const records = parse<Record<string, string>>(text, { columns: true });
      expect(records).toHaveLength(json.length);
      const header = text.split('\r\n')[0]?.split(',');
      expect(header).toEqual(Object.keys(json[0] ?? {}));
      records.forEach((record, i) => {
        const expected = Object.fromEntries(
          Object.entries(json[i] ?? {}).map(([key, value]) => [
            key,
            value === null ? '' : String(value as string | number),
          ]),
        );
        expect(record).toEqual(expected);
      });
    },
  );

  it('refuses bad parameters with a 400 naming them, an unknown report with 404, an agent with 403', async () => {
    for (const [params, field] of [
      ['from=yesterday', 'from'],
      ['to=2026-02-30', 'to'],
      ['interval=week', 'interval'],
      ['workgroupId=nope', 'workgroupId'],
      ['format=xml', 'format'],
      ['from=2026-12-02&to=2026-12-01', 'to'],
      ['from=2020-01-01&to=2026-01-01&interval=15m', 'interval'],
    ] as const) {
      const response = await admin.get<{ details: { field: string }[] }>(`/api/reports/workgroups?${params}`);
      expect(response.status).toBe(400);
      expect(response.body.details.map((d) => d.field)).toContain(field);
    }
    expect((await admin.get('/api/reports/nothing')).status).toBe(404);
    expect((await people.ann.api.get('/api/reports/agents')).status).toBe(403);
  });

  it('steps hourly intervals through DST changes in wall-clock time, a repeated hour being one interval', async () => {
    // America/New_York: on 2026-11-01 01:00-02:00 happens twice (EDT, then EST); on 2026-03-08 02:00-03:00 never.
    const zone = 'America/New_York';
    const spec = reportSpec('workgroups', 'hour');
    const intervals = async (from: string, to: string) => {
      const { rows } = await db.query<Record<string, unknown>>(spec.sql, [from, to, zone, wg.a]);
      return rows.map((row) => spec.map(row)).map((r) => [r['intervalStart'], r['offered']]);
    };
    // Three stays begun in the repeated hour's first and second passes and just after it.
    for (const at of ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-01T07:10:00Z']) {
      await db.query(
        `INSERT INTO queue_segments (interaction_id, workgroup_id, type, entered_at, entered_via, ended_at, outcome)
         VALUES ($1, $2, 'conversation', $3, 'queued', $3::timestamptz + interval '1 minute', 'answered')`,
        [comments.c1.interactionId, wg.a, at],
      );
    }
    expect(await intervals('2026-11-01T04:00:00Z', '2026-11-01T09:00:00Z')).toEqual([
      ['2026-11-01T04:00:00.000Z', 0],
      ['2026-11-01T05:00:00.000Z', 2],
      ['2026-11-01T07:00:00.000Z', 1],
      ['2026-11-01T08:00:00.000Z', 0],
    ]);
    // Starting inside the repeated hour keeps what follows in it.
    expect(await intervals('2026-11-01T05:30:00Z', '2026-11-01T07:00:00Z')).toEqual([['2026-11-01T05:00:00.000Z', 2]]);
    expect((await intervals('2026-03-08T05:00:00Z', '2026-03-08T08:00:00Z')).map(([start]) => start)).toEqual([
      '2026-03-08T05:00:00.000Z',
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
    ]);
  });

  it('lists agents with their status, since when, and current work per type', async () => {
    const { body } =
      await admin.get<{ id: string; status: string; statusChangedAt: string; current: Record<string, number> }[]>(
        '/api/agents',
      );
    expect(body.find((a) => a.id === people.ben.id)).toMatchObject({
      status: 'away',
      current: { conversation: 0, directMessage: 0 },
    });
    expect(Date.parse(body.find((a) => a.id === people.ben.id)!.statusChangedAt)).toBeGreaterThan(range.from / 1000);
    const history = await admin.get<{ status: string; startedAt: string; endedAt: string | null }[]>(
      `/api/agents/${people.ann.id}/status-history?${query()}`,
    );
    expect(history.body.map((h) => h.status)).toEqual(['offline', 'available', 'away', 'available']);
    expect(history.body[0]?.endedAt).toBe(history.body[1]?.startedAt);
    expect((await people.ann.api.get(`/api/agents/${people.ann.id}/status-history`)).status).toBe(403);
    expect((await admin.get(`/api/agents/${people.ann.id}/status-history?from=never`)).status).toBe(400);
  });

  it('exposes the counters and gauges to Prometheus', async () => {
    const gateway = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    const worker = await (await fetch(`http://127.0.0.1:${stack.workerMetricsPort}/metrics`)).text();
    const total = (name: string) =>
      [gateway, worker].reduce((sum, text) => {
        const line = text.split('\n').find((l) => l.startsWith(`${name} `));
        return sum + (line ? Number(line.split(' ')[1]) : 0);
      }, 0);
    expect(total('switchboard_offers_total')).toBe(5);
    expect(total('switchboard_interactions_answered_total')).toBe(4);
    expect(total('switchboard_interactions_abandoned_total')).toBe(1);
    expect(total('switchboard_queue_wait_seconds_count')).toBe(4);
    expect(total('switchboard_webhook_to_offer_seconds_count')).toBe(3);
    expect(gateway).toMatch(
      new RegExp(`switchboard_workgroup_waiting\\{workgroup_id="${wg.a}",workgroup="A Care"\\} 2`),
    );
    expect(gateway).toMatch(/switchboard_messages_routed_total\{platform="facebook",outcome="queued"\} 6/);
    expect(gateway).toMatch(/switchboard_messages_ingested_total\{platform="facebook",direction="inbound"\} 6/);
  });
});

/** Midnight of `date`'s calendar day in `zone`, as an instant. */
function localMidnight(date: Date, zone: string): Date {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(date)
    .split('-')
    .map(Number);
  const [y, m, d] = parts as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const offset = (at: number) => {
    const local = new Date(at).toLocaleString('en-US', { timeZone: zone, hour12: false });
    return Date.parse(`${local} UTC`) - at;
  };
  return new Date(guess - offset(guess));
}
