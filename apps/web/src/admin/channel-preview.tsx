import { useState, type FormEvent } from 'react';
import { api, ApiError, errorText } from '../lib/api';
import type { Option } from './crud';

interface Preview {
  outcome: 'routed' | 'filtered' | 'unrouted';
  channel: { id: string; name: string } | null;
  workgroup: { id: string; name: string | null } | null;
  channels: { id: string; name: string; priority: number; takes: boolean; wins: boolean; reason: string }[];
}

/**
 * "Test this text": which channel would take a message like this, and why — the router's own weighing, through
 * `POST /api/channels/preview`.
 */
export function ChannelPreview({ accounts }: { accounts: Option[] }) {
  const [form, setForm] = useState({ accountId: '', type: 'conversation', text: '' });
  const [result, setResult] = useState<Preview | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  async function run(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setProblem(null);
    try {
      setResult(await api.post<Preview>('/api/channels/preview', form));
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors());
      setProblem(errorText(error));
    }
  }

  return (
    <section className="card preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Test this text</h2>
      <form onSubmit={(e) => void run(e)} noValidate>
        <div className="field">
          <label htmlFor="preview-account">Arriving on account</label>
          <select
            id="preview-account"
            value={form.accountId}
            aria-invalid={errors['accountId'] ? true : undefined}
            onChange={(e) => setForm({ ...form, accountId: e.target.value })}
          >
            <option value="">Choose an account</option>
            {accounts.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
          {errors['accountId'] && <span className="field-error">{errors['accountId']}</span>}
        </div>
        <div className="field">
          <label htmlFor="preview-type">As</label>
          <select id="preview-type" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
            <option value="conversation">A public post, comment or tweet</option>
            <option value="directMessage">A direct message</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="preview-text">Message</label>
          <textarea
            id="preview-text"
            rows={3}
            value={form.text}
            onChange={(e) => setForm({ ...form, text: e.target.value })}
          />
        </div>
        <button type="submit" className="button primary">
          Test
        </button>
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {result && (
        <div className="preview-result" role="status" data-testid="preview-result">
          <p className="verdict">
            {result.outcome === 'routed' &&
              `Routed by “${result.channel?.name ?? ''}” to ${result.workgroup?.name ?? 'its workgroup'}.`}
            {result.outcome === 'filtered' && 'Filtered: the account has channels, and none takes this text.'}
            {result.outcome === 'unrouted' && 'Not routed: the account has no enabled channel.'}
          </p>
          {result.channels.length > 0 && (
            <ol className="weighing">
              {result.channels.map((c) => (
                <li key={c.id} className={c.wins ? 'wins' : c.takes ? 'takes' : 'refuses'}>
                  <strong>{c.name}</strong> (priority {c.priority}): {c.reason}
                  {c.wins && ' — wins'}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
