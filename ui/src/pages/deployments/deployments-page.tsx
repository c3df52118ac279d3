/**
 * Every deployment with its latest run: status, version, when it started and finished, links to
 * the run and its history; searched by text, filtered by status, and refreshed live.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { RUN_PHASES } from '../../../../src/model/run-types';
import { ErrorNotice } from '../../shell/error-notice';
import { formatTime, words } from '../../shell/format';
import { href } from '../../shell/route';
import type { RunSummary } from '../../shell/run-summary';
import { useSession } from '../../shell/session';
import { Table } from '../../shell/table';
import { useDeploymentList } from './use-deployment-list';
import './deployments.css';

/** Every status the list filters by: a run's phases, and how Temporal ends a run itself. */
const STATUSES = [...RUN_PHASES, 'terminated', 'timed_out', 'canceled'] as const;

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
      <td>{formatTime(row.started_at)}</td>
      <td>{formatTime(row.closed_at)}</td>
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
        <Table
          className="deployments"
          caption="Deployments and their latest run"
          columns={[
            'Deployment',
            'Status',
            'Version',
            'Action',
            'Last run',
            'Started',
            'Finished',
            <span className="visually-hidden">History</span>,
          ]}
        >
          {shown.map((row) => (
            <Row key={row.workflow_id} row={row} />
          ))}
        </Table>
      )}
      {more && (
        <button type="button" onClick={loadMore}>
          More deployments
        </button>
      )}
    </div>
  );
}
