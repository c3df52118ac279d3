/**
 * A deployment's runs, newest first (GET /deploy/history/{id}), a page at a time: version, type
 * (apply, verify, destroy) and mode, status, start, finish and duration, each opening its run.
 */
import { useState, type ReactNode } from 'react';
import { get, q } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';
import { formatTime, runDuration } from '../../shell/format';
import { href } from '../../shell/route';
import type { RunSummary } from '../../shell/run-summary';
import { Table } from '../../shell/table';
import { useApi } from '../../shell/use-api';

const PAGE_SIZE = 20;

interface History {
  readonly runs: readonly RunSummary[];
  readonly runs_total: number;
  readonly next_page_token: string | null;
}

export function HistoryPage({ deploymentId }: { readonly deploymentId: string }): ReactNode {
  /** The page tokens that led here: the last is this page's (undefined for the first page). */
  const [tokens, setTokens] = useState<readonly (string | undefined)[]>([undefined]);
  const token = tokens[tokens.length - 1];
  const { data, error, loading } = useApi(
    () =>
      get<History>(
        `/deploy/history/${q(deploymentId)}?page_size=${PAGE_SIZE}${token ? `&page_token=${q(token)}` : ''}`,
      ),
    [deploymentId, token],
  );
  const first = (tokens.length - 1) * PAGE_SIZE;
  return (
    <div>
      <h1>Runs of {deploymentId}</h1>
      <p className="toolbar">
        <a href={href(['runs', deploymentId])}>Latest run</a>
        <a href={href(['plan'], { deployment: deploymentId })}>Plan a change</a>
      </p>
      <ErrorNotice error={error} title="The history did not load" />
      {loading && <p className="muted">Loading…</p>}
      {data && (
        <>
          <p aria-live="polite">
            {data.runs.length === 0
              ? 'No runs.'
              : `Runs ${first + 1}–${first + data.runs.length} of ${data.runs_total}, newest first.`}
          </p>
          <RunsTable deploymentId={deploymentId} runs={data.runs} />
          <nav className="toolbar" aria-label="History pages">
            <button type="button" disabled={tokens.length === 1} onClick={() => setTokens((t) => t.slice(0, -1))}>
              Newer runs
            </button>
            <button
              type="button"
              disabled={!data.next_page_token}
              onClick={() => data.next_page_token && setTokens((t) => [...t, data.next_page_token ?? undefined])}
            >
              Older runs
            </button>
          </nav>
        </>
      )}
    </div>
  );
}

function RunsTable({
  deploymentId,
  runs,
}: {
  readonly deploymentId: string;
  readonly runs: readonly RunSummary[];
}): ReactNode {
  if (runs.length === 0) return null;
  return (
    <Table
      caption={`Runs of ${deploymentId}`}
      columns={['Run', 'Version', 'Type', 'Status', 'Started', 'Finished', 'Duration']}
    >
      {runs.map((run) => (
        <tr key={run.run_id}>
          <td>
            <a href={href(['runs', deploymentId], { run_id: run.run_id })} title={run.run_id}>
              Run …{run.run_id.slice(-12)}
            </a>
            {run.history_expired && <span className="muted"> (history expired)</span>}
          </td>
          <td>{run.version ?? '—'}</td>
          <td>
            {run.action ?? '—'}
            {run.mode && <span className="muted"> · {run.mode}</span>}
          </td>
          <td>
            <span className={`status status-${run.status}`}>{run.status}</span>
          </td>
          <td>{formatTime(run.started_at)}</td>
          <td>{formatTime(run.closed_at)}</td>
          <td>{runDuration(run.started_at, run.closed_at)}</td>
        </tr>
      ))}
    </Table>
  );
}
