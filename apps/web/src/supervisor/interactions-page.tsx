import { useEffect, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { ScrollRegion } from '../components/scroll-region';
import { api, errorText } from '../lib/api';
import { when } from '../lib/format';
import { kindLabel, STATE_LABELS } from '../lib/labels';
import type { Directory, Interaction, InteractionState, Platform } from '../lib/types';

const STATES: InteractionState[] = ['queued', 'offered', 'connected', 'wrapup', 'completed', 'filtered'];

/** Every interaction, newest first, filtered by state, workgroup, agent and platform. */
export default function InteractionsPage() {
  const [directory, setDirectory] = useState<Directory | null>(null);
  // A link may open the list already filtered (the dashboard's waiting count: `?state=queued&workgroupId=…`).
  const search = new URLSearchParams(useSearch());
  const [filters, setFilters] = useState(() => ({
    state: search.get('state') ?? '',
    workgroupId: search.get('workgroupId') ?? '',
    agentId: search.get('agentId') ?? '',
    platform: search.get('platform') ?? '',
  }));
  const [rows, setRows] = useState<Interaction[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void api
      .get<Directory>('/api/directory')
      .then(setDirectory)
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
    query.set('limit', '200');
    api
      .get<Interaction[]>(`/api/interactions?${query.toString()}`)
      .then((found) => {
        setRows(found);
        setProblem(null);
      })
      .catch((error: unknown) => setProblem(errorText(error)));
  }, [filters]);
  const wg = (id: string | null) => directory?.workgroups.find((w) => w.id === id)?.name ?? '—';
  const agent = (id: string | null) => directory?.agents.find((a) => a.id === id)?.displayName ?? '—';
  const select = (name: keyof typeof filters, label: string, options: [string, string][]) => (
    <label>
      {label}
      <select value={filters[name]} onChange={(e) => setFilters({ ...filters, [name]: e.target.value })}>
        <option value="">All</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="page">
      <h1>Interactions</h1>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        {select(
          'state',
          'State',
          STATES.map((s) => [s, STATE_LABELS[s]]),
        )}
        {select(
          'workgroupId',
          'Workgroup',
          (directory?.workgroups ?? []).map((w) => [w.id, w.name]),
        )}
        {select(
          'agentId',
          'Agent',
          (directory?.agents ?? []).map((a) => [a.id, a.displayName]),
        )}
        {select('platform', 'Platform', [
          ['facebook' satisfies Platform, 'Facebook'],
          ['twitter' satisfies Platform, 'X'],
        ])}
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ScrollRegion label="Interactions table">
        <table className="grid">
          <caption className="visually-hidden">Interactions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Workgroup</th>
              <th scope="col">Agent</th>
              <th scope="col">Wrap-up</th>
              <th scope="col">End</th>
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((row) => (
              <tr key={row.id}>
                <td>
                  <Link href={`/supervisor/interactions/${row.id}`}>{when(row.createdAt)}</Link>
                </td>
                <td>{kindLabel(row.platform, row.type)}</td>
                <td>{STATE_LABELS[row.state]}</td>
                <td>{wg(row.workgroupId)}</td>
                <td>{agent(row.agentId)}</td>
                <td>{row.wrapUpCode ?? '—'}</td>
                <td>{row.endReason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {rows?.length === 0 && <p className="muted">No interaction matches.</p>}
    </div>
  );
}
