import { useEffect, useState } from 'react';
import { live, type LiveState } from '../lib/live';

const LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  replaced: 'Open in another window',
  closed: 'Not connected',
};

/**
 * Whether the page hears the gateway: agents must know when offers cannot reach them. When a newer page of the same
 * user took the connection over, say so and offer to take it back here.
 */
export function ConnectionBadge() {
  const [state, setState] = useState<LiveState>(live.state);
  useEffect(() => live.onState(setState), []);
  return (
    <span className="connection">
      <span className={`badge live-${state}`} role="status" aria-live="polite" title="Connection to Switchboard">
        {LABELS[state]}
      </span>
      {state === 'replaced' && (
        <button type="button" className="button small" onClick={() => live.resume()}>
          Use here
        </button>
      )}
    </span>
  );
}
