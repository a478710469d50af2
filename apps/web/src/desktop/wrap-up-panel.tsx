import { useMemo, useState } from 'react';
import { api, errorText } from '../lib/api';
import { clock, secondsUntil } from '../lib/format';
import { useNow } from '../components/use-now';
import type { Interaction, InteractionDetail } from '../lib/types';
import { answerFailed, applyAnswer } from './desk-store';

/** After disconnecting: the workgroup's wrap-up codes (required or not) and the time left to choose one. */
export function WrapUpPanel({ detail }: { detail: InteractionDetail }) {
  const now = useNow(500);
  const [code, setCode] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const required = detail.workgroup?.wrapUpRequired ?? false;
  const timeout = detail.workgroup?.wrapUpTimeoutSeconds ?? null;
  const deadline =
    timeout && detail.disconnectedAt
      ? new Date(Date.parse(detail.disconnectedAt) + timeout * 1000).toISOString()
      : null;
  const codes = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return detail.wrapUpCodes.filter(
      (c) => !q || c.label.toLowerCase().includes(q) || c.code.toLowerCase().includes(q),
    );
  }, [detail.wrapUpCodes, filter]);

  async function finish(withCode: string | null) {
    setBusy(true);
    setProblem(null);
    try {
      applyAnswer(
        await api.post<Interaction>(`/api/interactions/${detail.id}/wrapup`, withCode ? { code: withCode } : {}),
      );
    } catch (error) {
      setProblem(errorText(error));
      answerFailed(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="wrapup" aria-labelledby={`wrapup-${detail.id}`}>
      <h2 id={`wrapup-${detail.id}`}>Wrap-up {required ? '(a code is required)' : '(a code is optional)'}</h2>
      {deadline && (
        <p className="countdown" aria-live="off">
          Time left: <strong>{clock(secondsUntil(deadline, now))}</strong>
          {required && ' — without a code it is recorded as missed'}
        </p>
      )}
      {detail.wrapUpCodes.length > 6 && (
        <>
          <label htmlFor={`wrapup-filter-${detail.id}`}>Find a code</label>
          <input
            id={`wrapup-filter-${detail.id}`}
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </>
      )}
      <fieldset>
        <legend>Wrap-up code</legend>
        {codes.length === 0 && <p className="muted">This workgroup has no wrap-up codes.</p>}
        {codes.map((c) => (
          <label key={c.code} className="choice">
            <input
              type="radio"
              name={`wrapup-code-${detail.id}`}
              value={c.code}
              checked={code === c.code}
              onChange={() => setCode(c.code)}
            />
            {c.label} <span className="muted">({c.code})</span>
          </label>
        ))}
      </fieldset>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="button" className="button primary" disabled={busy || !code} onClick={() => void finish(code)}>
          Finish wrap-up
        </button>
        {!required && (
          <button type="button" className="button subtle" disabled={busy} onClick={() => void finish(null)}>
            Finish without a code
          </button>
        )}
      </div>
    </section>
  );
}
