import { create } from 'zustand';
import { api } from '../lib/api';
import { live } from '../lib/live';
import type { RealtimeStats } from '../lib/types';

/** One sample per workgroup per frame, for the last hour's charts. */
export interface Sample {
  at: number;
  waiting: number;
  serviceLevel: number | null;
}

const HOUR_MS = 60 * 60 * 1000;

interface LiveStats {
  stats: RealtimeStats | null;
  history: Record<string, Sample[]>;
}

/**
 * The supervisor's live figures: the latest `stats` frame (pushed on every change, and every 5 s), and the samples
 * of the last hour the charts draw: the server's trend (a sample a minute) when the page opens, then every frame.
 */
export const useLiveStats = create<LiveStats>(() => ({ stats: null, history: {} }));

function take(stats: RealtimeStats): void {
  const at = Date.parse(stats.at);
  useLiveStats.setState((s) => {
    const history: Record<string, Sample[]> = {};
    for (const w of stats.workgroups) {
      const kept = (s.history[w.id] ?? []).filter((sample) => sample.at > at - HOUR_MS);
      if (!kept.length || kept[kept.length - 1]!.at < at) {
        kept.push({ at, waiting: w.waiting, serviceLevel: w.serviceLevelPercent });
      }
      history[w.id] = kept;
    }
    return { stats, history };
  });
}

interface Trend {
  at: string;
  workgroups: { id: string; samples: { at: string; waiting: number; serviceLevelPercent: number | null }[] }[];
}

/** The last hour as the server has it (one sample a minute), under whatever frames came after it. */
function fill(trend: Trend): void {
  const until = Date.parse(trend.at);
  useLiveStats.setState((s) => {
    const history: Record<string, Sample[]> = { ...s.history };
    for (const w of trend.workgroups) {
      const past = w.samples.map((x) => ({
        at: Date.parse(x.at),
        waiting: x.waiting,
        serviceLevel: x.serviceLevelPercent,
      }));
      history[w.id] = [...past, ...(s.history[w.id] ?? []).filter((sample) => sample.at > until)];
    }
    return { history };
  });
}

let started = false;

export function startLiveStats(): void {
  if (started) return;
  started = true;
  const fetchNow = () =>
    void api
      .get<RealtimeStats>('/api/stats/realtime')
      .then(take)
      .catch(() => undefined);
  live.on('stats', (data) => take(data as unknown as RealtimeStats));
  // On opening, and after each reconnection (the gap is filled too).
  const fetchTrend = () =>
    void api
      .get<Trend>('/api/stats/trend?minutes=60')
      .then(fill)
      .catch(() => undefined);
  live.onState((state) => {
    if (state !== 'open') return;
    fetchNow();
    fetchTrend();
  });
  fetchNow();
  fetchTrend();
}
