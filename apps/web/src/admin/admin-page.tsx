import { useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../lib/api';
import { ChannelPreview } from './channel-preview';
import { CrudPage } from './crud';
import { accounts, channels, standardResponses, users, workgroups, wrapUpCodes, type Lookups } from './resources';

const SECTIONS = [
  ['accounts', 'Accounts'],
  ['channels', 'Channels'],
  ['workgroups', 'Workgroups'],
  ['users', 'Users'],
  ['wrapup-codes', 'Wrap-up codes'],
  ['standard-responses', 'Standard responses'],
] as const;

/** Configuration: accounts, channels (with the preview), workgroups, users, wrap-up codes, standard responses. */
export default function AdminPage({ section }: { section: string }) {
  const [lookups, setLookups] = useState<Lookups>({ workgroups: [], accounts: [] });
  useEffect(() => {
    let current = true;
    Promise.all([
      api.get<{ id: string; name: string }[]>('/api/workgroups'),
      api.get<{ id: string; name: string; platform: string }[]>('/api/accounts'),
    ])
      .then(([w, a]) => {
        if (!current) return;
        setLookups({
          workgroups: w.map((x) => ({ value: x.id, label: x.name })),
          accounts: a.map((x) => ({
            value: x.id,
            label: `${x.name} (${x.platform === 'facebook' ? 'Facebook' : 'X'})`,
          })),
        });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [section]);
  const spec = useMemo(() => {
    switch (section) {
      case 'accounts':
        return accounts();
      case 'channels':
        return channels(lookups);
      case 'workgroups':
        return workgroups(lookups);
      case 'users':
        return users(lookups);
      case 'wrapup-codes':
        return wrapUpCodes(lookups);
      case 'standard-responses':
        return standardResponses(lookups);
      default:
        return null;
    }
  }, [section, lookups]);
  return (
    <div className="page admin">
      <nav aria-label="Configuration" className="subnav">
        <ul>
          {SECTIONS.map(([key, label]) => (
            <li key={key}>
              <Link href={`/admin/${key}`} aria-current={key === section ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-body">
        {spec ? (
          <CrudPage
            key={section}
            spec={spec as never}
            aside={section === 'channels' ? () => <ChannelPreview accounts={lookups.accounts} /> : undefined}
          />
        ) : (
          <p>Unknown section.</p>
        )}
      </div>
    </div>
  );
}
