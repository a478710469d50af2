import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ScrollRegion } from '../components/scroll-region';
import { api } from '../lib/api';
import { clock, percent, secondsSince } from '../lib/format';
import { STATE_LABELS } from '../lib/labels';
import { live } from '../lib/live';
import type { AgentSummary, RealtimeStats, WorkgroupStats } from '../lib/types';
import { useNow } from '../components/use-now';
import { startLiveStats, useLiveStats } from './live-stats';

const Sparkline = lazy(() => import('./sparkline').then((m) => ({ default: m.Sparkline })));

/** Service level under this is shown as a warning; a longest wait past the workgroup's threshold too. */
const SERVICE_LEVEL_TARGET = 80;

function Tile({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="tile" data-testid={testId}>
      <span className="tile-label">{label}</span>
      <span className="tile-value">{value}</span>
    </div>
  );
}

/** Seconds for an average: tenths under a minute (answers in seconds are common), a clock above. */
function shortDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  return seconds < 60 ? `${seconds.toFixed(1)} s` : clock(seconds);
}

/** An age the server measured at `at`, moved on to now (frames come every few seconds; ages tick every second). */
function aged(seconds: number, at: string, now: number, running: boolean): number {
  return running ? seconds + Math.max(0, (now - Date.parse(at)) / 1000) : seconds;
}

function SocialTiles({ stats }: { stats: RealtimeStats }) {
  const now = useNow(1000);
  const conversation = aged(stats.longestSocialConversationSeconds, stats.at, now, stats.activeSocialConversations > 0);
  const message = aged(stats.longestSocialDirectMessageSeconds, stats.at, now, stats.activeSocialDirectMessages > 0);
  return (
    <section aria-labelledby="social-title">
      <h2 id="social-title">Social media now</h2>
      <div className="tiles">
        <Tile label="Longest Social Conversation" value={clock(conversation)} testId="longest-conversation" />
        <Tile label="Longest Social Direct Message" value={clock(message)} testId="longest-dm" />
        <Tile
          label="Active Social Conversations"
          value={String(stats.activeSocialConversations)}
          testId="active-conversations"
        />
        <Tile
          label="Active Social Direct Messages"
          value={String(stats.activeSocialDirectMessages)}
          testId="active-dms"
        />
      </div>
    </section>
  );
}

function WorkgroupRow({ w, at }: { w: WorkgroupStats; at: string }) {
  const now = useNow(1000);
  const longest = aged(w.longestWaitingSeconds, at, now, w.waiting > 0);
  const slow = longest > w.serviceLevelSeconds;
  const low = w.serviceLevelPercent !== null && w.serviceLevelPercent < SERVICE_LEVEL_TARGET;
  return (
    <tr>
      <th scope="row">{w.name}</th>
      <td className="num">
        {w.waiting > 0 ? (
          // To the waiting interactions themselves, where one can be assigned or moved.
          <Link
            href={`/supervisor/interactions?state=queued&workgroupId=${w.id}`}
            aria-label={`${w.waiting} waiting in ${w.name}: list them`}
          >
            {w.waiting}
          </Link>
        ) : (
          w.waiting
        )}
      </td>
      <td className={`num ${slow ? 'alarm' : ''}`}>
        {clock(longest)}
        {slow && <span className="visually-hidden"> (over the service level)</span>}
      </td>
      <td className="num">{w.agentsAvailable}</td>
      <td className="num">{w.agentsBusy}</td>
      <td className="num">{w.answeredToday}</td>
      <td className="num">{w.abandonedToday}</td>
      <td className="num">{shortDuration(w.averageSpeedOfAnswerSeconds)}</td>
      <td className={`num ${low ? 'alarm' : ''}`}>
        {percent(w.serviceLevelPercent)}
        {low && <span className="visually-hidden"> (under {SERVICE_LEVEL_TARGET} %)</span>}
      </td>
    </tr>
  );
}

function Agents() {
  const now = useNow(1000);
  const [agents, setAgents] = useState<AgentSummary[]>([]);
  const stats = useLiveStats((s) => s.stats);
  const fetchedAt = useRef(0);
  const trailing = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Refreshed as the figures move: at most every 2 s, and once more after a burst so the last change shows.
  useEffect(() => {
    const fetchAgents = () => {
      fetchedAt.current = Date.now();
      void api
        .get<AgentSummary[]>('/api/agents')
        .then(setAgents)
        .catch(() => undefined);
    };
    const wait = fetchedAt.current + 2000 - Date.now();
    if (wait <= 0) fetchAgents();
    else if (!trailing.current) {
      trailing.current = setTimeout(() => {
        trailing.current = null;
        fetchAgents();
      }, wait);
    }
  }, [stats?.at]);
  useEffect(
    () => () => {
      if (trailing.current) clearTimeout(trailing.current);
    },
    [],
  );
  return (
    <section aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      <ScrollRegion label="Agents table">
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Status</th>
              <th scope="col">For</th>
              <th scope="col">Conversations</th>
              <th scope="col">Direct messages</th>
              <th scope="col">Now handling</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.id}>
                <th scope="row">{agent.displayName}</th>
                <td>
                  <span className={`dot status-${agent.status}`} aria-hidden="true" /> {agent.status}
                </td>
                <td>{clock(secondsSince(agent.statusChangedAt, now))}</td>
                <td className="num">
                  {agent.current.conversation} / {agent.capacity['conversation'] ?? 0}
                </td>
                <td className="num">
                  {agent.current.directMessage} / {agent.capacity['directMessage'] ?? 0}
                </td>
                <td>{agent.interactions.map((i) => STATE_LABELS[i.state]).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

/** The supervisor's live view: the four social statistics, every workgroup, every agent, the last hour's trend. */
export default function SupervisorDashboard() {
  const { stats, history } = useLiveStats();
  useEffect(() => startLiveStats(), []);
  const [connected, setConnected] = useState(live.state === 'open');
  useEffect(() => live.onState((state) => setConnected(state === 'open')), []);
  return (
    <div className="page dashboard">
      <h1>Dashboard</h1>
      {!connected && <p className="notice warning">Reconnecting: figures may be behind.</p>}
      {!stats ? (
        <p className="loading">Loading figures…</p>
      ) : (
        <>
          <SocialTiles stats={stats} />
          <section aria-labelledby="workgroups-title">
            <h2 id="workgroups-title">Workgroups today ({stats.timeZone})</h2>
            <ScrollRegion label="Workgroups table">
              <table className="grid" data-testid="workgroups">
                <thead>
                  <tr>
                    <th scope="col">Workgroup</th>
                    <th scope="col">Waiting</th>
                    <th scope="col">Longest wait</th>
                    <th scope="col">Available</th>
                    <th scope="col">Busy</th>
                    <th scope="col">Answered</th>
                    <th scope="col">Abandoned</th>
                    <th scope="col">Avg. speed of answer</th>
                    <th scope="col">Service level</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.workgroups.map((w) => (
                    <WorkgroupRow key={w.id} w={w} at={stats.at} />
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </section>
          <section aria-labelledby="trend-title">
            <h2 id="trend-title">Last hour: waiting and service level</h2>
            <div className="sparklines">
              <Suspense fallback={null}>
                {stats.workgroups.map((w) => (
                  <Sparkline key={w.id} label={w.name} samples={history[w.id] ?? []} />
                ))}
              </Suspense>
            </div>
          </section>
          <Agents />
        </>
      )}
    </div>
  );
}
