/**
 * Every deployment with its latest run: status, version, when it started and finished, links to
 * the run and its history; searched by text, filtered by status, and refreshed live.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { ErrorNotice } from '../../shell/error-notice';
import { href } from '../../shell/route';
import { useSession } from '../../shell/session';
import { useDeploymentList, type RunSummary } from './use-deployment-list';
import './deployments.css';

const STATUSES = [
  'running',
  'paused',
  'awaiting_decision',
  'rolling_back',
  'completed',
  'failed',
  'rolled_back',
  'rollback_failed',
  'aborted',
  'ended',
  'terminated',
  'timed_out',
  'canceled',
] as const;

const words = (status: string): string => status.replace(/_/g, ' ');
const time = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '—');

function matches(row: RunSummary, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return [row.deployment_id, row.version, row.action, row.mode, row.status, row.run_id].some((field) =>
    field?.toLowerCase().includes(needle),
  );
}

function Row({ row }: { readonly row: RunSummary }): ReactNode {
  return (
    <tr>
      <td>
        <a href={href(['runs', row.deployment_id])}>{row.deployment_id}</a>
      </td>
      <td>
        <span className={`status status-${row.status}`}>{words(row.status)}</span>
      </td>
      <td>{row.version ?? '—'}</td>
      <td>
        {row.action ?? '—'}
        {row.mode && row.mode !== 'FULL' && <span className="muted"> · {row.mode}</span>}
      </td>
      <td>
        <a href={href(['runs', row.deployment_id], { run_id: row.run_id })} className="run-id" title={row.run_id}>
          <span className="visually-hidden">Run </span>…{row.run_id.slice(-8)}
        </a>
      </td>
      <td>{time(row.started_at)}</td>
      <td>{time(row.closed_at)}</td>
      <td>
        <a href={href(['deployments', row.deployment_id, 'history'])}>
          History<span className="visually-hidden"> of {row.deployment_id}</span>
        </a>
      </td>
    </tr>
  );
}

export function DeploymentsPage({ query }: { readonly query: URLSearchParams }): ReactNode {
  const [text, setText] = useState(query.get('q') ?? '');
  const [status, setStatus] = useState(query.get('status') ?? '');
  const { deployments, error, more, loadMore } = useDeploymentList(status);
  const { tenant } = useSession();
  const shown = useMemo(() => deployments?.filter((row) => matches(row, text)), [deployments, text]);

  return (
    <div className="deployments-page">
      <h1>Deployments</h1>
      <p className="muted">
        {tenant ? `Tenant ${tenant}. ` : ''}The latest run of each deployment, refreshed every few seconds.
      </p>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="deployments-search">Search</label>
        <input
          id="deployments-search"
          type="search"
          value={text}
          placeholder="id, version, run…"
          onChange={(e) => setText(e.target.value)}
        />
        <label htmlFor="deployments-status">Status</label>
        <select id="deployments-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {words(s)}
            </option>
          ))}
        </select>
      </form>
      <ErrorNotice error={error} title="Deployments" />
      {shown === undefined ? (
        !error && <p className="muted">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="notice">No deployment{text || status ? ' matches' : ' yet'}.</p>
      ) : (
        <table className="deployments">
          <caption className="visually-hidden">Deployments and their latest run</caption>
          <thead>
            <tr>
              <th scope="col">Deployment</th>
              <th scope="col">Status</th>
              <th scope="col">Version</th>
              <th scope="col">Action</th>
              <th scope="col">Last run</th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
              <th scope="col">
                <span className="visually-hidden">History</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <Row key={row.workflow_id} row={row} />
            ))}
          </tbody>
        </table>
      )}
      {more && (
        <button type="button" onClick={loadMore}>
          More deployments
        </button>
      )}
    </div>
  );
}
