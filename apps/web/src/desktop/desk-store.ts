import { create } from 'zustand';
import { api } from '../lib/api';
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

function applyAgent(agent: AgentSummary): void {
  const previous = get().status;
  set({ status: agent.status, statusSince: agent.statusChangedAt });
  if (previous === 'available' && agent.status === 'away' && recentlyMissed) {
    notify(
      'warning',
      'You missed an offer: it was not accepted in time, so it went back to the queue and your status was set to ' +
        'Away. Set yourself Available when you are back.',
    );
    recentlyMissed = false;
  }
  if (previous !== 'offline' && agent.status === 'offline' && live.state !== 'open') {
    notify('warning', 'You were set Offline while the connection was lost.');
  }
}

let recentlyMissed = false;

function applyInteraction(view: Interaction): void {
  const me = get().me;
  const mine = me !== null && view.agentId === me.id;
  const offer = get().offers[view.id];
  if (offer && !(view.state === 'offered' && mine)) {
    set((s) => {
      const offers = { ...s.offers };
      delete offers[view.id];
      return { offers };
    });
    if (view.state === 'queued' && Date.parse(offer.expiresAt) <= Date.now() + 1000) recentlyMissed = true;
    if (view.state === 'completed' && view.endReason === 'abandoned') {
      notify('info', 'An offer was withdrawn: the customer deleted what they had written.');
    }
  }
  if (mine && (view.state === 'connected' || view.state === 'wrapup')) {
    const isNew = !get().interactions[view.id];
    set((s) => ({
      interactions: { ...s.interactions, [view.id]: view },
      selectedId: s.selectedId ?? view.id,
      details: s.details[view.id] ? { ...s.details, [view.id]: { ...s.details[view.id]!, ...view } } : s.details,
    }));
    if (isNew || !get().details[view.id]) void loadDetail(view.id);
    return;
  }
  if (get().interactions[view.id]) {
    set((s) => {
      const interactions = { ...s.interactions };
      delete interactions[view.id];
      const remaining = Object.keys(interactions);
      return {
        interactions,
        selectedId: s.selectedId === view.id ? (remaining[0] ?? null) : s.selectedId,
      };
    });
  }
}

function applyMessage(message: Message): void {
  const id = message.interactionId;
  if (!id) return;
  const detail = get().details[id];
  if (!detail) return;
  const messages = detail.messages.filter((m) => m.id !== message.id);
  messages.push(message);
  messages.sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt));
  set((s) => ({ details: { ...s.details, [id]: { ...detail, messages } } }));
}

function applyOffer(data: Offer): void {
  const entry: OfferEntry = { ...data, receivedAt: performance.now() };
  set((s) => ({ offers: { ...s.offers, [data.interaction.id]: entry } }));
  if (get().sound) cue();
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
    set((s) => ({ details: { ...s.details, [id]: detail } }));
  } catch {
    // Not ours any more: the next interaction frame tidies up.
  }
}

/** After (re)connecting: the interactions, status and offers as the server has them now. */
export async function sync(): Promise<void> {
  const [mine, agent] = await Promise.all([
    api.get<Interaction[]>('/api/interactions?mine=true&limit=50'),
    api.get<AgentSummary>('/api/agents/me'),
  ]);
  applyAgent(agent);
  const open = mine.filter((i) => i.state === 'connected' || i.state === 'wrapup');
  set((s) => ({
    interactions: Object.fromEntries(open.map((i) => [i.id, i])),
    selectedId: s.selectedId && open.some((i) => i.id === s.selectedId) ? s.selectedId : (open[0]?.id ?? null),
    offers: Object.fromEntries(
      Object.entries(s.offers).filter(([id]) => mine.some((i) => i.id === id && i.state === 'offered')),
    ),
  }));
  await Promise.all(open.map((i) => loadDetail(i.id)));
}

/** Wires the socket's frames into the desk; returns the unsubscribe. */
export function startDesk(me: Me): () => void {
  set({ me });
  const stops = [
    live.on('offer', (data) => applyOffer(data as unknown as Offer)),
    live.on('interaction.updated', (data) => applyInteraction(data as unknown as Interaction)),
    live.on('message.created', (data) => applyMessage(data as unknown as Message)),
    live.on('message.updated', (data) => applyMessage(data as unknown as Message)),
    live.on('agent.updated', (data) => applyAgent(data as unknown as AgentSummary)),
    live.onState((state) => {
      if (state === 'open') void sync().catch(() => undefined);
    }),
  ];
  if (live.state === 'open') void sync().catch(() => undefined);
  return () => stops.forEach((stop) => stop());
}

export function select(id: string): void {
  set({ selectedId: id });
  if (!get().details[id]) void loadDetail(id);
}

export async function setStatus(status: AgentStatus): Promise<void> {
  const agent = await api.put<AgentSummary>('/api/agents/me/status', { status });
  applyAgent(agent);
}

export async function accept(id: string): Promise<void> {
  const view = await api.post<Interaction>(`/api/interactions/${id}/accept`);
  applyInteraction(view);
  set({ selectedId: id });
}
