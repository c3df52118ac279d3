/** The dashboard's frame: the navigation, who is signed in, and the view the location names. */
import type { ReactNode } from 'react';
import { DeploymentsPage } from './pages/deployments/deployments-page';
import { HistoryPage } from './pages/history/history-page';
import { PackagesPage } from './pages/packages/packages-page';
import { PlanPage } from './pages/plan/plan-page';
import { RunPage } from './pages/run/run-page';
import { SchedulesPage } from './pages/schedules/schedules-page';
import { TemplateFormPage } from './pages/templates/template-form-page';
import { TemplatesPage } from './pages/templates/templates-page';
import { href, useRoute, type Route } from './shell/route';
import { SessionGate, useSession } from './shell/session';

const SECTIONS = [
  { label: 'Deployments', segment: 'deployments' },
  { label: 'Plan & apply', segment: 'plan' },
  { label: 'Templates', segment: 'templates' },
  { label: 'Schedules', segment: 'schedules' },
  { label: 'Packages', segment: 'packages' },
] as const;

function view({ segments, query }: Route): ReactNode {
  const [section = 'deployments', id, sub] = segments;
  switch (section) {
    case 'deployments':
      return id && sub === 'history' ? <HistoryPage deploymentId={id} /> : <DeploymentsPage query={query} />;
    case 'runs':
      return id ? <RunPage id={id} runId={query.get('run_id') ?? undefined} /> : <DeploymentsPage query={query} />;
    case 'plan':
      return <PlanPage query={query} />;
    case 'templates':
      return id ? <TemplateFormPage id={id} query={query} /> : <TemplatesPage />;
    case 'schedules':
      return <SchedulesPage />;
    case 'packages':
      return <PackagesPage />;
    default:
      return <p role="alert">No page {segments.join('/')}.</p>;
  }
}

function Header({ active }: { readonly active: string }): ReactNode {
  const session = useSession();
  return (
    <header className="top">
      <a className="brand" href={href(['deployments'])}>
        Deployments
      </a>
      <nav aria-label="Sections">
        <ul>
          {SECTIONS.map(({ label, segment }) => (
            <li key={segment}>
              <a href={href([segment])} aria-current={active === segment ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="who">
        <span>
          {session.tenant ?? 'local operator'} · {session.role}
        </span>
        {session.tenant !== null && (
          <button type="button" className="link" onClick={session.signOut}>
            Sign out
          </button>
        )}
      </div>
    </header>
  );
}

export function App(): ReactNode {
  const route = useRoute();
  const section = route.segments[0] === 'runs' ? 'deployments' : (route.segments[0] ?? 'deployments');
  return (
    <SessionGate>
      <Header active={section} />
      <main id="main">{view(route)}</main>
    </SessionGate>
  );
}
