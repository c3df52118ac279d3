/** A run's log entries through the workflow's `logs` query (finished runs answer it too while a worker runs). */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { LogEntry } from '../../../src/model/run-types';
import { logsQuery } from '../../../src/workflows/messages';
import type { RunView } from '../../api/helpers/runs';

export const runLogs = (handle: WorkflowHandle): Promise<LogEntry[]> => handle.query(logsQuery, { since: 0 });

/** The resource ids of a run's nodes in the order they completed. */
export async function completionOrder(client: Client, run: RunView): Promise<string[]> {
  const byId = new Map(run.nodes.map((n) => [n.node_id, n.resource_id]));
  return (await runLogs(client.workflow.getHandle(run.workflow_id, run.run_id)))
    .filter((e) => e.message === 'completed' && e.node_id !== null)
    .map((e) => byId.get(e.node_id as string) ?? '');
}
