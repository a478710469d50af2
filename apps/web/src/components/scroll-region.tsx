import type { ReactNode } from 'react';

/** A wide table's horizontal scroller, reachable by keyboard (Tab, then the arrow keys) and named for screen readers. */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
