import { useEffect, useState } from 'react';
import { serverNow } from '../lib/api';

/** The current time by the server's clock, refreshed every `everyMs` (countdowns and ages). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
