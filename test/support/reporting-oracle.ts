/**
 * An independent reading of the reporting log (`interaction_events`), in plain TypeScript, for the statistics test
 * to hold the SQL against: queue stays, offers and agents' stays are rebuilt from the events alone, then added up the
 * way the README defines each figure.
 */
/** An `interaction_events` row, its time in epoch microseconds (as PostgreSQL keeps it; a Date would drop them). */
export interface EventRow {
  interaction_id: string;
  type: string;
  agent_id: string | null;
  workgroup_id: string | null;
  at: number;
}

/** All times below are epoch microseconds; figures are seconds. */
const US = 1_000_000;

export interface QueueStay {
  interactionId: string;
  workgroupId: string | null;
  enteredAt: number;
  via: 'queued' | 'transfer' | 'overflow';
  endedAt: number | null;
  outcome: 'answered' | 'abandoned' | 'overflowed' | 'transferred' | null;
}

export interface OfferStay {
  interactionId: string;
  agentId: string;
  workgroupId: string | null;
  offeredAt: number;
  endedAt: number | null;
  outcome: 'accepted' | 'timeout' | 'withdrawn' | 'declined' | null;
}

export interface AgentStay {
  interactionId: string;
  agentId: string;
  workgroupId: string | null;
  connectedAt: number;
  endedAt: number | null;
  end: 'disconnected' | 'transferred' | 'completed' | null;
  wrapUpEndedAt: number | null;
}

export interface Timeline {
  queue: QueueStay[];
  offers: OfferStay[];
  stays: AgentStay[];
}

export function rebuild(events: EventRow[]): Timeline {
  const timeline: Timeline = { queue: [], offers: [], stays: [] };
  const open = <T extends { interactionId: string; endedAt: number | null }>(list: T[], id: string) =>
    list.find((item) => item.interactionId === id && item.endedAt === null);
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    const at = e.at;
    const id = e.interaction_id;
    switch (e.type) {
      case 'queued':
      case 'transferred': {
        const stay = open(timeline.stays, id);
        if (e.type === 'transferred' && stay) Object.assign(stay, { endedAt: at, end: 'transferred' });
        timeline.queue.push({
          interactionId: id,
          workgroupId: e.workgroup_id,
          enteredAt: at,
          via: e.type === 'queued' ? 'queued' : 'transfer',
          endedAt: null,
          outcome: null,
        });
        break;
      }
      case 'overflowed':
      case 'queue.transferred': {
        const overflow = e.type === 'overflowed';
        Object.assign(open(timeline.offers, id) ?? {}, { endedAt: at, outcome: 'withdrawn' });
        Object.assign(open(timeline.queue, id) ?? {}, {
          endedAt: at,
          outcome: overflow ? 'overflowed' : 'transferred',
        });
        timeline.queue.push({
          interactionId: id,
          workgroupId: e.workgroup_id,
          enteredAt: at,
          via: overflow ? 'overflow' : 'transfer',
          endedAt: null,
          outcome: null,
        });
        break;
      }
      case 'offered':
        timeline.offers.push({
          interactionId: id,
          agentId: e.agent_id as string,
          workgroupId: e.workgroup_id,
          offeredAt: at,
          endedAt: null,
          outcome: null,
        });
        break;
      case 'offer.timeout':
        Object.assign(open(timeline.offers, id) ?? {}, { endedAt: at, outcome: 'timeout' });
        break;
      case 'offer.declined':
        Object.assign(open(timeline.offers, id) ?? {}, { endedAt: at, outcome: 'declined' });
        break;
      case 'offer.withdrawn':
        Object.assign(open(timeline.offers, id) ?? {}, { endedAt: at, outcome: 'withdrawn' });
        break;
      case 'connected':
        Object.assign(open(timeline.offers, id) ?? {}, { endedAt: at, outcome: 'accepted' });
        Object.assign(open(timeline.queue, id) ?? {}, { endedAt: at, outcome: 'answered' });
        timeline.stays.push({
          interactionId: id,
          agentId: e.agent_id as string,
          workgroupId: e.workgroup_id,
          connectedAt: at,
          endedAt: null,
          end: null,
          wrapUpEndedAt: null,
        });
        break;
      case 'disconnected':
        Object.assign(open(timeline.stays, id) ?? {}, { endedAt: at, end: 'disconnected' });
        break;
      case 'abandoned':
      case 'completed':
        Object.assign(open(timeline.offers, id) ?? {}, { endedAt: at, outcome: 'withdrawn' });
        Object.assign(open(timeline.queue, id) ?? {}, { endedAt: at, outcome: 'abandoned' });
        for (const stay of timeline.stays.filter((s) => s.interactionId === id)) {
          if (stay.end === 'disconnected' && stay.wrapUpEndedAt === null) stay.wrapUpEndedAt = at;
        }
        Object.assign(open(timeline.stays, id) ?? {}, { endedAt: at, end: 'completed' });
        break;
    }
  }
  return timeline;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const mean = (values: number[]) => (values.length ? round3(values.reduce((a, b) => a + b, 0) / values.length) : null);
const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 100 : null);
const within = (at: number, from: number, to: number) => at >= from && at < to;

/** The `workgroups` report's figures for one workgroup over [from, to). */
export function workgroupFigures(
  t: Timeline,
  workgroupId: string,
  serviceLevelSeconds: number,
  from: number,
  to: number,
) {
  const mine = t.queue.filter((q) => q.workgroupId === workgroupId);
  const ended = mine.filter((q) => q.endedAt !== null && within(q.endedAt, from, to));
  const answered = ended.filter((q) => q.outcome === 'answered');
  const waits = answered.map((q) => ((q.endedAt as number) - q.enteredAt) / US);
  const handled = t.stays.filter(
    (s) => s.workgroupId === workgroupId && s.endedAt !== null && within(s.endedAt, from, to),
  );
  return {
    offered: mine.filter((q) => within(q.enteredAt, from, to)).length,
    answered: answered.length,
    abandoned: ended.filter((q) => q.outcome === 'abandoned').length,
    averageSpeedOfAnswerSeconds: mean(waits),
    serviceLevelPercent: percent(waits.filter((w) => w <= serviceLevelSeconds).length, answered.length),
    longestWaitSeconds: ended.length
      ? round3(Math.max(...ended.map((q) => ((q.endedAt as number) - q.enteredAt) / US)))
      : null,
    handled: handled.length,
    averageHandleSeconds: mean(handled.map((s) => ((s.endedAt as number) - s.connectedAt) / US)),
    transferredIn: mine.filter((q) => q.via === 'transfer' && within(q.enteredAt, from, to)).length,
    transferredOut:
      handled.filter((s) => s.end === 'transferred').length + ended.filter((q) => q.outcome === 'transferred').length,
    overflowed: ended.filter((q) => q.outcome === 'overflowed').length,
  };
}

/** Total length of the union of intervals, clipped to [from, to), in seconds. */
function unionSeconds(spans: [number, number][], from: number, to: number): number {
  const clipped = spans
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let current: [number, number] | null = null;
  for (const span of clipped) {
    if (current && span[0] <= current[1]) current[1] = Math.max(current[1], span[1]);
    else {
      if (current) total += current[1] - current[0];
      current = [...span];
    }
  }
  if (current) total += current[1] - current[0];
  return total / US;
}

/** The `agents` report's figures for one agent over [from, to); `statuses` are the agent's status changes in order. */
export function agentFigures(
  t: Timeline,
  agentId: string,
  statuses: { status: string; at: number }[],
  from: number,
  to: number,
) {
  const offers = t.offers.filter((o) => o.agentId === agentId);
  const ended = offers.filter((o) => o.endedAt !== null && within(o.endedAt, from, to));
  const handled = t.stays.filter((s) => s.agentId === agentId && s.endedAt !== null && within(s.endedAt, from, to));
  const inStatus = (status: string) =>
    round3(
      statuses.reduce((sum, change, i) => {
        if (change.status !== status) return sum;
        const end = statuses[i + 1]?.at ?? to;
        return sum + Math.max(0, Math.min(end, to) - Math.max(change.at, from)) / US;
      }, 0),
    );
  const busy: [number, number][] = [
    ...offers.map((o) => [o.offeredAt, o.endedAt ?? to] as [number, number]),
    ...t.stays
      .filter((s) => s.agentId === agentId)
      .map((s) => [s.connectedAt, (s.end === 'disconnected' ? s.wrapUpEndedAt : s.endedAt) ?? to] as [number, number]),
  ];
  return {
    offers: offers.filter((o) => within(o.offeredAt, from, to)).length,
    accepted: ended.filter((o) => o.outcome === 'accepted').length,
    offersTimedOut: ended.filter((o) => o.outcome === 'timeout').length,
    offersDeclined: ended.filter((o) => o.outcome === 'declined').length,
    handled: handled.length,
    averageHandleSeconds: mean(handled.map((s) => ((s.endedAt as number) - s.connectedAt) / US)),
    availableSeconds: inStatus('available'),
    awaySeconds: inStatus('away'),
    offlineSeconds: inStatus('offline'),
    busySeconds: round3(unionSeconds(busy, from, to)),
  };
}

/** The `interactions` report's per-interaction durations and counts. */
export function interactionFigures(t: Timeline, interactionId: string) {
  const queue = t.queue.filter((q) => q.interactionId === interactionId);
  const stays = t.stays.filter((s) => s.interactionId === interactionId);
  const sum = (values: number[]) => (values.length ? round3(values.reduce((a, b) => a + b, 0)) : null);
  return {
    waitSeconds: sum(queue.map((q) => ((q.endedAt as number) - q.enteredAt) / US)),
    handleSeconds: sum(stays.map((s) => ((s.endedAt as number) - s.connectedAt) / US)),
    offers: t.offers.filter((o) => o.interactionId === interactionId).length,
    transfers: queue.filter((q) => q.via === 'transfer').length,
  };
}
