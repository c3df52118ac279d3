/**
 * Events of a run, from two successive states: a node that changed status (node_started,
 * node_completed, node_failed, node_paused, node_<status> for the others), the run's phase
 * changing (run_status), and the run ending (run_finished).
 */
import { isFinished, type NodeState, type NodeStatus, type RunStatus } from '../../model/run-types';

export interface RunEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

const NODE_EVENT: Partial<Record<NodeStatus, string>> = {
  running: 'node_started',
  completed: 'node_completed',
  failed: 'node_failed',
  paused: 'node_paused',
};

const nodeEvent = (node: NodeState): RunEvent => ({
  event: NODE_EVENT[node.status] ?? `node_${node.status}`,
  data: {
    node_id: node.node_id,
    resource_id: node.resource_id,
    type: node.type,
    region: node.region,
    status: node.status,
    attempts: node.attempts,
    started_at: node.started_at,
    completed_at: node.completed_at,
    error: node.error,
    error_type: node.error_type,
    error_name: node.error_name,
  },
});

/** What happened between `before` (null: nothing seen yet, so only non-pending nodes are news) and `after`. */
export function runEvents(before: RunStatus | null, after: RunStatus): RunEvent[] {
  const seen = new Map((before?.nodes ?? []).map((node) => [node.node_id, node.status]));
  const events = after.nodes.filter((node) => (seen.get(node.node_id) ?? 'pending') !== node.status).map(nodeEvent);
  if (before?.status !== after.status) {
    const phase = { status: after.status, counts: after.counts, waiting_for: after.waiting_for };
    events.push({ event: isFinished(after.status) ? 'run_finished' : 'run_status', data: phase });
  }
  return events;
}
