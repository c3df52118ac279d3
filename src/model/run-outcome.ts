/**
 * A run's outcome in seed 001's words (§13.2, the apply and status responses): success, counts of
 * completed, failed and pending operations, the failed one, the outputs by node, and the next one
 * a STEP or paused run waits to continue. Pure: computed from the run's `status` query, or, for a
 * run that has just started, from its graph.
 */
import type { ErrorName } from './error-names';
import type { SpecGraph } from './graph-types';
import { isFinished, type NodeState, type NodeStatus, type RunPhase, type RunStatus } from './run-types';

/** One node as seed 001's Schema__Operation__Status names it. */
export interface OperationStatus {
  readonly node_id: string;
  readonly resource_id: string;
  readonly type: string;
  readonly region: string | null;
  readonly status: NodeStatus;
  readonly error: string | null;
  readonly error_type: string | null;
  readonly error_name: ErrorName | null;
}

export interface RunOutcome {
  /** False once the run failed, rolled back or was aborted (or halts waiting for a decision). */
  readonly success: boolean;
  readonly operations_completed: number;
  readonly operations_failed: number;
  /** Operations not finished: pending, running, paused, blocked (undone ones, compensated, count in none). */
  readonly operations_pending: number;
  readonly failed_operation: OperationStatus | null;
  /** `{node_id: outputs}` of every node that has outputs. */
  readonly outputs: Record<string, Record<string, unknown>>;
  /** The operation a paused (or STEP) run waits to continue, if any. */
  readonly next_operation: OperationStatus | null;
}

const UNSUCCESSFUL: ReadonlySet<RunPhase> = new Set<RunPhase>([
  'failed',
  'rolled_back',
  'rollback_failed',
  'aborted',
  'awaiting_decision',
  'rolling_back',
]);
const DONE: ReadonlySet<NodeStatus> = new Set<NodeStatus>(['completed', 'skipped']);
const PENDING: ReadonlySet<NodeStatus> = new Set<NodeStatus>(['pending', 'running', 'paused', 'blocked']);

export const operationStatus = (node: NodeState): OperationStatus => ({
  node_id: node.node_id,
  resource_id: node.resource_id,
  type: node.type,
  region: node.region,
  status: node.status,
  error: node.error,
  error_type: node.error_type,
  error_name: node.error_name,
});

export function runOutcome(run: RunStatus): RunOutcome {
  const byId = new Map(run.nodes.map((node) => [node.node_id, node]));
  const failed = run.nodes.filter((node) => node.status === 'failed');
  const waiting = run.waiting_for?.kind === 'continue' ? run.waiting_for.node_ids : [];
  const next = waiting.map((id) => byId.get(id)).find((node) => node !== undefined);
  return {
    success: !UNSUCCESSFUL.has(run.status),
    operations_completed: run.nodes.filter((node) => DONE.has(node.status)).length,
    operations_failed: failed.length,
    operations_pending: run.nodes.filter((node) => PENDING.has(node.status)).length,
    failed_operation: failed[0] ? operationStatus(failed[0]) : null,
    outputs: Object.fromEntries(run.nodes.flatMap((node) => (node.outputs ? [[node.node_id, node.outputs]] : []))),
    next_operation: next ? operationStatus(next) : null,
  };
}

/** The outcome of a run that has just started: every operation pending. */
export const startedOutcome = (graph: SpecGraph): RunOutcome => ({
  success: true,
  operations_completed: 0,
  operations_failed: 0,
  operations_pending: graph.nodes.length,
  failed_operation: null,
  outputs: {},
  next_operation: null,
});

/** Whether a waiting client has its answer: the run ended, or it waits for an operator. */
export const settled = (phase: RunPhase): boolean =>
  isFinished(phase) || phase === 'paused' || phase === 'awaiting_decision';

/** Seed 001's status fields (§13.2), beside the run's own. */
export const seedStatusFields = (run: RunStatus) => ({
  created_at: run.started_at,
  operations: run.nodes.map(operationStatus),
  spec_graph_ref: { graph_id: run.graph_id, deployment_id: run.deployment_id, version: run.version },
  aws_accounts: [...new Set(run.nodes.flatMap((node) => (node.aws_account === undefined ? [] : [node.aws_account])))],
});
