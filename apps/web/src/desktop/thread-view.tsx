import { useEffect, useRef } from 'react';
import { when } from '../lib/format';
import { customerLabel } from '../lib/labels';
import { webUrl } from '../lib/safe-url';
import type { InteractionDetail, Message } from '../lib/types';

function author(
  message: Message,
  detail: InteractionDetail,
  myId: string,
  agentName?: (agentId: string | null) => string,
): string {
  if (message.direction === 'inbound') return customerLabel(detail.customer);
  if (message.external) return `${detail.account.name ?? 'Our account'} (outside Switchboard)`;
  if (message.agentId === myId) return 'You';
  return agentName ? agentName(message.agentId) : 'Agent';
}

function Delivery({ message }: { message: Message }) {
  if (message.direction !== 'outbound' || message.external || !message.deliveryStatus) return null;
  if (message.deliveryStatus === 'pending') return <span className="delivery pending">Sending…</span>;
  if (message.deliveryStatus === 'sent') return <span className="delivery sent">Sent</span>;
  return (
    <span className="delivery failed" role="alert">
      Not sent: {message.deliveryError?.message ?? 'the platform refused it'}
    </span>
  );
}

/** The whole thread, oldest first, with what happened to each message (edited, deleted, hidden, delivered). */
export function ThreadView({
  detail,
  myId,
  agentName,
}: {
  detail: InteractionDetail;
  myId: string;
  /** Names the agent of an outbound message that is not mine (a supervisor's view); else "Agent". */
  agentName?: (agentId: string | null) => string;
}) {
  const end = useRef<HTMLLIElement>(null);
  const count = detail.messages.length;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [count, detail.id]);
  return (
    <div className="thread" role="log" aria-live="polite" aria-label="Messages">
      <ol className="thread-list">
        {detail.messages.map((message) => (
          <li
            key={message.id}
            className={`message ${message.direction} ${message.visibility}${message.deletedAt ? ' deleted' : ''}`}
          >
            <div className="message-meta">
              <span className="message-author">{author(message, detail, myId, agentName)}</span>
              <span className="message-visibility">{message.visibility === 'public' ? 'public' : 'private'}</span>
              <time dateTime={message.sentAt}>{when(message.sentAt)}</time>
            </div>
            <p className="message-text">{message.text ?? <em>(no text)</em>}</p>
            {message.attachments.length > 0 && (
              <ul className="attachments" aria-label="Attachments">
                {message.attachments.map((attachment, i) => (
                  <li key={i}>
                    {webUrl(attachment.url) ? (
                      <a href={webUrl(attachment.url)!} target="_blank" rel="noopener noreferrer">
                        {attachment.type} attachment
                      </a>
                    ) : (
                      `${attachment.type} attachment`
                    )}
                  </li>
                ))}
              </ul>
            )}
            {message.revisions.length > 0 && (
              <details className="revisions">
                <summary>Edited {message.editedAt ? when(message.editedAt) : ''}: earlier text</summary>
                <ol>
                  {message.revisions.map((revision, i) => (
                    <li key={i}>
                      “{revision.text ?? ''}” <span className="muted">(until {when(revision.replacedAt)})</span>
                    </li>
                  ))}
                </ol>
              </details>
            )}
            {message.deletedAt && <p className="flag">Deleted by the customer {when(message.deletedAt)}</p>}
            {message.hiddenAt && <p className="flag">Hidden on the Page {when(message.hiddenAt)}</p>}
            <Delivery message={message} />
          </li>
        ))}
        <li ref={end} aria-hidden="true" className="thread-end" />
      </ol>
    </div>
  );
}
