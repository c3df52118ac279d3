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
 *
 * This file holds the workflow function and the walk; the rest of a run is its parts: run-context.ts (shared state,
 * bookkeeping), start-order.ts, node-calls.ts, operator-decisions.ts, rollback.ts, record-reports.ts (what the
 * deployment's record is told), continue-as-new.ts (the hand-over of a long run to a fresh execution) and patches.ts.
 */
import * as wf from '@temporalio/workflow';
import { nodeError } from '../model/error-names';
import type { SpecNode } from '../model/graph-types';
import { APPROVAL_TYPE, gateTimeout } from '../model/gates';
import type { DeploymentInput, NodeState, RunStatus } from '../model/run-types';
import { continueAsNew, historyIsLong } from './continue-as-new';
import { awaitDecision } from './decision-wait';
import { NodeCalls, type GateOutcome, type Hops } from './node-calls';
import { OperatorDecisions, type WalkControl } from './operator-decisions';
import { haltedPastPoint } from './point-of-no-return';
import { waitingForContinue } from './waiting';
import {
  CANCEL_AS_ABORT_PATCH,
  CHAINED_APPLY_PATCH,
  DEPLOYMENT_RECORD_PATCH,
  DIRECT_APPLY_PATCH,
  FEWER_HOPS_PATCH,
} from './patches';
import { RecordReports } from './record-reports';
import { Rollback } from './rollback';
import { RunContext, SATISFIED } from './run-context';
import type { CarriedState } from './run-state';
import { StartOrder } from './start-order';

export async function deploymentWorkflow(input: DeploymentInput, carried?: CarriedState): Promise<RunStatus> {
  const run = new RunContext(input, carried);
  const walk = new DeploymentWalk(run);
  const decisions = new OperatorDecisions(run, walk);
  decisions.listen();
  if (!wf.patched(DEPLOYMENT_RECORD_PATCH)) return runToEnd(walk, decisions);
  return new RecordReports(input).around(carried === undefined ? run.state.status() : null, () =>
    runToEnd(walk, decisions),
  );
}

async function runToEnd(walk: DeploymentWalk, decisions: OperatorDecisions): Promise<RunStatus> {
  try {
    return await walk.execute();
  } catch (err) {
    if (!wf.isCancellation(err) || !wf.patched(CANCEL_AS_ABORT_PATCH)) throw err;
    return wf.CancellationScope.nonCancellable(() => decisions.cancelled());
  }
}

/** The graph walk of one run: it starts ready nodes, follows what completes or fails, and decides when the run ends. */
class DeploymentWalk implements WalkControl {
  private readonly ready: StartOrder;
  private readonly calls: NodeCalls;
  private readonly rollback: Rollback;
  private readonly gateOutcome = new Map<string, GateOutcome>();

  constructor(private readonly run: RunContext) {
    this.ready = new StartOrder(run);
    this.calls = new NodeCalls(run);
    this.rollback = new Rollback(run, this.calls);
  }

  async execute(): Promise<RunStatus> {
    const { run } = this;
    this.initialise();
    for (;;) {
      if (run.abortReason !== null) {
        await wf.condition(() => run.running.size === 0);
        run.finish('aborted');
        break;
      }
      if (run.rollbackRequested) {
        await this.rollback.drain();
        await this.rollback.execute();
        break;
      }
      if (historyIsLong(this.ready.size)) run.draining = true;
      this.startReady();
      if (run.running.size > 0) {
        run.setPhase('running', null);
        await run.nextChange();
        continue;
      }
      if (run.draining) return continueAsNew(run);
      const failed = run.state.idsWith('failed');
      if (failed.length > 0) {
        if (!(await awaitDecision(run, failed))) {
          run.state.log('error', 'no decision before the decision timeout: the run failed');
          run.finish('failed');
          break;
        }
        continue;
      }
      const paused = run.state.idsWith('paused');
      if (paused.length > 0 && !run.endReached) {
        run.setPhase('paused', waitingForContinue(run, paused));
        await run.nextChange();
        continue;
      }
      run.finish(run.endReached && run.state.idsWith('pending').length + paused.length > 0 ? 'ended' : 'completed');
      break;
    }
    await wf.condition(wf.allHandlersFinished);
    return run.state.status();
  }

  /** Counts unmet predecessors and queues what can start (or resumes a carried run where it was). */
  private initialise(): void {
    const { input, state, graph, waiting } = this.run;
    for (const [id, preds] of graph.preds) {
      waiting.set(id, preds.filter((link) => !SATISFIED(state.node(link.id))).length);
    }
    for (const [id, node] of state.nodes) {
      if (node.status === 'running') node.status = 'pending';
      if (node.status === 'paused') node.status = 'pending';
      if (node.status === 'pending' && waiting.get(id) === 0) this.becomeReady(id);
      if (node.status === 'failed') this.block(id);
    }
    this.run.halted = input.settings.on_failure === 'halt' && state.idsWith('failed').length > 0;
    state.log(
      'info',
      `${input.action} run of ${state.nodes.size} node(s), mode ${input.settings.mode}, on_failure ${input.settings.on_failure}`,
    );
  }

  private mustHold(node: SpecNode): boolean {
    const { input } = this.run;
    if (input.action !== 'apply' || input.settings.mode === 'DRY_RUN') return false;
    if (this.run.released.has(node.node_id)) return false;
    return (
      input.settings.mode === 'STEP' ||
      node.type === APPROVAL_TYPE ||
      this.run.breakpoints.has(node.node_id) ||
      (this.run.graph.preds.get(node.node_id) ?? []).some((link) => link.kind === 'pause')
    );
  }

  becomeReady(id: string): void {
    const { state } = this.run;
    const spec = this.run.graph.nodes.get(id) as SpecNode;
    if (this.mustHold(spec)) {
      state.node(id).status = 'paused';
      state.log('info', spec.type === APPROVAL_TYPE ? 'waiting for approval' : 'paused: waiting for continue', id);
      if (spec.type === APPROVAL_TYPE) this.armGate(spec);
      return;
    }
    state.node(id).status = 'pending';
    this.ready.push(id);
  }

  release(id: string, how: GateOutcome): void {
    if (this.run.state.node(id).status !== 'paused') return;
    this.run.released.add(id);
    this.gateOutcome.set(id, how);
    this.becomeReady(id);
  }

  /** An approval gate with a timeout: when it passes, fail the node or let it through. */
  private armGate(spec: SpecNode): void {
    const { state } = this.run;
    const gate = gateTimeout(spec.properties);
    if (!gate) return;
    const { timeout, on_timeout } = gate;
    // A gate held again after a continue-as-new keeps the deadline it had (carried); a new one starts its timeout now.
    const now = new Date().getTime();
    const carried = this.run.gateDeadlines.get(spec.node_id);
    const deadline = carried === undefined ? now + timeout : Date.parse(carried);
    this.run.gateDeadlines.set(spec.node_id, new Date(deadline).toISOString());
    void wf.sleep(Math.max(1, deadline - now)).then(() => {
      this.run.gateDeadlines.delete(spec.node_id);
      const node = state.node(spec.node_id);
      if (node.status !== 'paused') return;
      if (on_timeout === 'continue') {
        state.log('info', `approval timed out after ${timeout} ms: continuing`, spec.node_id);
        this.release(spec.node_id, 'timeout');
      } else {
        Object.assign(node, nodeError(`approval not given within ${timeout} ms`, 'timeout'), {
          status: 'failed',
          completed_at: new Date().toISOString(),
        });
        state.log('error', node.error as string, spec.node_id);
        this.failed(spec.node_id);
      }
      this.run.changed();
    });
  }

  private startReady(): void {
    const { run } = this;
    if (run.halted || run.endReached || run.draining || run.abortReason !== null || run.rollbackRequested) return;
    if (this.ready.size === 0 || run.running.size >= run.input.settings.max_parallel) return;
    if (!wf.patched(FEWER_HOPS_PATCH)) return this.startEach('scope-per-node');
    const hops = !wf.patched(DIRECT_APPLY_PATCH) ? 'fewer' : wf.patched(CHAINED_APPLY_PATCH) ? 'chained' : 'direct';
    // Every node started here runs its activities in the run's activity scope (an abort cancels them).
    void run.activityScope.run(() => Promise.resolve(this.startEach(hops)));
  }

  /** Starts ready nodes up to max_parallel, each awaiting its calls as `hops` says. */
  private startEach(hops: Hops): void {
    while (this.run.running.size < this.run.input.settings.max_parallel) {
      const id = this.ready.next();
      if (id === undefined) return;
      void this.runNode(id, hops);
    }
  }

  /** Starts node `id` and follows its calls to the end: chained (`then`) or awaited as `hops` says. */
  private runNode(id: string, hops: Hops): void {
    const spec = this.run.graph.nodes.get(id) as SpecNode;
    const node = this.run.state.node(id);
    const startedAt = this.begin(id, node);
    if (hops === 'chained') this.chain(spec, node, startedAt);
    else void this.awaitCalls(spec, node, startedAt, hops);
  }

  /**
   * A node's calls followed with `then` (CHAINED_APPLY_PATCH): no promise of an async function, and none the SDK's
   * promise hook makes for each `await`. What settles a node runs in the same turn as when awaited.
   */
  private chain(spec: SpecNode, node: NodeState, startedAt: Date): void {
    const settle = (err: unknown): void => this.end(spec.node_id, node, startedAt, err);
    const follow = (next: Promise<void> | undefined): void => {
      if (next) next.then(() => settle(null), settle);
      else settle(null);
    };
    try {
      const refs = this.calls.referencesOf(spec, this.gateOutcome.get(spec.node_id));
      const direct = this.calls.applyDirectly(spec, node, refs);
      if (!direct) return follow(this.calls.perform(spec, node, refs, true));
      direct.answer.then((first) => {
        try {
          follow(this.calls.settleApply(spec, node, direct, first));
        } catch (err) {
          settle(err);
        }
      }, settle);
    } catch (err) {
      settle(err);
    }
  }

  private async awaitCalls(spec: SpecNode, node: NodeState, startedAt: Date, hops: Hops): Promise<void> {
    let failure: unknown = null;
    try {
      const refs = this.calls.referencesOf(spec, this.gateOutcome.get(spec.node_id));
      const direct = hops === 'direct' ? this.calls.applyDirectly(spec, node, refs) : null;
      if (direct) {
        const rest = this.calls.settleApply(spec, node, direct, await direct.answer);
        if (rest) await rest;
      } else if (hops === 'scope-per-node')
        await this.run.activityScope.run(() => this.calls.perform(spec, node, refs, false));
      else await this.calls.perform(spec, node, refs, true);
    } catch (err) {
      failure = err;
    }
    this.end(spec.node_id, node, startedAt, failure);
  }

  /** A node starts running. */
  private begin(id: string, node: NodeState): Date {
    const startedAt = new Date();
    Object.assign(node, {
      status: 'running',
      started_at: startedAt.toISOString(),
      completed_at: null,
      duration_seconds: null,
    });
    this.run.running.add(id);
    this.run.state.logInRun('info', 'started', id);
    return startedAt;
  }

  /** A node's calls are over: it completed (`failure` null) or failed; what waited on it may go on. */
  private end(id: string, node: NodeState, startedAt: Date, failure: unknown): void {
    if (failure === null) {
      node.status = 'completed';
      this.run.state.logInRun('info', 'completed', id);
    } else this.calls.recordFailure(node, failure);
    const completedAt = new Date();
    node.completed_at = completedAt.toISOString();
    node.duration_seconds = (completedAt.getTime() - startedAt.getTime()) / 1000;
    this.run.running.delete(id);
    this.ready.ended(id);
    if (node.status === 'completed') this.satisfied(id);
    else this.failed(id);
    this.run.changed();
  }

  /** A completed or skipped node lets its successors go on. */
  satisfied(id: string): void {
    const { state, waiting } = this.run;
    this.ready.settled(id);
    for (const link of this.run.graph.succs.get(id) ?? []) {
      if (link.kind === 'end' && state.node(id).status === 'completed' && !this.run.endReached) {
        this.run.endReached = true;
        state.log('info', 'end edge reached: no further nodes start in this run', id);
      }
      const left = (waiting.get(link.id) ?? 1) - 1;
      waiting.set(link.id, left);
      if (left === 0 && state.node(link.id).status === 'pending') this.becomeReady(link.id);
    }
  }

  private failed(id: string): void {
    const { run } = this;
    this.block(id);
    if (run.abortReason !== null || haltedPastPoint(run, this.calls, id)) return;
    const policy = run.input.settings.on_failure;
    if (policy === 'halt') run.halted = true;
    if (policy === 'rollback' && run.input.action === 'apply' && run.input.settings.mode !== 'DRY_RUN')
      run.rollbackRequested = true;
  }

  /** Marks every not-started descendant of a failed node as blocked. */
  private block(id: string): void {
    const stack = [id];
    while (stack.length > 0) {
      for (const link of this.run.graph.succs.get(stack.pop() as string) ?? []) {
        const node = this.run.state.node(link.id);
        if (node.status === 'pending' || node.status === 'paused') {
          node.status = 'blocked';
          stack.push(link.id);
        }
      }
    }
  }

  /** After retry or skip: unblock everything, then block again below what is still failed. */
  afterDecision(): void {
    const { state } = this.run;
    this.run.halted = false;
    for (const id of state.idsWith('blocked')) state.node(id).status = 'pending';
    for (const id of state.idsWith('failed')) this.block(id);
    for (const id of state.idsWith('pending')) {
      if (this.run.waiting.get(id) === 0 && !this.run.running.has(id)) this.becomeReady(id);
    }
  }
}
