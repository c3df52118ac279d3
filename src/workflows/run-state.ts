/**
 * The execution state of one run (seed 001 §6.2): a record per node plus a bounded log. It is what
 * the `status` and `logs` queries return and what continue-as-new carries to the next run. A log
 * entry also goes to the worker's log (workflow.log: not again when a history is replayed, and no
 * command, so histories replay unchanged), naming the deployment and the node's resource; but for a
 * node's start and completion, which the worker's log has from the node's activities.
 */
import * as wf from '@temporalio/workflow';
import { NO_ERROR } from '../model/error-names';
import { nodeLabel } from '../model/node-names';
import type { SpecGraph } from '../model/graph-types';
import {
  NODE_STATUSES,
  type DeploymentInput,
  type LogEntry,
  type NodeState,
  type NodeStatus,
  type RejectedControl,
  type RunPhase,
  type RunStatus,
  type WaitingFor,
} from '../model/run-types';

/** Log entries kept in memory, at least (older ones are dropped in batches; `logs` takes absolute indexes). */
const LOG_LIMIT = 2_000;

/** What a run hands to its continuation: the node records that are not fresh, and the log tail. */
export interface CarriedState {
  readonly started_at: string;
  readonly run_key: string;
  readonly nodes: readonly NodeState[];
  readonly undo: Readonly<Record<string, Record<string, unknown> | null>>;
  readonly breakpoints: readonly string[];
  readonly released: readonly string[];
  /** Approval gates' deadlines (ISO), so a gate held again after the hand-over keeps its own (absent before they were carried). */
  readonly gate_deadlines?: Readonly<Record<string, string>>;
  readonly end_reached: boolean;
  readonly logs: readonly LogEntry[];
  readonly log_offset: number;
  readonly continued_as_new: number;
}

export function freshNode(node: SpecGraph['nodes'][number]): NodeState {
  return {
    node_id: node.node_id,
    resource_id: node.resource_id,
    type: node.type,
    region: node.region,
    status: 'pending',
    started_at: null,
    completed_at: null,
    duration_seconds: null,
    attempts: 0,
    outputs: null,
    ...NO_ERROR,
    action: null,
    drift: null,
    compensation: null,
    waiting_on: null,
  };
}

export class RunState {
  readonly nodes = new Map<string, NodeState>();
  phase: RunPhase = 'running';
  completedAt: string | null = null;
  waitingFor: WaitingFor | null = null;
  lastRejected: RejectedControl | null = null;
  private logs: LogEntry[];
  private logOffset: number;

  constructor(
    private readonly input: DeploymentInput,
    readonly startedAt: string,
    carried: CarriedState | undefined,
  ) {
    const carriedNodes = new Map((carried?.nodes ?? []).map((node) => [node.node_id, node]));
    // Spread over a fresh record: a node carried by an older version lacks the fields added since.
    for (const node of input.graph.nodes)
      this.nodes.set(node.node_id, { ...freshNode(node), ...carriedNodes.get(node.node_id) });
    this.logs = [...(carried?.logs ?? [])];
    this.logOffset = carried?.log_offset ?? 0;
  }

  node(id: string): NodeState {
    const state = this.nodes.get(id);
    if (!state) throw new Error(`unknown node ${id}`);
    return state;
  }

  /** An entry in the run's log, and a line in the worker's. */
  log(level: LogEntry['level'], message: string, nodeId: string | null = null): void {
    const resource = this.logInRun(level, message, nodeId);
    wf.log[level](message, {
      deployment_id: this.input.graph.deployment_id,
      ...(this.input.tenant ? { tenant: this.input.tenant } : {}),
      ...(nodeId === null ? {} : { node_id: nodeId, resource }),
    });
  }

  /**
   * An entry in the run's log only (a node's `started` and `completed`): the worker's log has the node's
   * activities' own lines (src/activities/node-log.ts). Returns the node's resource label, for `log`.
   */
  logInRun(level: LogEntry['level'], message: string, nodeId: string | null = null): string | null {
    const node = nodeId === null ? undefined : this.nodes.get(nodeId);
    const resource = node ? nodeLabel(node) : null;
    this.logs.push({ at: new Date().toISOString(), level, node_id: nodeId, resource, message });
    if (this.logs.length >= 2 * LOG_LIMIT) {
      // trimmed in batches: a busy 10,000-node run logs on every start and completion
      const drop = this.logs.length - LOG_LIMIT;
      this.logs.splice(0, drop);
      this.logOffset += drop;
    }
    return resource;
  }

  /** Entries from absolute index `since` on. */
  logsSince(since = 0): LogEntry[] {
    return this.logs.slice(Math.max(0, since - this.logOffset));
  }

  idsWith(status: NodeStatus): string[] {
    const ids: string[] = [];
    for (const [id, node] of this.nodes) if (node.status === status) ids.push(id);
    return ids;
  }

  counts(): Record<NodeStatus, number> {
    const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as Record<NodeStatus, number>;
    for (const node of this.nodes.values()) counts[node.status] += 1;
    return counts;
  }

  status(): RunStatus {
    const { graph, action, settings } = this.input;
    return {
      deployment_id: graph.deployment_id,
      graph_id: graph.graph_id,
      version: graph.version,
      action,
      mode: settings.mode,
      status: this.phase,
      started_at: this.startedAt,
      completed_at: this.completedAt,
      counts: this.counts(),
      waiting_for: this.waitingFor,
      last_rejected: this.lastRejected,
      nodes: [...this.nodes.values()],
    };
  }

  carry(extra: Omit<CarriedState, 'started_at' | 'nodes' | 'logs' | 'log_offset'>): CarriedState {
    const touched = [...this.nodes.values()].filter((node) => node.status !== 'pending' || node.attempts > 0);
    const tail = this.logs.slice(-200);
    return {
      ...extra,
      started_at: this.startedAt,
      nodes: touched,
      logs: tail,
      log_offset: this.logOffset + this.logs.length - tail.length,
    };
  }
}
