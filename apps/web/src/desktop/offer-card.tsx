import { useLayoutEffect, useState } from 'react';
import { errorText } from '../lib/api';
import { clock, secondsUntil } from '../lib/format';
import { customerLabel, kindLabel } from '../lib/labels';
import { useNow } from '../components/use-now';
import { accept, decline, notify, offerShown, type OfferEntry } from './desk-store';

export const ACCEPT_SHORTCUT = 'Alt+Shift+A';
export const DECLINE_SHORTCUT = 'Alt+Shift+D';

/** An incoming offer: who, what they said, the time left to accept, Accept and Decline. */
export function OfferCard({ offer, first }: { offer: OfferEntry; first: boolean }) {
  const now = useNow(250);
  const [busy, setBusy] = useState(false);
  const id = offer.interaction.id;
  useLayoutEffect(() => {
    requestAnimationFrame(() => offerShown(id));
  }, [id]);
  const left = secondsUntil(offer.expiresAt, now);
  const total = Math.max(
    1,
    (Date.parse(offer.expiresAt) - Date.parse(offer.interaction.offeredAt ?? offer.expiresAt)) / 1000,
  );
  const kind = kindLabel(offer.interaction.platform, offer.interaction.type);
  const who = customerLabel(offer.customer);
  return (
    <article className="offer" aria-labelledby={`offer-${id}`} data-testid="offer">
      <h3 id={`offer-${id}`} className="offer-title">
        <span className={`kind kind-${offer.interaction.platform}`}>{kind}</span> from {who}
      </h3>
      {offer.lastMessage?.text && <p className="offer-text">“{offer.lastMessage.text}”</p>}
      <div className="offer-timer">
        <progress max={total} value={left} aria-label="Time left to accept" />
        <span aria-hidden="true">{clock(left)}</span>
      </div>
      <div className="offer-actions">
        <button
          type="button"
          className="button primary"
          disabled={busy}
          aria-keyshortcuts={first ? ACCEPT_SHORTCUT : undefined}
          onClick={() => {
            setBusy(true);
            accept(id)
              .catch((error: unknown) => notify('error', `Could not accept: ${errorText(error)}`))
              .finally(() => setBusy(false));
          }}
        >
          Accept{first && <span className="shortcut"> ({ACCEPT_SHORTCUT})</span>}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          aria-label={`Decline the offer from ${who}`}
          aria-keyshortcuts={first ? DECLINE_SHORTCUT : undefined}
          onClick={() => {
            setBusy(true);
            decline(id)
              .catch((error: unknown) => notify('error', `Could not decline: ${errorText(error)}`))
              .finally(() => setBusy(false));
          }}
        >
          Decline
        </button>
      </div>
    </article>
  );
}
