/**
 * The deployment workflow: one execution per run of a deployment; its history is the state.
 *
 * The walk (apply, verify and destroy runs alike; destroy walks the edges backwards):
 *
 *   waiting[n] ← number of predecessors of n not yet completed or skipped
 *   every n with waiting[n] = 0 becomes ready
 *   becomeReady(n): if n must hold (STEP mode, a pause edge into n, a breakpoint, an approval gate)
 *                   and was not released → paused; else → ready queue
 *   loop:
 *     start ready nodes, highest remaining-path priority first, while running < max_parallel
 *       (nothing starts once a failure halted the run, an end edge was reached, or a rollback/abort is due)
 *     node completed → for each successor s: waiting[s]−1; an `end` edge stops new starts;
 *                      waiting[s] = 0 → becomeReady(s)
 *     node failed    → its pending descendants become blocked; on_failure: halt → stop starting,
 *                      rollback → compensate, continue → independent branches go on
 *     quiescent      → failed nodes: wait for retry / skip / rollback / abort (decision timeout → failed)
 *                      paused nodes: wait for continue; else the run is completed (or ended)
 *   rollback: compensate completed nodes once every completed successor is compensated (parallel, LIFO
 *             along each dependency); irreversible effects are reported, not pretended away.
 *   Long runs continue-as-new (after draining in-flight nodes) so history stays within Temporal's limits.
 */
import * as wf from '@temporalio/workflow';
import type { NodeActivities } from '../activities/node-activities';
import type { NodeCall } from '../activities/node-call';
import type { SpecNode } from '../model/graph-types';
import { APPROVAL_TYPE, approvalPropertiesSchema } from '../model/gates';
import { orderGraph } from '../model/order';
import { resolvableReferences, resolveReferences, type OutputsOf } from '../model/references';
import type { DeploymentInput, NodeState, RunPhase, RunStatus, Scheduler } from '../model/run-types';
import { indexGraph, type GraphIndex } from './graph-index';
import * as msg from './messages';
import { ReadyQueue } from './ready-queue';
import { RunState, type CarriedState } from './run-state';
import { deploymentStatusKey } from './search-attributes';

/** Continue-as-new once history holds this many events (Temporal's hard limit is 51,200). */
export const CONTINUE_AS_NEW_EVENTS = 8_000;

const TERMINAL: ReadonlySet<RunPhase> = new Set(['completed', 'failed', 'rolled_back', 'rollback_failed', 'aborted', 'ended']);
const SATISFIED = (node: NodeState): boolean => node.status === 'completed' || node.status === 'skipped';

const acts = wf.proxyActivities<NodeActivities>({ startToCloseTimeout: '10 minutes' });

/**
 * Patch marker: a cancel of the workflow itself (Web UI "Cancel", `temporal workflow cancel`, a
 * cancelled schedule trigger) ends the run as `aborted`, like the abort decision. Histories
 * recorded before it ended as cancelled; without the marker they replay that way.
 */
export const CANCEL_AS_ABORT_PATCH = 'cancel-as-abort';

/**
 * Patch marker: a delete node (`operation: "delete"`) of an apply run resolves its references
 * from this run's outputs or else the last apply's, and never fails on one it cannot resolve
 * (deleting needs what the resource is, not what it was given; in a region move the nodes it
 * referenced are themselves being deleted). Before, such a reference failed the node.
 */
export const LENIENT_DELETE_REFS_PATCH = 'lenient-delete-refs';

/**
 * Patch marker: a dry run hands each node the references that resolve from the last apply's
 * outputs (`previous_outputs`, which the API now sends with a DRY_RUN), as a live plan does, so a
 * deployed resource plans as it really is. Before, a dry run planned without any reference.
 */
export const DRY_RUN_REFS_PATCH = 'dry-run-previous-refs';

export async function deploymentWorkflow(input: DeploymentInput, carried?: CarriedState): Promise<RunStatus> {
  const run = new DeploymentRun(input, carried);
  run.listen();
  try {
    return await run.execute();
  } catch (err) {
    if (!wf.isCancellation(err) || !wf.patched(CANCEL_AS_ABORT_PATCH)) throw err;
    return wf.CancellationScope.nonCancellable(() => run.cancelled());
  }
}

class DeploymentRun {
  private readonly state: RunState;
  private readonly graph: GraphIndex;
  private readonly ready: ReadyQueue;
  private readonly waiting = new Map<string, number>();
  private readonly undo: Map<string, Record<string, unknown> | null>;
  private readonly breakpoints: Set<string>;
  private readonly released: Set<string>;
  private readonly running = new Set<string>();
  private readonly levelOf = new Map<string, number>();
  /** Per level, the nodes not yet completed or skipped (for the `levels` baseline). */
  private readonly openPerLevel: number[] = [];
  private lowestOpenLevel = 0;
  private readonly activityScope = new wf.CancellationScope();
  private readonly runKey: string;
  private endReached: boolean;
  private halted = false;
  /** No new starts: a rollback or a continue-as-new waits for in-flight nodes. */
  private draining = false;
  private rollbackRequested = false;
  private abortReason: string | null = null;
  private decisionSeq = 0;
  private changes = 0;

  constructor(private readonly input: DeploymentInput, carried: CarriedState | undefined) {
    this.state = new RunState(input, carried?.started_at ?? new Date().toISOString(), carried);
    this.graph = indexGraph(input.graph, input.action === 'destroy');
    const order = orderGraph({ nodes: input.graph.nodes, edges: [...this.graph.succs].flatMap(([from, links]) => links.map((l) => ({ from, to: l.id, kind: l.kind }))) });
    order.parallel_groups.forEach((group, level) => {
      for (const id of group) this.levelOf.set(id, level);
      this.openPerLevel.push(group.filter((id) => !SATISFIED(this.state.node(id))).length);
    });
    this.ready = new ReadyQueue(this.rankFor(input.settings.scheduler ?? 'critical_path', order.priority));
    this.undo = new Map(Object.entries(carried?.undo ?? {}));
    this.breakpoints = new Set(carried?.breakpoints ?? []);
    this.released = new Set(carried?.released ?? []);
    this.endReached = carried?.end_reached ?? false;
    this.runKey = carried?.run_key ?? wf.workflowInfo().firstExecutionRunId;
    if (carried) this.state.log('info', `continued as new (#${carried.continued_as_new})`);
  }

  /** Ready-queue rank of a node under each scheduler (higher starts first). */
  private rankFor(scheduler: Scheduler, priority: Readonly<Record<string, number>>): (id: string) => number {
    if (scheduler === 'fifo') {
      let pushed = 0;
      return () => -(pushed += 1);
    }
    if (scheduler === 'levels') return (id) => -(this.levelOf.get(id) ?? 0);
    return (id) => priority[id] ?? 0;
  }

  /** The `levels` baseline: a node may start only once every node of the levels before it is done. */
  private levelBarrierHolds(): boolean {
    if (this.input.settings.scheduler !== 'levels') return false;
    while ((this.openPerLevel[this.lowestOpenLevel] ?? 0) === 0 && this.lowestOpenLevel < this.openPerLevel.length) this.lowestOpenLevel += 1;
    const next = this.ready.peek();
    return next !== undefined && (this.levelOf.get(next) ?? 0) > this.lowestOpenLevel;
  }

  // ── messages ────────────────────────────────────────────────────────────────────────────────

  listen(): void {
    wf.setHandler(msg.statusQuery, () => this.state.status());
    wf.setHandler(msg.logsQuery, (args) => this.state.logsSince(args?.since ?? 0));

    wf.setHandler(msg.continueSignal, (args) => this.viaSignal('continue', () => this.checkContinue(args), () => this.doContinue(args)));
    wf.setHandler(msg.retrySignal, (args) => this.viaSignal('retry', () => this.checkDecision(args), () => this.doRetry(args)));
    wf.setHandler(msg.skipSignal, (args) => this.viaSignal('skip', () => this.checkDecision(args), () => this.doSkip(args)));
    wf.setHandler(msg.rollbackSignal, () => this.viaSignal('rollback', () => this.checkRollback(), () => this.doRollback()));
    wf.setHandler(msg.abortSignal, (args) => this.viaSignal('abort', () => this.checkActive(), () => this.doAbort(args)));

    wf.setHandler(msg.continueUpdate, (args) => this.doContinue(args), { validator: (args: msg.ContinueArgs) => this.checkContinue(args) });
    wf.setHandler(msg.retryUpdate, (args) => this.doRetry(args), { validator: (args: msg.DecisionArgs) => this.checkDecision(args) });
    wf.setHandler(msg.skipUpdate, (args) => this.doSkip(args), { validator: (args: msg.DecisionArgs) => this.checkDecision(args) });
    wf.setHandler(msg.rollbackUpdate, () => this.doRollback(), { validator: () => this.checkRollback() });
    wf.setHandler(msg.abortUpdate, (args) => this.doAbort(args), { validator: (_args: msg.AbortArgs) => this.checkActive() });
    wf.setHandler(msg.pauseBeforeUpdate, (args) => this.doPauseBefore(args), { validator: (args: msg.PauseBeforeArgs) => this.checkPauseBefore(args) });
  }

  /** A signal has no caller to answer, so a request the run cannot take is logged and ignored. */
  private viaSignal(name: string, check: () => void, apply: () => msg.DecisionResult): void {
    try {
      check();
    } catch (err) {
      this.state.log('warn', `signal ${name} ignored: ${(err as Error).message}`);
      return;
    }
    apply();
  }

  private checkActive(): void {
    if (TERMINAL.has(this.state.phase)) throw new Error(`the run has already finished (${this.state.phase})`);
    if (this.abortReason !== null) throw new Error('the run is being aborted');
  }

  private checkContinue(args: msg.ContinueArgs | undefined): void {
    this.checkActive();
    if (args?.node_id !== undefined) {
      const node = this.knownNode(args.node_id);
      if (node.status !== 'paused') throw new Error(`node ${node.resource_id} (${node.node_id}) is ${node.status}, not paused`);
      return;
    }
    if (this.pausedIds(false).length === 0) {
      const gates = this.pausedIds(true).length;
      throw new Error(gates > 0 ? 'only approval gates are waiting: continue them by node_id' : `nothing is paused (the run is ${this.state.phase})`);
    }
  }

  private checkDecision(args: msg.DecisionArgs | undefined): void {
    this.checkActive();
    if (this.rollbackRequested) throw new Error('the run is rolling back');
    const failed = this.state.idsWith('failed');
    if (failed.length === 0) throw new Error(`no node has failed (the run is ${this.state.phase})`);
    for (const id of args?.node_ids ?? []) {
      const node = this.knownNode(id);
      if (node.status !== 'failed') throw new Error(`node ${node.resource_id} (${id}) is ${node.status}, not failed`);
    }
  }

  private checkRollback(): void {
    this.checkActive();
    if (this.input.action !== 'apply' || this.input.settings.mode === 'DRY_RUN') throw new Error(`a ${this.input.settings.mode === 'DRY_RUN' ? 'dry run' : `${this.input.action} run`} has nothing to roll back`);
    if (this.rollbackRequested) throw new Error('the run is already rolling back');
    if (this.pastPointOfNoReturn()) throw new Error('the move has started deleting the old region: a rollback now would leave the deployment in neither region; retry or skip the failed deletes');
  }

  /** A region move past its point of no return: a delete of the old region has started. */
  private pastPointOfNoReturn(): boolean {
    return (this.input.move?.deleted_node_ids ?? []).some((id) => !['pending', 'blocked', 'paused'].includes(this.state.node(id).status));
  }

  private checkPauseBefore(args: msg.PauseBeforeArgs): void {
    this.checkActive();
    const node = this.knownNode(args.node_id);
    if (node.status !== 'pending' && node.status !== 'blocked') throw new Error(`node ${node.resource_id} (${node.node_id}) is ${node.status}: only a node that has not started can get a breakpoint`);
  }

  private knownNode(id: string): NodeState {
    const node = this.state.nodes.get(id);
    if (!node) throw new Error(`no node ${id} in this deployment`);
    return node;
  }

  private doContinue(args: msg.ContinueArgs | undefined): msg.DecisionResult {
    const ids = args?.node_id !== undefined ? [args.node_id] : this.pausedIds(false);
    for (const id of ids) this.release(id, 'continue');
    this.state.log('info', `continue: ${ids.length} node(s) released`);
    return this.accepted('continue', ids);
  }

  private doRetry(args: msg.DecisionArgs | undefined): msg.DecisionResult {
    const ids = args?.node_ids ? [...args.node_ids] : this.state.idsWith('failed');
    for (const id of ids) {
      const node = this.state.node(id);
      Object.assign(node, { status: 'pending', error: null, error_type: null, completed_at: null, duration_seconds: null });
      if ((this.waiting.get(id) ?? 0) === 0) this.becomeReady(id);
    }
    this.afterDecision();
    this.state.log('info', `retry: ${ids.length} node(s)`);
    return this.accepted('retry', ids);
  }

  private doSkip(args: msg.DecisionArgs | undefined): msg.DecisionResult {
    const ids = args?.node_ids ? [...args.node_ids] : this.state.idsWith('failed');
    for (const id of ids) {
      this.state.node(id).status = 'skipped';
      this.satisfied(id);
    }
    this.afterDecision();
    this.state.log('info', `skip: ${ids.length} node(s) skipped; their dependents go on`);
    return this.accepted('skip', ids);
  }

  private doRollback(): msg.DecisionResult {
    this.rollbackRequested = true;
    this.state.log('info', 'rollback requested');
    return this.accepted('rollback', []);
  }

  private doAbort(args: msg.AbortArgs | undefined): msg.DecisionResult {
    this.abortReason = args?.reason ?? 'aborted by operator';
    this.state.log('warn', `abort: ${this.abortReason}`);
    this.activityScope.cancel();
    return this.accepted('abort', [...this.running]);
  }

  /** After a cancel of the workflow: in-flight nodes (already cancelled with it) settle, then the run ends aborted. */
  async cancelled(): Promise<RunStatus> {
    if (this.abortReason === null) this.doAbort({ reason: 'the workflow was cancelled' });
    await wf.condition(() => this.running.size === 0);
    if (!TERMINAL.has(this.state.phase)) this.finish('aborted');
    await wf.condition(wf.allHandlersFinished);
    return this.state.status();
  }

  private doPauseBefore(args: msg.PauseBeforeArgs): msg.DecisionResult {
    this.breakpoints.add(args.node_id);
    this.released.delete(args.node_id);
    this.state.log('info', 'breakpoint added', args.node_id);
    return this.accepted('pause_before', [args.node_id]);
  }

  private accepted(action: string, ids: readonly string[]): msg.DecisionResult {
    this.decisionSeq += 1;
    this.changed();
    return { accepted: true, action, node_ids: ids };
  }

  // ── the walk ────────────────────────────────────────────────────────────────────────────────

  async execute(): Promise<RunStatus> {
    this.initialise();
    for (;;) {
      if (this.abortReason !== null) {
        await wf.condition(() => this.running.size === 0);
        this.finish('aborted');
        break;
      }
      if (this.rollbackRequested) {
        await this.drain();
        await this.rollback();
        break;
      }
      if (this.historyIsLong()) this.draining = true;
      this.startReady();
      if (this.running.size > 0) {
        this.setPhase('running', null);
        await this.nextChange();
        continue;
      }
      if (this.draining) return this.continueAsNew();
      const failed = this.state.idsWith('failed');
      if (failed.length > 0) {
        if (!(await this.awaitDecision(failed))) {
          this.state.log('error', 'no decision before the decision timeout: the run failed');
          this.finish('failed');
          break;
        }
        continue;
      }
      const paused = this.state.idsWith('paused');
      if (paused.length > 0 && !this.endReached) {
        this.setPhase('paused', { kind: 'continue', node_ids: paused, deadline: null });
        await this.nextChange();
        continue;
      }
      this.finish(this.endReached && this.state.idsWith('pending').length + paused.length > 0 ? 'ended' : 'completed');
      break;
    }
    await wf.condition(wf.allHandlersFinished);
    return this.state.status();
  }

  /** Counts unmet predecessors and queues what can start (or resumes a carried run where it was). */
  private initialise(): void {
    for (const [id, preds] of this.graph.preds) {
      this.waiting.set(id, preds.filter((link) => !SATISFIED(this.state.node(link.id))).length);
    }
    for (const [id, node] of this.state.nodes) {
      if (node.status === 'running') node.status = 'pending';
      if (node.status === 'paused') node.status = 'pending';
      if (node.status === 'pending' && this.waiting.get(id) === 0) this.becomeReady(id);
      if (node.status === 'failed') this.block(id);
    }
    this.halted = this.input.settings.on_failure === 'halt' && this.state.idsWith('failed').length > 0;
    this.state.log('info', `${this.input.action} run of ${this.state.nodes.size} node(s), mode ${this.input.settings.mode}, on_failure ${this.input.settings.on_failure}`);
  }

  private mustHold(node: SpecNode): boolean {
    if (this.input.action !== 'apply' || this.input.settings.mode === 'DRY_RUN') return false;
    if (this.released.has(node.node_id)) return false;
    return this.input.settings.mode === 'STEP'
      || node.type === APPROVAL_TYPE
      || this.breakpoints.has(node.node_id)
      || (this.graph.preds.get(node.node_id) ?? []).some((link) => link.kind === 'pause');
  }

  private becomeReady(id: string): void {
    const spec = this.graph.nodes.get(id) as SpecNode;
    if (this.mustHold(spec)) {
      this.state.node(id).status = 'paused';
      this.state.log('info', spec.type === APPROVAL_TYPE ? 'waiting for approval' : 'paused: waiting for continue', id);
      if (spec.type === APPROVAL_TYPE) this.armGate(spec);
      return;
    }
    this.state.node(id).status = 'pending';
    this.ready.push(id);
  }

  private release(id: string, how: 'continue' | 'timeout'): void {
    if (this.state.node(id).status !== 'paused') return;
    this.released.add(id);
    this.gateOutcome.set(id, how);
    this.becomeReady(id);
  }

  private readonly gateOutcome = new Map<string, 'continue' | 'timeout'>();

  /** An approval gate with a timeout: when it passes, fail the node or let it through. */
  private armGate(spec: SpecNode): void {
    const props = approvalPropertiesSchema.safeParse(spec.properties);
    if (!props.success || props.data.timeout === undefined) return;
    const { timeout, on_timeout } = props.data;
    void wf.sleep(timeout).then(() => {
      const node = this.state.node(spec.node_id);
      if (node.status !== 'paused') return;
      if (on_timeout === 'continue') {
        this.state.log('info', `approval timed out after ${timeout} ms: continuing`, spec.node_id);
        this.release(spec.node_id, 'timeout');
      } else {
        Object.assign(node, { status: 'failed', error: `approval not given within ${timeout} ms`, error_type: 'timeout', completed_at: new Date().toISOString() });
        this.state.log('error', node.error as string, spec.node_id);
        this.failed(spec.node_id);
      }
      this.changed();
    });
  }

  private pausedIds(gates: boolean): string[] {
    return this.state.idsWith('paused').filter((id) => (this.graph.nodes.get(id)?.type === APPROVAL_TYPE) === gates);
  }

  private startReady(): void {
    if (this.halted || this.endReached || this.draining || this.abortReason !== null || this.rollbackRequested) return;
    while (this.running.size < this.input.settings.max_parallel && this.ready.size > 0 && !this.levelBarrierHolds()) {
      const id = this.ready.pop() as string;
      if (this.state.node(id).status !== 'pending') continue;
      void this.runNode(id);
    }
  }

  private async runNode(id: string): Promise<void> {
    const spec = this.graph.nodes.get(id) as SpecNode;
    const node = this.state.node(id);
    const startedAt = new Date();
    Object.assign(node, { status: 'running', started_at: startedAt.toISOString(), completed_at: null, duration_seconds: null });
    this.running.add(id);
    this.state.log('info', 'started', id);
    try {
      const refs = this.referencesOf(spec);
      await this.activityScope.run(() => this.perform(spec, node, refs));
      node.status = 'completed';
      this.state.log('info', 'completed', id);
    } catch (err) {
      this.recordFailure(node, err);
    } finally {
      const completedAt = new Date();
      node.completed_at = completedAt.toISOString();
      node.duration_seconds = (completedAt.getTime() - startedAt.getTime()) / 1000;
      this.running.delete(id);
      if (node.status === 'completed') this.satisfied(id);
      else this.failed(id);
      this.changed();
    }
  }

  /**
   * Resolves references from completed nodes' outputs. A dry run plans with those that resolve
   * from the last apply's outputs; verify and destroy runs use that apply's outputs where they have them.
   */
  private referencesOf(spec: SpecNode): Record<string, unknown> {
    const gate = this.gateOutcome.get(spec.node_id);
    const engine = gate ? { $gate: gate } : {};
    const previous = (nodeId: string) => this.input.previous_outputs?.[nodeId];
    // What resolves, without failing on what does not (a plan, a check or a delete needs no more).
    const lenient = (outputsOf: OutputsOf): Record<string, unknown> => ({ ...resolvableReferences(spec, outputsOf), ...engine });
    if (this.input.settings.mode === 'DRY_RUN') return wf.patched(DRY_RUN_REFS_PATCH) ? lenient(previous) : engine;
    if (this.input.action !== 'apply') return lenient(previous);
    if (spec.operation === 'delete' && wf.patched(LENIENT_DELETE_REFS_PATCH)) return lenient((nodeId) => this.state.nodes.get(nodeId)?.outputs ?? previous(nodeId));
    const resolved = resolveReferences(spec, (nodeId) => this.state.nodes.get(nodeId)?.outputs);
    if (!resolved.ok) throw wf.ApplicationFailure.create({ type: 'reference', message: resolved.message, nonRetryable: true });
    return { ...resolved.values, ...engine };
  }

  private async perform(spec: SpecNode, node: NodeState, refs: Record<string, unknown>): Promise<void> {
    const call = this.callFor(spec, node, refs);
    const options = this.activityOptions(spec, this.input.settings.mode === 'DRY_RUN' ? 'plan' : this.input.action);
    if (this.input.action === 'apply' && this.input.settings.mode !== 'DRY_RUN') {
      const applied = await acts.applyNode.executeWithOptions(options, [call]);
      node.outputs = applied.outputs;
      node.attempts = applied.attempt;
      this.undo.set(spec.node_id, applied.undo);
      if (this.input.move?.to_region === spec.region && spec.operation !== 'delete') await this.verifyMoved(spec, node, refs);
    } else if (this.input.action === 'apply') {
      const plan = await acts.planNode.executeWithOptions(options, [call]);
      Object.assign(node, { action: plan.action, drift: [...plan.diff], attempts: node.attempts + 1 });
    } else if (this.input.action === 'verify') {
      const verified = await acts.verifyNode.executeWithOptions(options, [call]);
      Object.assign(node, { action: verified.drift.length > 0 ? 'drifted' : 'in-sync', drift: [...verified.drift], attempts: node.attempts + 1 });
    } else {
      await acts.destroyNode.executeWithOptions(options, [call]);
      Object.assign(node, { action: 'destroyed', attempts: node.attempts + 1 });
    }
  }

  /** A region move checks each node it created in the new region before anything goes on: drift fails the node. */
  private async verifyMoved(spec: SpecNode, node: NodeState, refs: Record<string, unknown>): Promise<void> {
    const verified = await acts.verifyNode.executeWithOptions(this.activityOptions(spec, 'verify'), [this.callFor(spec, node, refs)]);
    node.drift = [...verified.drift];
    if (verified.drift.length === 0) return;
    const what = verified.drift.map((d) => d.property).join(', ');
    throw wf.ApplicationFailure.create({ type: 'drift', message: `created in ${spec.region ?? ''} but verify found drift in: ${what}`, nonRetryable: true });
  }

  private callFor(spec: SpecNode, node: NodeState, refs: Record<string, unknown>): NodeCall {
    return {
      deployment_id: this.input.graph.deployment_id, graph_id: this.input.graph.graph_id, run_key: this.runKey, node: spec, refs,
      credentials: this.input.credentials, attempts_before: node.attempts,
      outputs: node.outputs ?? this.input.previous_outputs?.[spec.node_id] ?? null, undo: this.undo.get(spec.node_id) ?? null,
    };
  }

  private activityOptions(spec: SpecNode, verb: string): wf.ActivityOptions {
    const { retry, node_timeout_ms, heartbeat_timeout_ms } = this.input.settings;
    return {
      startToCloseTimeout: node_timeout_ms,
      heartbeatTimeout: heartbeat_timeout_ms,
      summary: `${verb} ${spec.resource_id} · ${spec.type}${spec.region ? ` · ${spec.region}` : ''}`,
      retry: { maximumAttempts: retry.max_attempts, initialInterval: retry.initial_interval_ms, maximumInterval: retry.max_interval_ms, backoffCoefficient: retry.backoff },
    };
  }

  private recordFailure(node: NodeState, err: unknown): void {
    const cause = err instanceof wf.ActivityFailure ? err.cause : err;
    node.status = 'failed';
    if (wf.isCancellation(err)) {
      Object.assign(node, { error: `cancelled: ${this.abortReason ?? 'run cancelled'}`, error_type: 'cancelled' });
    } else if (cause instanceof wf.ApplicationFailure) {
      const attempt = (cause.details?.[0] as { attempt?: number } | undefined)?.attempt;
      Object.assign(node, { error: cause.message, error_type: cause.type ?? 'error', attempts: attempt ?? node.attempts + 1 });
    } else {
      Object.assign(node, { error: (cause as Error | undefined)?.message ?? String(err), error_type: 'error', attempts: node.attempts + 1 });
    }
    this.state.log('error', `failed (${node.error_type}): ${node.error}`, node.node_id);
  }

  /** A completed or skipped node lets its successors go on. */
  private satisfied(id: string): void {
    const level = this.levelOf.get(id) ?? 0;
    this.openPerLevel[level] = (this.openPerLevel[level] ?? 1) - 1;
    for (const link of this.graph.succs.get(id) ?? []) {
      if (link.kind === 'end' && this.state.node(id).status === 'completed' && !this.endReached) {
        this.endReached = true;
        this.state.log('info', 'end edge reached: no further nodes start in this run', id);
      }
      const left = (this.waiting.get(link.id) ?? 1) - 1;
      this.waiting.set(link.id, left);
      if (left === 0 && this.state.node(link.id).status === 'pending') this.becomeReady(link.id);
    }
  }

  private failed(id: string): void {
    this.block(id);
    if (this.abortReason !== null) return;
    const policy = this.input.settings.on_failure;
    if (policy === 'halt') this.halted = true;
    if (policy !== 'rollback' || this.input.action !== 'apply' || this.input.settings.mode === 'DRY_RUN') return;
    if (this.pastPointOfNoReturn()) {
      this.halted = true;
      this.state.log('warn', 'past the move’s point of no return (the old region is being deleted): waiting for retry, skip or abort instead of rolling back', id);
    } else {
      this.rollbackRequested = true;
    }
  }

  /** Marks every not-started descendant of a failed node as blocked. */
  private block(id: string): void {
    const stack = [id];
    while (stack.length > 0) {
      for (const link of this.graph.succs.get(stack.pop() as string) ?? []) {
        const node = this.state.node(link.id);
        if (node.status === 'pending' || node.status === 'paused') {
          node.status = 'blocked';
          stack.push(link.id);
        }
      }
    }
  }

  /** After retry or skip: unblock everything, then block again below what is still failed. */
  private afterDecision(): void {
    this.halted = false;
    for (const id of this.state.idsWith('blocked')) this.state.node(id).status = 'pending';
    for (const id of this.state.idsWith('failed')) this.block(id);
    for (const id of this.state.idsWith('pending')) {
      if (this.waiting.get(id) === 0 && !this.running.has(id)) this.becomeReady(id);
    }
  }

  private async awaitDecision(failed: string[]): Promise<boolean> {
    const timeout = this.input.settings.decision_timeout_ms;
    const deadline = new Date(new Date().getTime() + timeout).toISOString();
    this.setPhase('awaiting_decision', { kind: 'decision', node_ids: failed, deadline });
    this.state.log('warn', `${failed.length} node(s) failed: waiting for retry, skip, rollback or abort until ${deadline}`);
    const seq = this.decisionSeq;
    return wf.condition(() => this.decisionSeq !== seq, timeout);
  }

  // ── rollback ────────────────────────────────────────────────────────────────────────────────

  private async drain(): Promise<void> {
    this.draining = true;
    await wf.condition(() => this.running.size === 0);
    this.draining = false;
  }

  /**
   * Compensates completed nodes newest-first along every dependency: a node is compensated once
   * each of its completed successors is done compensating. Independent nodes go in parallel.
   */
  private async rollback(): Promise<void> {
    this.setPhase('rolling_back', null);
    const targets = new Set(this.state.idsWith('completed').filter((id) => this.undo.has(id)));
    for (const id of this.state.idsWith('paused')) this.state.node(id).status = 'pending';
    this.state.log('warn', `rolling back ${targets.size} completed node(s)`);
    const blockers = new Map<string, number>();
    for (const id of targets) blockers.set(id, (this.graph.succs.get(id) ?? []).filter((l) => targets.has(l.id)).length);
    const queue = new ReadyQueue(() => 0);
    for (const [id, count] of blockers) if (count === 0) queue.push(id);
    const active = new Set<string>();
    const poisoned = new Set<string>();
    let broken = 0;
    const finished = (id: string, ok: boolean): void => {
      active.delete(id);
      if (!ok) broken += 1;
      for (const link of this.graph.preds.get(id) ?? []) {
        if (!blockers.has(link.id)) continue;
        if (!ok) poisoned.add(link.id);
        const left = (blockers.get(link.id) as number) - 1;
        blockers.set(link.id, left);
        if (left === 0 && !poisoned.has(link.id)) queue.push(link.id);
      }
      this.changed();
    };
    for (;;) {
      while (active.size < this.input.settings.max_parallel && queue.size > 0) {
        const id = queue.pop() as string;
        active.add(id);
        void this.compensate(id).then((ok) => finished(id, ok));
      }
      if (active.size === 0) break;
      await this.nextChange();
    }
    const stranded = [...targets].filter((id) => this.state.node(id).status === 'completed' && this.state.node(id).compensation === null);
    for (const id of stranded) this.state.node(id).compensation = 'not compensated: a dependent could not be compensated';
    this.finish(broken > 0 || stranded.length > 0 ? 'rollback_failed' : 'rolled_back');
  }

  private async compensate(id: string): Promise<boolean> {
    const spec = this.graph.nodes.get(id) as SpecNode;
    const node = this.state.node(id);
    node.status = 'compensating';
    this.state.log('info', 'compensating', id);
    try {
      const result = await acts.compensateNode.executeWithOptions(this.activityOptions(spec, 'compensate'), [this.callFor(spec, node, {})]);
      node.compensation = result.outcome;
      node.status = result.outcome.startsWith('irreversible') ? 'completed' : 'compensated';
      this.state.log(node.status === 'completed' ? 'warn' : 'info', `compensation: ${result.outcome}`, id);
      return true;
    } catch (err) {
      const cause = err instanceof wf.ActivityFailure ? err.cause : err;
      Object.assign(node, { status: 'failed', error: `compensation failed: ${(cause as Error).message}`, error_type: (cause as wf.ApplicationFailure).type ?? 'error', compensation: 'failed' });
      this.state.log('error', node.error as string, id);
      return false;
    }
  }

  // ── bookkeeping ─────────────────────────────────────────────────────────────────────────────

  private changed(): void {
    this.changes += 1;
  }

  private async nextChange(): Promise<void> {
    const seen = this.changes;
    await wf.condition(() => this.changes !== seen || this.abortReason !== null || (this.rollbackRequested && !this.draining && this.state.phase !== 'rolling_back'));
  }

  private setPhase(phase: RunPhase, waitingFor: RunState['waitingFor']): void {
    this.state.waitingFor = waitingFor;
    if (this.state.phase === phase) return;
    this.state.phase = phase;
    wf.upsertSearchAttributes([{ key: deploymentStatusKey, value: phase }]);
  }

  private finish(phase: RunPhase): void {
    this.state.completedAt = new Date().toISOString();
    this.setPhase(phase, null);
    this.state.log(phase === 'completed' || phase === 'rolled_back' ? 'info' : 'warn', `run ${phase}`);
  }

  /** Time to hand over to a fresh run: only while there is still work to start. */
  private historyIsLong(): boolean {
    const info = wf.workflowInfo();
    return (info.continueAsNewSuggested || info.historyLength > CONTINUE_AS_NEW_EVENTS) && this.ready.size > 0;
  }

  private async continueAsNew(): Promise<never> {
    await wf.condition(wf.allHandlersFinished);
    const info = wf.workflowInfo();
    const previous = (info.memo?.['continued_as_new'] as number | undefined) ?? 0;
    wf.upsertMemo({ continued_as_new: previous + 1 });
    return wf.continueAsNew<typeof deploymentWorkflow>(this.input, this.state.carry({
      run_key: this.runKey,
      undo: Object.fromEntries(this.undo),
      breakpoints: [...this.breakpoints],
      released: [...this.released],
      end_reached: this.endReached,
      continued_as_new: previous + 1,
    }));
  }
}
