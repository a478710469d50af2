import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { api, errorText } from '../lib/api';
import { when } from '../lib/format';
import { kindLabel, STATE_LABELS } from '../lib/labels';
import { live } from '../lib/live';
import type { Directory, InteractionDetail } from '../lib/types';
import { CustomerCard } from '../desktop/customer-card';
import { ThreadView } from '../desktop/thread-view';
import { SupervisorActions } from './supervisor-actions';

/** Frames that may change what this page shows: read it again (at most every 500 ms). */
const FRAMES = ['interaction.updated', 'message.created', 'message.updated'];

/** One interaction as a supervisor sees it: where it stands, its whole thread and its customer, kept live. */
export default function InteractionPage({ id }: { id: string }) {
  const [detail, setDetail] = useState<InteractionDetail | null>(null);
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const load = useCallback(
    () =>
      api
        .get<InteractionDetail>(`/api/interactions/${id}`)
        .then((found) => {
          setDetail(found);
          setProblem(null);
        })
        .catch((error: unknown) => setProblem(errorText(error))),
    [id],
  );
  useEffect(() => {
    void load();
    void api
      .get<Directory>('/api/directory')
      .then(setDirectory)
      .catch(() => undefined);
    const offs = FRAMES.map((event) =>
      live.on(event, (data) => {
        if (data['id'] !== id && data['interactionId'] !== id) return;
        pending.current ??= setTimeout(() => {
          pending.current = null;
          void load();
        }, 500);
      }),
    );
    return () => {
      offs.forEach((off) => off());
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [id, load]);
  const agentName = (agentId: string | null) =>
    directory?.agents.find((a) => a.id === agentId)?.displayName ?? (agentId ? 'Agent' : '—');
  return (
    <div className="page interaction-page">
      <p>
        <Link href="/supervisor/interactions">← All interactions</Link>
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {!detail ? (
        !problem && <p className="loading">Loading…</p>
      ) : (
        <>
          <h1>
            {kindLabel(detail.platform, detail.type)}: {STATE_LABELS[detail.state]}
          </h1>
          <dl className="facts">
            <dt>Workgroup</dt>
            <dd>{detail.workgroup?.name ?? '—'}</dd>
            <dt>Agent</dt>
            <dd>{agentName(detail.agentId)}</dd>
            <dt>Channel</dt>
            <dd>{detail.channelName ?? '—'}</dd>
            <dt>Account</dt>
            <dd>{detail.account.name ?? detail.account.handle ?? '—'}</dd>
            <dt>Created</dt>
            <dd>{when(detail.createdAt)}</dd>
            {detail.connectedAt && (
              <>
                <dt>Connected</dt>
                <dd>{when(detail.connectedAt)}</dd>
              </>
            )}
            {detail.completedAt && (
              <>
                <dt>Completed</dt>
                <dd>{when(detail.completedAt)}</dd>
              </>
            )}
            <dt>Wrap-up</dt>
            <dd>{detail.wrapUpCode ?? '—'}</dd>
            {detail.endReason && (
              <>
                <dt>End</dt>
                <dd>{detail.endReason}</dd>
              </>
            )}
            {detail.parentId && (
              <>
                <dt>Escalated from</dt>
                <dd>
                  <Link href={`/supervisor/interactions/${detail.parentId}`}>the public thread</Link>
                </dd>
              </>
            )}
          </dl>
          <SupervisorActions detail={detail} directory={directory} onChanged={() => void load()} />
          <div className="interaction-columns">
            <section className="card" aria-label="Thread">
              <ThreadView detail={detail} myId="" agentName={agentName} />
            </section>
            <CustomerCard detail={detail} />
          </div>
        </>
      )}
    </div>
  );
}
