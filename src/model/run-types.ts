/**
 * Run settings and execution state (seed 001 §6.2): the workflow holds these, queries return them,
 * the API shapes them into responses. Pure data.
 */
import type { ErrorName, ErrorRateLimit } from './error-names';
import type { SpecEdge, SpecGraph } from './graph-types';

export type RunMode = 'FULL' | 'STEP' | 'DRY_RUN';
export type FailurePolicy = 'halt' | 'rollback' | 'continue';
/** What a run does to each node: apply it, check it for drift, or delete it (reverse order). */
export type RunAction = 'apply' | 'verify' | 'destroy';

/**
 * Which ready node gets a free slot: `critical_path` (longest remaining path first, the default),
 * or the baselines the benchmark compares it with: `fifo` (ready order, Terraform's walk) and
 * `levels` (level by level, each level waiting for the previous one to finish).
 */
export type Scheduler = 'critical_path' | 'fifo' | 'levels';

export interface RetrySettings {
  readonly max_attempts: number;
  readonly initial_interval_ms: number;
  readonly max_interval_ms: number;
  readonly backoff: number;
}

export interface RunSettings {
  readonly max_parallel: number;
  readonly on_failure: FailurePolicy;
  readonly mode: RunMode;
  readonly retry: RetrySettings;
  /** start-to-close of one node's activity. */
  readonly node_timeout_ms: number;
  /** Longer start-to-close of the nodes (by id) whose type needs it, when the config set no node_timeout. */
  readonly node_timeouts_ms?: Readonly<Record<string, number>> | undefined;
  /** A node whose worker stops heartbeating for this long is retried elsewhere. */
  readonly heartbeat_timeout_ms: number;
  /** How long a halted run waits for retry/skip/rollback/abort before it ends as failed. */
  readonly decision_timeout_ms: number;
  readonly scheduler?: Scheduler | undefined;
  /**
   * The types whose apply reads its undo first, in an activity of its own (`prepare`), so the
   * workflow's history holds it before the first change; set by the API from the registry. Absent:
   * none (runs started before it existed replay as they ran).
   */
  readonly reads_before_change?: readonly string[] | undefined;
  /** Nodes in flight at once per provider or per type (settings.limits); absent: only max_parallel bounds them. */
  readonly limits?: Readonly<Record<string, number>> | undefined;
  /** Where a run that needs a person says so (a failure past a point of no return); absent: only its log and status. */
  readonly alerts?: { readonly slack: { readonly channel: string | null } } | undefined;
}

/** A node's status (the one list: the API's schemas, the counts and the Web UI derive from it). */
export const NODE_STATUSES = [
  'pending',
  'running',
  'completed',
  'failed',
  'blocked',
  'skipped',
  'paused',
  'compensating',
  'compensated',
] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** Phases in which a run is still at work (its workflow is open). */
export const ACTIVE_PHASES = ['running', 'paused', 'awaiting_decision', 'rolling_back'] as const;
/** Phases a run ends in; once in one, nothing changes it. */
export const FINISHED_PHASES = ['completed', 'failed', 'rolled_back', 'rollback_failed', 'aborted', 'ended'] as const;
/** Every phase of a run, active first. */
export const RUN_PHASES = [...ACTIVE_PHASES, ...FINISHED_PHASES] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

const FINISHED: ReadonlySet<string> = new Set(FINISHED_PHASES);
/** Whether a run in this phase has finished. */
export const isFinished = (phase: string): boolean => FINISHED.has(phase);

/** Sealed (ciphertext) credentials exactly as the client sent them; only activities open them. */
export interface SealedCredentials {
  readonly aws?:
    | {
        readonly access_key_id: string;
        readonly encrypted_secret_access_key: string;
        readonly encrypted_session_token?: string | null;
        readonly region?: string;
        /** The account the credentials must act in: anything else is refused before any call (resources/aws/session.ts). */
        readonly account_id?: string;
      }
    | undefined;
  readonly github?: { readonly encrypted_pat: string } | undefined;
  readonly slack?: { readonly encrypted_webhook_url?: string; readonly encrypted_bot_token?: string } | undefined;
}

export interface DeploymentInput {
  readonly action: RunAction;
  readonly graph: SpecGraph;
  readonly settings: RunSettings;
  readonly credentials: SealedCredentials | null;
  /** Owner of the run when the API runs with API keys; stored as a search attribute. */
  readonly tenant: string | null;
  /**
   * Outputs of the deployment's last apply, by node id (verify and destroy runs): a node's
   * operation gets them as its outputs, and references resolve against them.
   */
  readonly previous_outputs?: Readonly<Record<string, Record<string, unknown>>> | undefined;
  /** Set on a region move's apply run (see src/model/move-graph.ts). */
  readonly move?: MoveSpec | undefined;
}

/**
 * A region move: the graph holds the deployment with `from_region` replaced by `to_region`, and the
 * old region's nodes as delete nodes (`deleted_node_ids`) that run after everything else. Each
 * node created in `to_region` is verified right after its apply; drift fails it. Once a delete has
 * started, a failure no longer rolls back (that would leave neither region): the run halts.
 */
export interface MoveSpec {
  readonly from_region: string;
  readonly to_region: string;
  readonly deleted_node_ids: readonly string[];
}

export interface DriftItem {
  readonly property: string;
  readonly desired: unknown;
  readonly actual: unknown;
}

export interface NodeState {
  readonly node_id: string;
  readonly resource_id: string;
  readonly type: string;
  readonly region: string | null;
  status: NodeStatus;
  started_at: string | null;
  completed_at: string | null;
  duration_seconds: number | null;
  attempts: number;
  outputs: Record<string, unknown> | null;
  error: string | null;
  error_type: string | null;
  /** Seed 003's name for error_type (error-names.ts); null while the node has no error. */
  error_name: ErrorName | null;
  /** Only when error_name is rate_limited: the calls left and when the limit resets. */
  error_rate_limit: ErrorRateLimit | null;
  /** Plan result (DRY_RUN), drift report (verify), or compensation outcome, when there is one. */
  action: string | null;
  drift: DriftItem[] | null;
  compensation: string | null;
  /** While a running node's apply waits on a durable timer: what for, in words (its type's own); else null. */
  waiting_on: string | null;
  /** The AWS account an AWS node's apply acted in (STS's answer); absent for other types and before the apply. */
  aws_account?: string | undefined;
}

/** Why a paused node waits for a continue. */
export type WaitReason = 'approval' | 'pause_edge' | 'breakpoint' | 'step';

/** One node a paused run waits on, named as the config names it. */
export interface NodeWait {
  readonly node_id: string;
  readonly resource_id: string;
  readonly region: string | null;
  readonly reason: WaitReason;
  /** An approval gate's timeout, as an ISO time; null when it has none (other reasons never time out). */
  readonly deadline: string | null;
}

export interface WaitingFor {
  /** `continue`: paused nodes or approval gates; `decision`: a halted run waits for retry/skip/rollback/abort. */
  readonly kind: 'continue' | 'decision';
  readonly node_ids: readonly string[];
  /** ISO time at which the wait times out, if it does (for `continue`, the earliest gate's). */
  readonly deadline: string | null;
  /** For `continue`: each paused node, why it waits and until when (absent in runs recorded before it). */
  readonly waits?: readonly NodeWait[] | undefined;
}

/** A control signal the run refused (signals have no caller to answer): which, why, when. */
export interface RejectedControl {
  readonly control: string;
  readonly reason: string;
  readonly at: string;
}

export interface RunStatus {
  readonly deployment_id: string;
  readonly graph_id: string;
  readonly version: string;
  readonly action: RunAction;
  readonly mode: RunMode;
  readonly status: RunPhase;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly counts: Readonly<Record<NodeStatus, number>>;
  readonly waiting_for: WaitingFor | null;
  /** The last control signal the run refused, and why (absent in runs recorded before it). */
  readonly last_rejected?: RejectedControl | null | undefined;
  readonly nodes: readonly NodeState[];
}

/** A run's graph as the workflow walks it: its edges and the nodes past which there is no undo (run-graph.ts). */
export interface RunGraph {
  readonly graph_id: string;
  readonly edges: readonly SpecEdge[];
  /** Node ids the config marks `point_of_no_return`. */
  readonly points_of_no_return: readonly string[];
}

export interface LogEntry {
  readonly at: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly node_id: string | null;
  /** The node as the config names it: resource id, `resource[region]` when regional (absent in older entries). */
  readonly resource?: string | null | undefined;
  readonly message: string;
}
