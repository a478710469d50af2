import { useEffect, useState, type FormEvent } from 'react';
import { ScrollRegion } from '../components/scroll-region';
import { api, ApiError, errorText } from '../lib/api';
import { cellText, columnLabel, dateIn, isInstant, shownColumn } from '../lib/report-format';
import type { Directory, RealtimeStats } from '../lib/types';

const KINDS = [
  ['workgroups', 'Workgroups'],
  ['agents', 'Agents'],
  ['interactions', 'Interactions'],
  ['wrapup-codes', 'Wrap-up codes'],
] as const;

/** Historical reports: a date range, an interval, a workgroup; shown as a table or downloaded as CSV. */
export default function ReportsPage() {
  const [directory, setDirectory] = useState<Directory | null>(null);
  /** Reports count days in REPORT_TIME_ZONE: dates are read and times shown there, whatever this browser's zone. */
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
  const [form, setForm] = useState({
    kind: 'workgroups',
    from: dateIn(undefined, -7),
    to: dateIn(undefined, 1),
    interval: 'day',
    workgroupId: '',
  });
  const [rows, setRows] = useState<Record<string, unknown>[] | null>(null);
  const [shownInterval, setShownInterval] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void api
      .get<Directory>('/api/directory')
      .then(setDirectory)
      .catch(() => undefined);
    void api
      .get<RealtimeStats>('/api/stats/realtime')
      .then((stats) => {
        setTimeZone(stats.timeZone);
        // The default range is the last seven days there, unless someone already picked dates.
        setForm((f) =>
          f.from === dateIn(undefined, -7) && f.to === dateIn(undefined, 1)
            ? { ...f, from: dateIn(stats.timeZone, -7), to: dateIn(stats.timeZone, 1) }
            : f,
        );
      })
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
      setShownInterval(form.kind === 'interactions' ? '' : form.interval);
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

  const columns = rows?.[0] ? Object.keys(rows[0]).filter(shownColumn) : [];
  // A figure's column is right-aligned down to its dashes, whichever rows have a number.
  const numeric = new Set(columns.filter((c) => /(Seconds|Percent)$/.test(c) || typeof rows?.[0]?.[c] === 'number'));
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
      {timeZone && (
        <p className="muted" id="report-zone">
          Days and times are in {timeZone}, the reports&apos; time zone.
        </p>
      )}
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
                  <th key={c} scope="col" className={numeric.has(c) ? 'num' : undefined}>
                    {columnLabel(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 500).map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c} className={numeric.has(c) ? 'num' : isInstant(row[c]) ? 'when' : undefined}>
                      {cellText(row[c], { timeZone, dateOnly: shownInterval === 'day' && c === 'intervalStart' })}
                    </td>
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
