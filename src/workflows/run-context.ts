/**
 * What the parts of one deployment run share (the walk, the operator decisions, the node calls and
 * the rollback): its input, graph and state, the flags that steer the walk, and the bookkeeping
 * they all use (change counting, the run's phase, its finish).
 */
import * as wf from '@temporalio/workflow';
import type { DeploymentInput, NodeState, RunPhase } from '../model/run-types';
import { indexGraph, type GraphIndex } from './graph-index';
import { CHAINED_APPLY_PATCH } from './patches';
import { RunState, type CarriedState } from './run-state';
import { deploymentStatusKey } from './search-attributes';
import { runDetails } from '../model/run-details';

/** A promise awaited in an async function: resolved a turn after `promise` (before CHAINED_APPLY_PATCH). */
async function awaited(promise: Promise<void>): Promise<void> {
  await promise;
}

export const SATISFIED = (node: NodeState): boolean => node.status === 'completed' || node.status === 'skipped';

export class RunContext {
  readonly state: RunState;
  readonly graph: GraphIndex;
  /** Per node, its predecessors not yet completed or skipped. */
  readonly waiting = new Map<string, number>();
  readonly undo: Map<string, Record<string, unknown> | null>;
  readonly breakpoints: Set<string>;
  readonly released: Set<string>;
  /** Approval gates waiting with a timeout: when it passes (ISO time), by node id; carried across continue-as-new. */
  readonly gateDeadlines: Map<string, string>;
  /** Nodes waiting between looks whose wait an operator's continue may end: what that continue means. */
  readonly overridable = new Map<string, string>();
  /** Of those, the ones a continue has ended the wait of (the next look tells the type so). */
  readonly overridden = new Set<string>();
  /** The wait for a decision under way: which failed nodes it is about, and when it times out (ms). */
  decisionWait: { readonly failed: string; readonly at: number } | null = null;
  readonly running = new Set<string>();
  readonly activityScope = new wf.CancellationScope();
  readonly runKey: string;
  endReached: boolean;
  halted = false;
  /** No new starts: a rollback or a continue-as-new waits for in-flight nodes. */
  draining = false;
  rollbackRequested = false;
  abortReason: string | null = null;
  decisionSeq = 0;
  private changes = 0;

  constructor(
    readonly input: DeploymentInput,
    carried: CarriedState | undefined,
  ) {
    this.state = new RunState(input, carried?.started_at ?? new Date().toISOString(), carried);
    this.graph = indexGraph(input.graph, input.action === 'destroy');
    this.undo = new Map(Object.entries(carried?.undo ?? {}));
    this.breakpoints = new Set(carried?.breakpoints ?? []);
    this.released = new Set(carried?.released ?? []);
    this.gateDeadlines = new Map(Object.entries(carried?.gate_deadlines ?? {}));
    this.endReached = carried?.end_reached ?? false;
    this.runKey = carried?.run_key ?? wf.workflowInfo().firstExecutionRunId;
    if (carried) this.state.log('info', `continued as new (#${carried.continued_as_new})`);
  }

  /** A region move past its point of no return: a delete of the old region has started. */
  pastPointOfNoReturn(): boolean {
    return (this.input.move?.deleted_node_ids ?? []).some(
      (id) => !['pending', 'blocked', 'paused'].includes(this.state.node(id).status),
    );
  }

  // ── bookkeeping ─────────────────────────────────────────────────────────────────────────────

  changed(): void {
    this.changes += 1;
  }

  /**
   * Resolves once something the walk follows has changed (or an abort or a rollback is due). CHAINED_APPLY_PATCH: the
   * condition's own promise, not an async function's around it (two promises fewer a turn of the walk, each paid for
   * in the SDK's promise hook); histories from before it replay with the extra turn they had.
   */
  nextChange(): Promise<void> {
    const seen = this.changes;
    const changed = wf.condition(
      () =>
        this.changes !== seen ||
        this.abortReason !== null ||
        (this.rollbackRequested && !this.draining && this.state.phase !== 'rolling_back'),
    );
    return wf.patched(CHAINED_APPLY_PATCH) ? changed : awaited(changed);
  }

  setPhase(phase: RunPhase, waitingFor: RunState['waitingFor']): void {
    const changed = this.state.phase !== phase;
    // The walk says `running` after every node it starts: nothing to redescribe then.
    if (!changed && waitingFor === null && this.state.waitingFor === null) return;
    this.state.waitingFor = waitingFor;
    this.state.phase = phase;
    this.describe();
    if (changed) wf.upsertSearchAttributes([{ key: deploymentStatusKey, value: phase }]);
  }

  /** A control signal refused: kept in the status, logged, and shown in the Web UI's current details. */
  refused(control: string, reason: string): void {
    this.state.lastRejected = { control, reason, at: new Date().toISOString() };
    this.state.log('warn', `signal ${control} ignored: ${reason}`);
    this.describe();
  }

  /** The run's current details (the Web UI's run page): what it does, waits for, last refused. */
  private describe(): void {
    const { state } = this;
    const failed = state.phase === 'awaiting_decision' ? state.idsWith('failed').map((id) => state.node(id)) : [];
    wf.setCurrentDetails(runDetails(state.phase, state.waitingFor, failed, state.lastRejected));
  }

  finish(phase: RunPhase): void {
    this.state.completedAt = new Date().toISOString();
    this.setPhase(phase, null);
    this.state.log(phase === 'completed' || phase === 'rolled_back' ? 'info' : 'warn', `run ${phase}`);
  }
}
