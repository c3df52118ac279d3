/**
 * The shapes the run page reads from GET /deploy/status/{id}, GET /deploy/graph/{id} and
 * GET /deploy/logs/{id} (RunStatus, RunGraph, RunLogs).
 */

export type NodeStatus =
  | 'pending'
  | 'running'
  | 'completed'
  | 'failed'
  | 'blocked'
  | 'skipped'
  | 'paused'
  | 'compensating'
  | 'compensated';

export type EdgeKind = 'dependency' | 'pause' | 'end';

/** `to` waits for `from` (dependency), and then for a continue (pause); end: the run ends after `from`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface RunGraph {
  readonly graph_id: string;
  readonly edges: readonly GraphEdge[];
  /** Node ids that, once completed, the run cannot be rolled back past. */
  readonly points_of_no_return: readonly string[];
}

export interface DriftItem {
  readonly property: string;
  readonly desired: unknown;
  readonly actual: unknown;
}

export interface RunNode {
  readonly node_id: string;
  readonly resource_id: string;
  readonly type: string;
  readonly region: string | null;
  readonly status: NodeStatus;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly duration_seconds: number | null;
  readonly attempts: number;
  readonly outputs: Record<string, unknown> | null;
  readonly error: string | null;
  readonly error_type: string | null;
  readonly error_name: string | null;
  readonly action: string | null;
  readonly drift: readonly DriftItem[] | null;
  readonly compensation: string | null;
  readonly waiting_on: string | null;
}

export type WaitReason = 'approval' | 'pause_edge' | 'breakpoint' | 'step';

export interface NodeWait {
  readonly node_id: string;
  readonly resource_id: string;
  readonly region: string | null;
  readonly reason: WaitReason;
  readonly deadline: string | null;
}

export interface RunStatus {
  readonly deployment_id: string;
  readonly graph_id: string;
  readonly workflow_id: string;
  readonly run_id: string;
  readonly version: string;
  readonly action: string;
  readonly mode: string;
  readonly status: string;
  readonly execution_status: string;
  readonly web_ui_url: string;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly counts: Partial<Record<NodeStatus, number>>;
  readonly waiting_for: {
    readonly kind: 'continue' | 'decision';
    readonly node_ids: readonly string[];
    readonly deadline: string | null;
    readonly waits?: readonly NodeWait[];
  } | null;
  readonly last_rejected?: { readonly control: string; readonly reason: string; readonly at: string } | null;
  readonly nodes: readonly RunNode[];
}

export interface LogEntry {
  readonly at: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly node_id: string | null;
  readonly message: string;
}

/** How people name a node: its resource id, with the region when it has one. */
export const nodeName = (node: { readonly resource_id: string; readonly region: string | null }): string =>
  node.region ? `${node.resource_id}[${node.region}]` : node.resource_id;

export const FINISHED_PHASES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'rolled_back',
  'rollback_failed',
  'aborted',
  'ended',
  'terminated',
  'timed_out',
  'canceled',
]);
