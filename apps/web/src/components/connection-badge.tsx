import { useEffect, useState } from 'react';
import { live, type LiveState } from '../lib/live';

const LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

/** Whether the page hears the gateway: agents must know when offers cannot reach them. */
export function ConnectionBadge() {
  const [state, setState] = useState<LiveState>(live.state);
  useEffect(() => live.onState(setState), []);
  return (
    <span className={`badge live-${state}`} role="status" aria-live="polite" title="Connection to Switchboard">
      {LABELS[state]}
    </span>
  );
}
