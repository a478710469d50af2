import { useEffect, useRef } from 'react';
import { clock, secondsSince, when } from '../lib/format';
import { customerLabel, kindLabel, shortKind, STATE_LABELS } from '../lib/labels';
import type { Me } from '../lib/types';
import { useNow } from '../components/use-now';
import { ActionsBar } from './actions-bar';
import { CustomerCard } from './customer-card';
import { accept, decline, dismiss, notify, select, setSound, startDesk, useDesk } from './desk-store';
import { OfferCard } from './offer-card';
import { ReplyBox } from './reply-box';
import { ThreadView } from './thread-view';
import { WrapUpPanel } from './wrap-up-panel';

function Notices() {
  const notices = useDesk((s) => s.notices);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" className="button subtle" onClick={() => dismiss(notice.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}

function Offers() {
  const offers = useDesk((s) => s.offers);
  const list = Object.values(offers).sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
  return (
    <section className="offers" aria-labelledby="offers-title">
      <h2 id="offers-title">Offers {list.length > 0 && <span className="count">{list.length}</span>}</h2>
      <div aria-live="assertive" aria-relevant="additions">
        {list.length === 0 ? (
          <p className="muted">No offer right now.</p>
        ) : (
          list.map((offer, i) => <OfferCard key={offer.offerId} offer={offer} first={i === 0} />)
        )}
      </div>
    </section>
  );
}

function MyInteractions() {
  const now = useNow(1000);
  const { interactions, details, selectedId } = useDesk();
  const list = Object.values(interactions).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">My interactions</h2>
      {list.length === 0 ? (
        <p className="muted">Nothing in hand.</p>
      ) : (
        <ul className="mine">
          {list.map((interaction) => {
            const detail = details[interaction.id];
            const since = interaction.connectedAt ?? interaction.createdAt;
            return (
              <li key={interaction.id}>
                <button
                  type="button"
                  className={`mine-item ${interaction.id === selectedId ? 'selected' : ''}`}
                  aria-current={interaction.id === selectedId ? 'true' : undefined}
                  onClick={() => select(interaction.id)}
                >
                  <span
                    className={`kind kind-${interaction.platform}`}
                    title={kindLabel(interaction.platform, interaction.type)}
                  >
                    {shortKind(interaction.platform, interaction.type)}
                  </span>
                  <span className="mine-who">{customerLabel(detail?.customer ?? null)}</span>
                  <span className={`state state-${interaction.state}`}>{STATE_LABELS[interaction.state]}</span>
                  <span className="muted">{clock(secondsSince(since, now))}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Focus({ me }: { me: Me }) {
  const { selectedId, details, interactions } = useDesk();
  const detail = selectedId ? details[selectedId] : undefined;
  const state = selectedId ? (interactions[selectedId]?.state ?? detail?.state) : undefined;
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = detail !== undefined;
  // What had the focus (Accept, Disconnect, Finish, Transfer) is gone once it did its work: the focus goes to the
  // conversation now in front of the agent rather than to the page's top. Focus somewhere else is left alone.
  useEffect(() => {
    const lost = document.activeElement === document.body || document.activeElement === null;
    if (lost) heading.current?.focus();
  }, [selectedId, state, loaded]);
  if (!selectedId || !interactions[selectedId]) {
    return (
      <section className="focus empty" aria-labelledby="focus-title">
        <h2 id="focus-title" className="visually-hidden" tabIndex={-1} ref={heading}>
          Conversation
        </h2>
        <p>Accept an offer, or pick one of your interactions.</p>
      </section>
    );
  }
  if (!detail) return <section className="focus" aria-label="Conversation" aria-busy="true" />;
  return (
    <>
      <section className="focus" aria-labelledby="focus-title">
        <header className="focus-head">
          <h2 id="focus-title" tabIndex={-1} ref={heading}>
            {kindLabel(detail.platform, detail.type)} with {customerLabel(detail.customer)}
          </h2>
          <p className="muted">
            {detail.workgroup?.name ?? 'No workgroup'}
            {detail.channelName && ` · ${detail.channelName}`} · since {when(detail.connectedAt ?? detail.createdAt)}
            {detail.parentId && ' · escalated from a public thread'}
          </p>
        </header>
        <ThreadView detail={detail} myId={me.id} />
        {state === 'connected' && (
          <>
            <ReplyBox key={`reply-${detail.id}`} detail={detail} />
            <ActionsBar key={`actions-${detail.id}`} detail={detail} />
          </>
        )}
        {state === 'wrapup' && <WrapUpPanel key={`wrapup-${detail.id}`} detail={{ ...detail, state }} />}
      </section>
      <aside className="context" aria-label="Customer context">
        <CustomerCard detail={detail} />
      </aside>
    </>
  );
}

/**
 * The agent's desk, in the spirit of Interaction Connect: offers and the interactions in hand on the left, the
 * thread with its reply box in the middle, the customer on the right.
 */
export function AgentDesktop({ me }: { me: Me }) {
  const sound = useDesk((s) => s.sound);
  useEffect(() => startDesk(me), [me]);
  useEffect(() => {
    function shortcut(event: KeyboardEvent) {
      // Alt+Shift+A accepts the first offer (the soonest to expire), Alt+Shift+D declines it.
      const answer = event.code === 'KeyA' ? accept : event.code === 'KeyD' ? decline : null;
      if (event.altKey && event.shiftKey && answer) {
        const first = Object.values(useDesk.getState().offers).sort(
          (a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt),
        )[0];
        if (first) {
          event.preventDefault();
          answer(first.interaction.id).catch((error: unknown) => notify('error', String(error)));
        }
      }
    }
    window.addEventListener('keydown', shortcut);
    return () => window.removeEventListener('keydown', shortcut);
  }, []);
  return (
    <div className="desk">
      <h1 className="visually-hidden">My desk</h1>
      <div className="desk-side">
        <Offers />
        <MyInteractions />
        <label className="sound-toggle">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} /> Sound for new offers
        </label>
      </div>
      <Focus me={me} />
      <Notices />
    </div>
  );
}
