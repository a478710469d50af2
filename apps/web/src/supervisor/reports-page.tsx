import { useEffect, useState, type FormEvent } from 'react';
import { ScrollRegion } from '../components/scroll-region';
import { api, ApiError, errorText } from '../lib/api';
import type { Directory } from '../lib/types';

const KINDS = [
  ['workgroups', 'Workgroups'],
  ['agents', 'Agents'],
  ['interactions', 'Interactions'],
  ['wrapup-codes', 'Wrap-up codes'],
] as const;

function today(offsetDays = 0): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** Historical reports: a date range, an interval, a workgroup; shown as a table or downloaded as CSV. */
export default function ReportsPage() {
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [form, setForm] = useState({
    kind: 'workgroups',
    from: today(-7),
    to: today(1),
    interval: 'day',
    workgroupId: '',
  });
  const [rows, setRows] = useState<Record<string, unknown>[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void api
      .get<Directory>('/api/directory')
      .then(setDirectory)
      .catch(() => undefined);
  }, []);

  const query = () => {
    const params = new URLSearchParams({ from: form.from, to: form.to });
    if (form.interval && form.kind !== 'interactions') params.set('interval', form.interval);
    if (form.workgroupId) params.set('workgroupId', form.workgroupId);
    return params;
  };

  async function show(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setErrors({});
    try {
      setRows(await api.get<Record<string, unknown>[]>(`/api/reports/${form.kind}?${query().toString()}`));
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors());
      setProblem(errorText(error));
    }
  }

  async function download() {
    setProblem(null);
    const params = query();
    params.set('format', 'csv');
    await api
      .download(`/api/reports/${form.kind}?${params.toString()}`, `${form.kind}.csv`)
      .catch((error: unknown) => setProblem(errorText(error)));
  }

  const columns = rows?.[0] ? Object.keys(rows[0]) : [];
  const field = (name: 'from' | 'to', label: string) => (
    <div className="field">
      <label htmlFor={`report-${name}`}>{label}</label>
      <input
        id={`report-${name}`}
        type="date"
        value={form[name]}
        required
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `report-${name}-error` : undefined}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {errors[name] && (
        <span id={`report-${name}-error`} className="field-error">
          {errors[name]}
        </span>
      )}
    </div>
  );
  return (
    <div className="page">
      <h1>Reports</h1>
      <form className="filters" onSubmit={(e) => void show(e)} aria-label="Report">
        <div className="field">
          <label htmlFor="report-kind">Report</label>
          <select id="report-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            {KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {field('from', 'From (inclusive)')}
        {field('to', 'To (exclusive)')}
        <div className="field">
          <label htmlFor="report-interval">Interval</label>
          <select
            id="report-interval"
            value={form.interval}
            disabled={form.kind === 'interactions'}
            onChange={(e) => setForm({ ...form, interval: e.target.value })}
          >
            <option value="">Whole range</option>
            <option value="day">Day</option>
            <option value="hour">Hour</option>
            <option value="15m">15 minutes</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-workgroup">Workgroup</label>
          <select
            id="report-workgroup"
            value={form.workgroupId}
            onChange={(e) => setForm({ ...form, workgroupId: e.target.value })}
          >
            <option value="">All</option>
            {directory?.workgroups.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <button type="submit" className="button primary">
            Show
          </button>
          <button type="button" className="button" onClick={() => void download()}>
            Download CSV
          </button>
        </div>
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {rows && (
        <ScrollRegion label="Report table">
          <table className="grid" data-testid="report">
            <caption className="visually-hidden">Report rows</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 500).map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>{row[c] === null || row[c] === undefined ? '—' : String(row[c] as string | number)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > 500 && <p className="muted">The first 500 of {rows.length} rows; download the CSV for all.</p>}
          {rows.length === 0 && <p className="muted">No rows.</p>}
        </ScrollRegion>
      )}
    </div>
  );
}
