import { create } from 'zustand';
import { api, ApiError, serverNow } from '../lib/api';
import { live } from '../lib/live';
import { cue } from '../lib/sound';
import type { AgentStatus, AgentSummary, Interaction, InteractionDetail, Me, Message, Offer } from '../lib/types';

export interface Notice {
  id: number;
  tone: 'info' | 'warning' | 'error';
  text: string;
}

export interface OfferEntry extends Offer {
  /** `performance.now()` when the frame arrived: the offer's time to screen is measured from it. */
  receivedAt: number;
}

interface DeskState {
  me: Me | null;
  status: AgentStatus;
  statusSince: string | null;
  offers: Record<string, OfferEntry>;
  /** Mine, connected or in wrap-up. */
  interactions: Record<string, Interaction>;
  details: Record<string, InteractionDetail>;
  selectedId: string | null;
  notices: Notice[];
  sound: boolean;
}

const SOUND_KEY = 'switchboard.sound';
let noticeSeq = 0;

export const useDesk = create<DeskState>(() => ({
  me: null,
  status: 'offline',
  statusSince: null,
  offers: {},
  interactions: {},
  details: {},
  selectedId: null,
  notices: [],
  sound: localStorage.getItem(SOUND_KEY) !== 'off',
}));

const set = useDesk.setState;
const get = useDesk.getState;

/**
 * The page's own measurement, read by the browser tests and `npm run bench:web`: for each offer, the time from its
 * frame to the animation frame after its card was rendered.
 */
declare global {
  interface Window {
    __switchboard?: { offerToScreenMs: number[] };
  }
}

/** How long news stays up; warnings and errors stay until dismissed. */
const INFO_MS = 8_000;

export function notify(tone: Notice['tone'], text: string): void {
  noticeSeq += 1;
  const notice = { id: noticeSeq, tone, text };
  set((s) => ({ notices: [...s.notices.slice(-4), notice] }));
  if (tone === 'info') setTimeout(() => dismiss(notice.id), INFO_MS);
}

export function dismiss(id: number): void {
  set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

export function setSound(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  set({ sound: on });
}

/** Each frame or answer applied bumps this: a REST snapshot taken before it must not undo it. */
let seq = 0;
/** When each offer or interaction was last changed here, by `seq`. */
const touched = new Map<string, number>();
/** Interactions that ended here: a late frame (the bus does not promise order) never brings one back. */
const ended = new Set<string>();
/** Messages of threads not loaded yet, merged in when they are. */
const early = new Map<string, Message[]>();
/** The socket was down: a status found `offline` when it is back is explained. */
let wasDisconnected = false;
/**
 * An offer just went back to the queue unanswered, and the status just went from available to away: the two frames
 * come in either order (each gateway reads its row on its own), and together they are a missed offer.
 */
let missedAt = 0;
let wentAwayAt = 0;
const TOGETHER_MS = 10_000;

function missedOffer(): void {
  const now = serverNow();
  if (now - missedAt >= TOGETHER_MS || now - wentAwayAt >= TOGETHER_MS || get().status !== 'away') return;
  missedAt = 0;
  wentAwayAt = 0;
  notify(
    'warning',
    'You missed an offer: it was not accepted in time, so it went back to the queue and your status was set to ' +
      'Away. Set yourself Available when you are back.',
  );
}
/** How long an offer stays on screen past its expiry when no frame says what became of it. */
const OFFER_GRACE_MS = 5_000;

function touch(id: string): void {
  seq += 1;
  touched.set(id, seq);
}

function removeOffer(id: string): void {
  if (!get().offers[id]) return;
  touch(id);
  set((s) => {
    const offers = { ...s.offers };
    delete offers[id];
    return { offers };
  });
}

function applyAgent(agent: AgentSummary): void {
  // Supervisors' sockets hear every agent: only mine is my status.
  const me = get().me;
  if (!me || agent.id !== me.id) return;
  const previous = get().status;
  set({ status: agent.status, statusSince: agent.statusChangedAt });
  if (previous === 'available' && agent.status === 'away') {
    wentAwayAt = serverNow();
    missedOffer();
  }
  if (agent.status === 'offline' && previous !== 'offline' && wasDisconnected) {
    notify('warning', 'You were set Offline while the connection was lost. Set yourself Available to take offers.');
  }
}

const RANK: Partial<Record<Interaction['state'], number>> = { connected: 1, wrapup: 2 };

function applyInteraction(view: Interaction): void {
  const me = get().me;
  if (ended.has(view.id)) return;
  const mine = me !== null && view.agentId === me.id;
  const offer = get().offers[view.id];
  if (offer && !(view.state === 'offered' && mine)) {
    removeOffer(view.id);
    if (view.state === 'queued' && Date.parse(offer.expiresAt) <= serverNow() + 1000) {
      missedAt = serverNow();
      missedOffer();
    }
    if (view.state === 'completed' && view.endReason === 'abandoned') {
      notify('info', 'An offer was withdrawn: the customer deleted what they had written.');
    }
    if (view.state === 'offered' && !declining.has(view.id)) {
      notify('info', 'An offer was withdrawn: a supervisor gave it to another agent.');
    }
  }
  if (view.state === 'completed') ended.add(view.id);
  const held = get().interactions[view.id];
  if (mine && (view.state === 'connected' || view.state === 'wrapup')) {
    // Wrap-up never goes back to connected: an older frame arriving late is ignored.
    if (held && (RANK[held.state] ?? 0) > (RANK[view.state] ?? 0)) return;
    touch(view.id);
    set((s) => ({
      interactions: { ...s.interactions, [view.id]: view },
      selectedId: s.selectedId ?? view.id,
      details: s.details[view.id] ? { ...s.details, [view.id]: { ...s.details[view.id]!, ...view } } : s.details,
    }));
    if (!held || !get().details[view.id]) void loadDetail(view.id);
    return;
  }
  if (held) {
    touch(view.id);
    set((s) => {
      const interactions = { ...s.interactions };
      delete interactions[view.id];
      const remaining = Object.keys(interactions);
      return {
        interactions,
        selectedId: s.selectedId === view.id ? (remaining[0] ?? null) : s.selectedId,
      };
    });
    if (view.state === 'completed') localStorage.removeItem(`switchboard.draft.${view.id}`);
  }
}

/** Which of two copies of one message is further along: a delivery outcome beats `pending`, a deletion stays. */
function newer(a: Message, b: Message): Message {
  const settled = (m: Message) => m.deliveryStatus === 'sent' || m.deliveryStatus === 'failed';
  if (settled(a) !== settled(b)) return settled(a) ? a : b;
  if (!!a.deletedAt !== !!b.deletedAt) return a.deletedAt ? a : b;
  if ((a.editedAt ?? '') !== (b.editedAt ?? '')) return (a.editedAt ?? '') > (b.editedAt ?? '') ? a : b;
  return b;
}

function mergeMessages(base: Message[], more: Message[]): Message[] {
  const byId = new Map(base.map((m) => [m.id, m]));
  for (const m of more) {
    const held = byId.get(m.id);
    byId.set(m.id, held ? newer(held, m) : m);
  }
  return [...byId.values()].sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt));
}

export function applyMessage(message: Message): void {
  const id = message.interactionId;
  if (!id) return;
  const detail = get().details[id];
  if (!detail) {
    early.set(id, [...(early.get(id) ?? []), message].slice(-100));
    return;
  }
  const messages = mergeMessages(detail.messages, [message]);
  set((s) => ({ details: { ...s.details, [id]: { ...detail, messages } } }));
}

function applyOffer(data: Offer): void {
  const me = get().me;
  if (!me || (data.interaction.agentId !== null && data.interaction.agentId !== me.id)) return;
  ended.delete(data.interaction.id);
  touch(data.interaction.id);
  const entry: OfferEntry = { ...data, receivedAt: performance.now() };
  set((s) => ({ offers: { ...s.offers, [data.interaction.id]: entry } }));
  if (get().sound) cue();
}

/** Offers whose time ran out without a word of what became of them (a lost frame): off the screen. */
function expireOffers(): void {
  const now = serverNow();
  for (const offer of Object.values(get().offers)) {
    if (Date.parse(offer.expiresAt) + OFFER_GRACE_MS < now) {
      removeOffer(offer.interaction.id);
      missedAt = now;
      missedOffer();
    }
  }
}

/** The offer card is on screen: how long after its frame. */
export function offerShown(interactionId: string): void {
  const entry = get().offers[interactionId];
  if (!entry) return;
  const measured = (window.__switchboard ??= { offerToScreenMs: [] });
  measured.offerToScreenMs.push(performance.now() - entry.receivedAt);
}

export async function loadDetail(id: string): Promise<void> {
  try {
    const detail = await api.get<InteractionDetail>(`/api/interactions/${id}`);
    // What arrived while it loaded (held, or already applied to an earlier copy) is kept where it is further along.
    const messages = mergeMessages(
      mergeMessages(get().details[id]?.messages ?? [], detail.messages),
      early.get(id) ?? [],
    );
    early.delete(id);
    set((s) => ({ details: { ...s.details, [id]: { ...detail, messages } } }));
  } catch {
    // Not ours any more: the next interaction frame tidies up.
  }
}

/**
 * After (re)connecting: the interactions, status and offers as the server has them now. Whatever a frame or an
 * answer changed while the snapshot was being read is newer than it, and stays.
 */
export async function sync(): Promise<void> {
  const startedAt = seq;
  const [connected, wrapup, offered, agent] = await Promise.all([
    api.get<Interaction[]>('/api/interactions?mine=true&state=connected&limit=500'),
    api.get<Interaction[]>('/api/interactions?mine=true&state=wrapup&limit=500'),
    api.get<Interaction[]>('/api/interactions?mine=true&state=offered&limit=500'),
    api.get<AgentSummary>('/api/agents/me'),
  ]);
  applyAgent(agent);
  wasDisconnected = false;
  const fresh = (id: string) => (touched.get(id) ?? 0) > startedAt;
  const open = [...connected, ...wrapup].filter((i) => !ended.has(i.id));
  set((s) => {
    const interactions: Record<string, Interaction> = {};
    for (const i of open) if (!fresh(i.id)) interactions[i.id] = i;
    for (const [id, i] of Object.entries(s.interactions)) if (fresh(id)) interactions[id] = i;
    const offers = Object.fromEntries(
      Object.entries(s.offers).filter(([id]) => fresh(id) || offered.some((i) => i.id === id)),
    );
    const ids = Object.keys(interactions);
    return {
      interactions,
      offers,
      selectedId: s.selectedId && interactions[s.selectedId] ? s.selectedId : (ids[0] ?? null),
    };
  });
  await Promise.all(Object.keys(get().interactions).map((id) => loadDetail(id)));
}

/** The page is this user's: when another user signed in on it, nothing of the last one's desk stays. */
function bindUser(me: Me): void {
  if (get().me?.id === me.id) return;
  touched.clear();
  ended.clear();
  early.clear();
  set({ me, offers: {}, interactions: {}, details: {}, selectedId: null, notices: [], status: 'offline' });
}

/** The agent's own status, on every page (the header's selector): read now and after each reconnection, then live. */
export function startStatus(me: Me): () => void {
  bindUser(me);
  const read = () =>
    void api
      .get<AgentSummary>('/api/agents/me')
      .then(applyAgent)
      .catch(() => undefined);
  const stops = [
    live.on('agent.updated', (data) => applyAgent(data as unknown as AgentSummary)),
    live.onState((state) => {
      if (state === 'open') read();
    }),
  ];
  read();
  return () => stops.forEach((stop) => stop());
}

/** Wires the socket's frames into the desk for this user; returns the unsubscribe. */
export function startDesk(me: Me): () => void {
  bindUser(me);
  const timer = setInterval(expireOffers, 1000);
  const stops = [
    live.on('offer', (data) => applyOffer(data as unknown as Offer)),
    live.on('interaction.updated', (data) => applyInteraction(data as unknown as Interaction)),
    live.on('message.created', (data) => applyMessage(data as unknown as Message)),
    live.on('message.updated', (data) => applyMessage(data as unknown as Message)),
    live.onState((state) => {
      if (state === 'reconnecting' || state === 'replaced') wasDisconnected = true;
      if (state === 'open') void sync().catch(() => undefined);
    }),
  ];
  if (live.state === 'open') void sync().catch(() => undefined);
  return () => {
    clearInterval(timer);
    stops.forEach((stop) => stop());
  };
}

export function select(id: string): void {
  set({ selectedId: id });
  if (!get().details[id]) void loadDetail(id);
}

export async function setStatus(status: AgentStatus): Promise<void> {
  const agent = await api.put<AgentSummary>('/api/agents/me/status', { status });
  applyAgent(agent);
}

/** The answers of the interaction routes are the interaction as it now stands: applied at once, not left to a frame. */
export function applyAnswer(view: Interaction): void {
  applyInteraction(view);
}

/** A 409 says the desk is behind the server (a frame was lost): read it all again. */
export function answerFailed(error: unknown): void {
  if (error instanceof ApiError && (error.status === 409 || error.status === 404)) void sync().catch(() => undefined);
}

const accepting = new Set<string>();
const declining = new Set<string>();

/**
 * Answers an offer once, however often it is asked (and never both ways at once); an offer the server no longer has
 * leaves the screen with a word why.
 */
async function answerOffer(id: string, answering: Set<string>, answer: () => Promise<void>): Promise<void> {
  if (accepting.has(id) || declining.has(id)) return;
  answering.add(id);
  try {
    await answer();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 409)) {
      removeOffer(id);
      notify('warning', `That offer is no longer yours: ${error.message}`);
      return;
    }
    throw error;
  } finally {
    answering.delete(id);
  }
}

export function accept(id: string): Promise<void> {
  return answerOffer(id, accepting, async () => {
    applyInteraction(await api.post<Interaction>(`/api/interactions/${id}/accept`));
    set({ selectedId: id });
  });
}

/** Turns an offer down: it goes to the next agent at once (not back to me), and my status stays as it is. */
export function decline(id: string): Promise<void> {
  return answerOffer(id, declining, async () => {
    await api.post<Interaction>(`/api/interactions/${id}/decline`);
    removeOffer(id);
  });
}
