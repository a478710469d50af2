import { webUrl } from '../lib/safe-url';
import { when } from '../lib/format';
import { kindLabel, STATE_LABELS } from '../lib/labels';
import type { InteractionDetail } from '../lib/types';

/** Who the customer is, and what they came about before. */
export function CustomerCard({ detail }: { detail: InteractionDetail }) {
  const customer = detail.customer;
  return (
    <section className="card customer" aria-labelledby="customer-title">
      <h2 id="customer-title">Customer</h2>
      {customer ? (
        <>
          <div className="customer-head">
            {webUrl(customer.avatarUrl) ? (
              <img src={webUrl(customer.avatarUrl)!} alt="" width={48} height={48} className="avatar" />
            ) : (
              <span className="avatar placeholder" aria-hidden="true">
                {(customer.name ?? customer.handle ?? '?').slice(0, 1).toUpperCase()}
              </span>
            )}
            <div>
              <p className="customer-name">{customer.name ?? 'Name not shared'}</p>
              {customer.handle && <p className="muted">@{customer.handle}</p>}
            </div>
          </div>
          <dl className="facts">
            {customer.followers !== null && (
              <>
                <dt>Followers</dt>
                <dd>{customer.followers.toLocaleString()}</dd>
              </>
            )}
            <dt>On</dt>
            <dd>{customer.platform === 'facebook' ? 'Facebook' : 'X'}</dd>
          </dl>
          {webUrl(customer.profileUrl) && (
            <a href={webUrl(customer.profileUrl)!} target="_blank" rel="noopener noreferrer">
              Open profile
            </a>
          )}
        </>
      ) : (
        <p className="muted">Not identified.</p>
      )}
      <h3>Earlier interactions</h3>
      {detail.history.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="history">
          {detail.history.map((earlier) => (
            <li key={earlier.id}>
              <span>{when(earlier.createdAt)}</span> · {kindLabel(earlier.platform, earlier.type)} ·{' '}
              {STATE_LABELS[earlier.state]}
              {earlier.wrapUpCode && <span className="tag">{earlier.wrapUpCode}</span>}
              {earlier.endReason === 'abandoned' && <span className="tag">abandoned</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
