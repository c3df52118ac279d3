/**
 * A run's live events (GET /deploy/events) applied to the status the page shows, so a node is
 * re-colored as soon as its event arrives rather than at the next re-read of the whole status:
 * node_* carries the node's new status, times, attempts and error; run_status the run's new phase,
 * counts and waits. The re-read still follows (for outputs, durations and the rest).
 */
import type { StreamEvent } from '../../api/events';
import { NODE_STATUSES, type NodeState, type NodeStatus } from '../../../../src/model/run-types';
import type { RunStatus } from './run-types';

type NodeChange = Pick<
  NodeState,
  'node_id' | 'status' | 'attempts' | 'started_at' | 'completed_at' | 'error' | 'error_type' | 'error_name'
>;
type PhaseChange = Pick<RunStatus, 'status' | 'counts' | 'waiting_for'>;

function countsOf(nodes: readonly NodeState[]): Record<NodeStatus, number> {
  const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as Record<NodeStatus, number>;
  for (const node of nodes) counts[node.status] += 1;
  return counts;
}

/** `run` with `event` applied; an event about no node of it, or of another kind, leaves it as it is. */
export function withEvent(run: RunStatus, { event, data }: StreamEvent): RunStatus {
  if (event === 'run_status') {
    const { status, counts, waiting_for } = data as PhaseChange;
    return { ...run, status, counts, waiting_for };
  }
  if (!event.startsWith('node_')) return run;
  const change = data as NodeChange;
  const at = run.nodes.findIndex((node) => node.node_id === change.node_id);
  const node = run.nodes[at];
  if (!node) return run;
  const nodes = run.nodes.slice();
  nodes[at] = {
    ...node,
    status: change.status,
    attempts: change.attempts,
    started_at: change.started_at,
    completed_at: change.completed_at,
    error: change.error,
    error_type: change.error_type,
    error_name: change.error_name,
  };
  return { ...run, nodes, counts: countsOf(nodes) };
}
