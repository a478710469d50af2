import { useEffect } from 'react';
import { errorText } from '../lib/api';
import type { AgentStatus, Me } from '../lib/types';
import { notify, setStatus, startStatus, useDesk } from './desk-store';

const OPTIONS: [AgentStatus, string][] = [
  ['available', 'Available'],
  ['away', 'Away'],
  ['offline', 'Offline'],
];

/** One selector for the agent's status, always in the header. */
export function StatusSelector({ me }: { me: Me }) {
  const status = useDesk((s) => s.status);
  useEffect(() => startStatus(me), [me]);
  return (
    <label className={`status-selector status-${status}`}>
      <span className="visually-hidden">My status</span>
      <select
        value={status}
        aria-label="My status"
        onChange={(e) => {
          setStatus(e.target.value as AgentStatus).catch((error: unknown) =>
            notify('error', `Could not change your status: ${errorText(error)}`),
          );
        }}
      >
        {OPTIONS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
