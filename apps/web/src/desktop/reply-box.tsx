import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { api, errorText } from '../lib/api';
import { when } from '../lib/format';
import { customerLabel } from '../lib/labels';
import type { InteractionDetail, Message, StandardResponse, Visibility } from '../lib/types';
import { applyMessage, notify } from './desk-store';

const draftKey = (id: string) => `switchboard.draft.${id}`;

interface Draft {
  text: string;
  visibility: Visibility;
}

function readDraft(id: string, fallback: Visibility): Draft {
  try {
    const stored = JSON.parse(localStorage.getItem(draftKey(id)) ?? 'null') as Draft | null;
    return stored ?? { text: '', visibility: fallback };
  } catch {
    return { text: '', visibility: fallback };
  }
}

/**
 * The reply: public on the thread or private (a direct message; on a public thread it opens a linked DM interaction),
 * standard responses of the workgroup filled in for this customer, Ctrl+Enter to send. The draft is kept in the
 * browser, so a reload, a lost connection or an expired session loses nothing. Keyed by interaction by its parent.
 */
export function ReplyBox({ detail }: { detail: InteractionDetail }) {
  const isPublicThread = detail.type === 'conversation';
  const [draft, setDraft] = useState<Draft>(() => readDraft(detail.id, isPublicThread ? 'public' : 'private'));
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const text = useRef<HTMLTextAreaElement>(null);
  /** The draft as last typed, for a send that finishes after more was typed. */
  const latest = useRef(draft);

  function update(next: Draft) {
    latest.current = next;
    setDraft(next);
    localStorage.setItem(draftKey(detail.id), JSON.stringify(next));
  }

  async function send() {
    if (!draft.text.trim() || sending) return;
    setSending(true);
    setProblem(null);
    const sent = draft;
    try {
      const message = await api.post<Message>(`/api/interactions/${detail.id}/replies`, {
        text: sent.text,
        visibility: sent.visibility,
      });
      // What was typed while it was sending stays.
      const typedSince = latest.current.text !== sent.text;
      if (!typedSince) {
        localStorage.removeItem(draftKey(detail.id));
        latest.current = { text: '', visibility: sent.visibility };
        setDraft(latest.current);
      }
      if (isPublicThread && sent.visibility === 'private') {
        notify('info', 'Private reply sent: a direct-message interaction with this customer is now open for you.');
      }
      applyMessage(message);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setSending(false);
    }
  }

  function insert(response: StandardResponse) {
    const area = text.current;
    const at = area?.selectionStart ?? draft.text.length;
    const next = draft.text.slice(0, at) + response.text + draft.text.slice(area?.selectionEnd ?? at);
    update({ ...draft, text: next });
    setPicking(false);
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(at + response.text.length, at + response.text.length);
    });
  }

  function keys(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
    if (event.code === 'Slash' && event.altKey) {
      event.preventDefault();
      setPicking(true);
    }
  }

  const privateOnPublic = isPublicThread && draft.visibility === 'private';
  // What the platform would refuse, as the server judged when the interaction was read (sending judges again).
  const refusal = detail.replyRules?.[draft.visibility] ?? null;
  const privateUntil = draft.visibility === 'private' ? (detail.replyRules?.privateUntil ?? null) : null;
  return (
    <form
      className="reply"
      aria-label="Reply"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <fieldset className="visibility">
        <legend>Reply</legend>
        <label className={`choice ${draft.visibility === 'public' ? 'chosen public' : ''}`}>
          <input
            type="radio"
            name={`visibility-${detail.id}`}
            value="public"
            checked={draft.visibility === 'public'}
            disabled={!isPublicThread}
            onChange={() => update({ ...draft, visibility: 'public' })}
          />
          Public, on the thread
        </label>
        <label className={`choice ${draft.visibility === 'private' ? 'chosen private' : ''}`}>
          <input
            type="radio"
            name={`visibility-${detail.id}`}
            value="private"
            checked={draft.visibility === 'private'}
            onChange={() => update({ ...draft, visibility: 'private' })}
          />
          Private message
        </label>
      </fieldset>
      {!isPublicThread && <p className="hint">A direct message is answered privately.</p>}
      {privateOnPublic && (
        <p className="warning" role="note">
          Private: this goes to {customerLabel(detail.customer)} as a direct message and opens a separate direct-message
          interaction, connected to you. The public thread stays open here.
        </p>
      )}
      {refusal ? (
        <p className="warning" role="note" data-testid="reply-refusal">
          {detail.platform === 'facebook' ? 'Meta' : 'X'} would refuse this reply: {refusal.reason}.
        </p>
      ) : (
        privateUntil && (
          <p className="hint" data-testid="reply-window">
            {isPublicThread
              ? `Meta takes one private reply to this comment, until ${when(privateUntil)}.`
              : `Messenger takes answers until ${when(privateUntil)}, 7 days after the customer last wrote.`}
          </p>
        )
      )}
      <div className="row spread">
        <label htmlFor={`reply-${detail.id}`} className="reply-label">
          {draft.visibility === 'public' ? 'Your public reply' : 'Your private message'}
        </label>
        <button
          type="button"
          className="button"
          aria-expanded={picking}
          aria-controls={`responses-${detail.id}`}
          onClick={() => setPicking(!picking)}
        >
          Standard responses
        </button>
      </div>
      {picking && (
        <StandardResponses
          id={`responses-${detail.id}`}
          interactionId={detail.id}
          onPick={insert}
          onClose={() => {
            setPicking(false);
            requestAnimationFrame(() => text.current?.focus());
          }}
        />
      )}
      <textarea
        id={`reply-${detail.id}`}
        ref={text}
        className={privateOnPublic ? 'private' : draft.visibility}
        rows={4}
        value={draft.text}
        onChange={(e) => update({ ...draft, text: e.target.value })}
        onKeyDown={keys}
        aria-describedby={`reply-help-${detail.id}`}
      />
      <p id={`reply-help-${detail.id}`} className="hint">
        Ctrl+Enter sends; Alt+/ opens the standard responses.
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="reply-actions">
        <span />
        <button type="submit" className={`button primary ${privateOnPublic ? 'danger' : ''}`} disabled={sending}>
          {sending
            ? 'Sending…'
            : privateOnPublic
              ? 'Send privately'
              : draft.visibility === 'public'
                ? 'Send publicly'
                : 'Send'}
        </button>
      </div>
    </form>
  );
}

function StandardResponses({
  id,
  interactionId,
  onPick,
  onClose,
}: {
  id: string;
  interactionId: string;
  onPick: (response: StandardResponse) => void;
  onClose: () => void;
}) {
  const [responses, setResponses] = useState<StandardResponse[] | null>(null);
  const [query, setQuery] = useState('');
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    search.current?.focus();
    api
      .get<StandardResponse[]>(`/api/interactions/${interactionId}/standard-responses`)
      .then(setResponses)
      .catch(() => setResponses([]));
  }, [interactionId]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (responses ?? []).filter((r) => !q || r.title.toLowerCase().includes(q) || r.text.toLowerCase().includes(q));
  }, [responses, query]);
  return (
    <div
      id={id}
      className="responses"
      role="group"
      aria-label="Standard responses"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <label htmlFor={`${id}-search`}>Search standard responses</label>
      <input id={`${id}-search`} ref={search} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      {responses === null ? (
        <p className="muted">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="muted">No standard response matches.</p>
      ) : (
        <ul>
          {shown.map((response) => (
            <li key={response.id}>
              <button type="button" className="response" onClick={() => onPick(response)}>
                <strong>{response.title}</strong>
                <span>{response.text}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
