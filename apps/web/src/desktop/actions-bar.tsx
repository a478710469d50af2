import { useEffect, useState } from 'react';
import { api, errorText } from '../lib/api';
import type { Directory, Interaction, InteractionDetail } from '../lib/types';
import { answerFailed, applyAnswer, notify } from './desk-store';

/** Transfer to a workgroup or an agent, and disconnect: what an agent does with a connected interaction. */
export function ActionsBar({ detail }: { detail: InteractionDetail }) {
  const [transferring, setTransferring] = useState(false);
  const [busy, setBusy] = useState(false);

  async function disconnect() {
    setBusy(true);
    try {
      applyAnswer(await api.post<Interaction>(`/api/interactions/${detail.id}/disconnect`));
    } catch (error) {
      notify('error', `Could not disconnect: ${errorText(error)}`);
      answerFailed(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="actions">
      <button
        type="button"
        className="button"
        aria-expanded={transferring}
        aria-controls={`transfer-${detail.id}`}
        onClick={() => setTransferring(!transferring)}
      >
        Transfer…
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => void disconnect()}>
        Disconnect
      </button>
      {transferring && <TransferPanel detail={detail} onDone={() => setTransferring(false)} />}
    </div>
  );
}

/** The options of a transfer: `wg:<id>` for a workgroup's queue, `agent:<id>` for one agent. */
export function TransferTargets({ directory }: { directory: Directory | null }) {
  return (
    <>
      <option value="">Choose a workgroup or an agent</option>
      <optgroup label="Workgroups">
        {directory?.workgroups.map((w) => (
          <option key={w.id} value={`wg:${w.id}`}>
            {w.name}
          </option>
        ))}
      </optgroup>
      <optgroup label="Agents">
        {directory?.agents.map((a) => (
          <option key={a.id} value={`agent:${a.id}`}>
            {a.displayName} ({a.status})
          </option>
        ))}
      </optgroup>
    </>
  );
}

function TransferPanel({ detail, onDone }: { detail: InteractionDetail; onDone: () => void }) {
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [target, setTarget] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<Directory>('/api/directory')
      .then(setDirectory)
      .catch((error: unknown) => setProblem(errorText(error)));
  }, []);
  async function submit() {
    const [kind, id] = target.split(':');
    if (!id) return;
    try {
      const view = await api.post<Interaction>(
        `/api/interactions/${detail.id}/transfer`,
        kind === 'wg' ? { workgroupId: id } : { agentId: id },
      );
      notify('info', 'Transferred.');
      onDone();
      applyAnswer(view);
    } catch (error) {
      setProblem(errorText(error));
      answerFailed(error);
    }
  }
  return (
    <form
      id={`transfer-${detail.id}`}
      className="panel"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={`transfer-target-${detail.id}`}>Transfer to</label>
      <select id={`transfer-target-${detail.id}`} value={target} onChange={(e) => setTarget(e.target.value)} required>
        <TransferTargets directory={directory} />
      </select>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button primary" disabled={!target}>
          Transfer
        </button>
        <button type="button" className="button subtle" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
