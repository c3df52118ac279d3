/** The tenant's step packages (GET /packages): each one's versions, workers, log and controls. */
import type { ReactNode } from 'react';
import { get } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';
import { useSession } from '../../shell/session';
import { useApi } from '../../shell/use-api';
import { PackageCard } from './package-card';
import type { PackageSummary } from './package-types';
import './packages.css';

export function PackagesPage(): ReactNode {
  const session = useSession();
  const { data, error, loading, reload } = useApi(() => get<{ packages: PackageSummary[] }>('/packages'), []);
  return (
    <div>
      <h1>Step packages</h1>
      <p className="muted">
        Your own resource types, in TypeScript. Deploy one with{' '}
        <code>deployctl package deploy &lt;name&gt; &lt;folder&gt;</code> or{' '}
        <code>POST /packages/&#123;name&#125;/deploy</code>.
      </p>
      <div className="toolbar">
        <button type="button" onClick={reload} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
        {!session.can('admin') && <span className="muted">Rolling back and undeploying need an admin key.</span>}
      </div>
      <ErrorNotice error={error} title="The packages did not load" />
      {data?.packages.length === 0 && <p>No packages yet.</p>}
      <div className="packages">
        {data?.packages.map((summary) => (
          <PackageCard key={summary.name} name={summary.name} onChanged={reload} />
        ))}
      </div>
    </div>
  );
}
