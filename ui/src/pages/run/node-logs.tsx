/** A node's raw log lines (GET /deploy/logs/{id}, the run's entries filtered to the node), re-read when the node changes. */
import type { ReactNode } from 'react';
import { get, q } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';
import { useApi } from '../../shell/use-api';
import type { LogEntry } from '../../../../src/model/run-types';

export function NodeLogs({
  deploymentId,
  runId,
  nodeId,
  version,
}: {
  readonly deploymentId: string;
  readonly runId: string;
  readonly nodeId: string;
  /** Anything that changes when the node does (its status and attempts): the logs are re-read then. */
  readonly version: string;
}): ReactNode {
  const logs = useApi(
    () => get<{ entries: LogEntry[] }>(`/deploy/logs/${q(deploymentId)}?run_id=${q(runId)}`),
    [deploymentId, runId, version],
  );
  const lines = (logs.data?.entries ?? []).filter((entry) => entry.node_id === nodeId);
  return (
    <>
      <ErrorNotice error={logs.error} title="Logs" />
      {lines.length === 0 ? (
        <p className="muted">{logs.loading ? 'Loading…' : 'No log lines.'}</p>
      ) : (
        <pre className="node-logs" tabIndex={0} aria-label="Log lines">
          {lines.map((l) => `${l.at} ${l.level.toUpperCase().padEnd(5)} ${l.message}`).join('\n')}
        </pre>
      )}
    </>
  );
}
