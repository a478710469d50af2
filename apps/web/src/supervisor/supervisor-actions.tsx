import { useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import type { Directory, InteractionDetail } from '../lib/types';
import { TransferTargets } from '../desktop/actions-bar';

/**
 * What a supervisor can do with someone else's interaction: offer a waiting one (queued, or offered to another agent)
 * to the agent of their choice, or move it to another workgroup's queue; transfer or disconnect a connected one (its
 * wrap-up stays with the agent).
 */
export function SupervisorActions({
  detail,
  directory,
  onChanged,
}: {
  detail: InteractionDetail;
  directory: Directory | null;
  onChanged: () => void;
}) {
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const waiting = detail.state === 'queued' || detail.state === 'offered';
  const actionable = waiting || detail.state === 'connected';
  // Once nothing is left to do (disconnected: the agent's wrap-up), what was done is still said.
  if (!actionable && !done) return null;

  async function run(what: string, path: string, body?: Record<string, string>) {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      await api.post(`/api/interactions/${detail.id}/${path}`, body ?? {});
      setDone(what);
      setTarget('');
      onChanged();
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const [kind, id] = target.split(':');
    if (!id) return;
    if (waiting && kind === 'agent') void run('Offered to the agent.', 'assign', { agentId: id });
    else void run('Transferred.', 'transfer', kind === 'wg' ? { workgroupId: id } : { agentId: id });
  }

  const selectId = `supervise-${detail.id}`;
  return (
    <section className="card supervisor-actions" aria-labelledby={`${selectId}-title`}>
      <h2 id={`${selectId}-title`}>{waiting ? 'Assign or move' : 'Step in'}</h2>
      {actionable && (
        <form className="row" onSubmit={submit}>
          <div className="field">
            <label htmlFor={selectId}>{waiting ? 'Send it to' : 'Transfer to'}</label>
            <select id={selectId} value={target} required onChange={(e) => setTarget(e.target.value)}>
              {waiting ? (
                <>
                  <option value="">Choose an agent or a queue</option>
                  <optgroup label="Offer it now to">
                    {directory?.agents
                      .filter((a) => a.id !== detail.agentId)
                      .map((a) => (
                        <option key={a.id} value={`agent:${a.id}`} disabled={a.status === 'offline'}>
                          {a.displayName} ({a.status})
                        </option>
                      ))}
                  </optgroup>
                  <optgroup label="Move to the queue of">
                    {directory?.workgroups
                      .filter((w) => w.id !== detail.workgroupId)
                      .map((w) => (
                        <option key={w.id} value={`wg:${w.id}`}>
                          {w.name}
                        </option>
                      ))}
                  </optgroup>
                </>
              ) : (
                <TransferTargets directory={directory} />
              )}
            </select>
          </div>
          <button type="submit" className="button primary" disabled={busy || !target}>
            {!waiting ? 'Transfer' : target.startsWith('wg:') ? 'Move' : 'Assign'}
          </button>
          {!waiting && (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void run('Disconnected: the agent now wraps it up.', 'disconnect')}
            >
              Disconnect
            </button>
          )}
        </form>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <p className="muted" role="status">
        {done ?? ''}
      </p>
    </section>
  );
}
