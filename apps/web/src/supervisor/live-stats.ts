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
 * of the last hour the charts draw, kept for as long as the page is open.
 */
export const useLiveStats = create<LiveStats>(() => ({ stats: null, history: {} }));

function take(stats: RealtimeStats): void {
  const at = Date.parse(stats.at);
  useLiveStats.setState((s) => {
    const history: Record<string, Sample[]> = {};
    for (const w of stats.workgroups) {
      const kept = (s.history[w.id] ?? []).filter((sample) => sample.at > at - HOUR_MS);
      kept.push({ at, waiting: w.waiting, serviceLevel: w.serviceLevelPercent });
      history[w.id] = kept;
    }
    return { stats, history };
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
  live.onState((state) => {
    if (state === 'open') fetchNow();
  });
  fetchNow();
}
