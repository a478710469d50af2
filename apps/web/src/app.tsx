import { lazy, Suspense, useEffect } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { LoginPage } from './login-page';
import { AgentDesktop } from './desktop/agent-desktop';
import { StatusSelector } from './desktop/status-selector';
import { ConnectionBadge } from './components/connection-badge';
import { hasRole, useSession } from './lib/session';
import type { Me } from './lib/types';

const SupervisorDashboard = lazy(() => import('./supervisor/dashboard'));
const InteractionsPage = lazy(() => import('./supervisor/interactions-page'));
const InteractionPage = lazy(() => import('./supervisor/interaction-page'));
const ReportsPage = lazy(() => import('./supervisor/reports-page'));
const AdminPage = lazy(() => import('./admin/admin-page'));

/** Where a user lands: the desktop for agents, the dashboard for supervisors, configuration for admins. */
function home(me: Me): string {
  if (hasRole(me, 'agent')) return '/desk';
  if (hasRole(me, 'supervisor')) return '/supervisor';
  return '/admin/accounts';
}

function Navigation({ me }: { me: Me }) {
  const [location] = useLocation();
  const links: [string, string, boolean][] = [
    ['/desk', 'My desk', hasRole(me, 'agent')],
    ['/supervisor', 'Dashboard', hasRole(me, 'supervisor', 'admin')],
    ['/supervisor/interactions', 'Interactions', hasRole(me, 'supervisor', 'admin')],
    ['/supervisor/reports', 'Reports', hasRole(me, 'supervisor', 'admin')],
    ['/admin/accounts', 'Configuration', hasRole(me, 'admin')],
  ];
  return (
    <nav aria-label="Main">
      <ul className="nav">
        {links
          .filter(([, , allowed]) => allowed)
          .map(([href, label]) => {
            const current = href === '/supervisor' ? location === href : location.startsWith(href);
            return (
              <li key={href}>
                <Link href={href} aria-current={current ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            );
          })}
      </ul>
    </nav>
  );
}

function Shell({ me }: { me: Me }) {
  const signOut = useSession((s) => s.signOut);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Switchboard</span>
        <Navigation me={me} />
        <div className="topbar-end">
          <ConnectionBadge />
          {hasRole(me, 'agent') && <StatusSelector me={me} />}
          <span className="who" title={me.username}>
            {me.displayName}
          </span>
          <button type="button" className="button subtle" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Switch>
            <Route path="/">{() => <Redirect to={home(me)} replace />}</Route>
            <Route path="/login">{() => <Redirect to={home(me)} replace />}</Route>
            <Route path="/desk">{hasRole(me, 'agent') ? <AgentDesktop me={me} /> : <Forbidden />}</Route>
            <Route path="/supervisor">
              {hasRole(me, 'supervisor', 'admin') ? <SupervisorDashboard /> : <Forbidden />}
            </Route>
            <Route path="/supervisor/interactions">
              {hasRole(me, 'supervisor', 'admin') ? <InteractionsPage /> : <Forbidden />}
            </Route>
            <Route path="/supervisor/interactions/:id">
              {(params) => (hasRole(me, 'supervisor', 'admin') ? <InteractionPage id={params.id} /> : <Forbidden />)}
            </Route>
            <Route path="/supervisor/reports">
              {hasRole(me, 'supervisor', 'admin') ? <ReportsPage /> : <Forbidden />}
            </Route>
            <Route path="/admin/:section">
              {(params) => (hasRole(me, 'admin') ? <AdminPage section={params.section} /> : <Forbidden />)}
            </Route>
            <Route>
              <section className="page">
                <h1>Not found</h1>
                <p>
                  There is no page here. <Link href={home(me)}>Go to your start page</Link>.
                </p>
              </section>
            </Route>
          </Switch>
        </Suspense>
      </main>
    </>
  );
}

function Forbidden() {
  return (
    <section className="page">
      <h1>Not for your role</h1>
      <p>Your account does not have access to this page.</p>
    </section>
  );
}

export function App() {
  const { phase, me, load } = useSession();
  useEffect(() => {
    void load();
  }, [load]);
  if (phase === 'loading') return <p className="loading">Loading…</p>;
  if (phase === 'signedOut' || !me) return <LoginPage />;
  return <Shell me={me} />;
}
