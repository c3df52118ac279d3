/**
 * The operator's say in a run: the queries, the decision signals and updates (continue, retry,
 * skip, rollback, abort, pause_before) with the validators that refuse what the run cannot take
 * now, the wait for a decision on failed nodes, and the end of a cancelled run.
 */
import * as wf from '@temporalio/workflow';
import { NO_ERROR } from '../model/error-names';
import { APPROVAL_TYPE } from '../model/gates';
import { namesInLine, nodeLabel, resolveNodeName } from '../model/node-names';
import { isFinished, type NodeState, type RunStatus } from '../model/run-types';
import * as msg from './messages';
import { NODE_NAMES_PATCH } from './patches';
import type { RunContext } from './run-context';

/** What the decisions ask of the walk. */
export interface WalkControl {
  becomeReady(id: string): void;
  release(id: string, how: 'continue'): void;
  /** A completed or skipped node lets its successors go on. */
  satisfied(id: string): void;
  /** After retry or skip: unblock everything, then block again below what is still failed. */
  afterDecision(): void;
}

export class OperatorDecisions {
  constructor(
    private readonly run: RunContext,
    private readonly walk: WalkControl,
  ) {}

  listen(): void {
    wf.setHandler(msg.statusQuery, () => this.run.state.status());
    wf.setHandler(msg.logsQuery, (args) => this.run.state.logsSince(args?.since ?? 0));

    wf.setHandler(msg.continueSignal, (args) =>
      this.viaSignal(
        'continue',
        (names) => this.continueArgs(args, names),
        (named) => this.checkContinue(named),
        (named) => this.doContinue(named),
      ),
    );
    wf.setHandler(msg.retrySignal, (args) =>
      this.viaSignal(
        'retry',
        (names) => this.decisionArgs(args, names),
        (named) => this.checkDecision(named),
        (named) => this.doRetry(named),
      ),
    );
    wf.setHandler(msg.skipSignal, (args) =>
      this.viaSignal(
        'skip',
        (names) => this.decisionArgs(args, names),
        (named) => this.checkDecision(named),
        (named) => this.doSkip(named),
      ),
    );
    wf.setHandler(msg.rollbackSignal, () =>
      this.viaSignal(
        'rollback',
        () => undefined,
        () => this.checkRollback(),
        () => this.doRollback(),
      ),
    );
    wf.setHandler(msg.abortSignal, (args) =>
      this.viaSignal(
        'abort',
        () => args,
        () => this.checkActive(),
        () => this.doAbort(args),
      ),
    );

    // Updates a validator refuses leave no trace in history, so names are taken in every run.
    wf.setHandler(msg.continueUpdate, (args) => this.doContinue(this.continueArgs(args, true)), {
      validator: (args: msg.ContinueArgs) => this.checkContinue(this.continueArgs(args, true)),
    });
    wf.setHandler(msg.retryUpdate, (args) => this.doRetry(this.decisionArgs(args, true)), {
      validator: (args: msg.DecisionArgs) => this.checkDecision(this.decisionArgs(args, true)),
    });
    wf.setHandler(msg.skipUpdate, (args) => this.doSkip(this.decisionArgs(args, true)), {
      validator: (args: msg.DecisionArgs) => this.checkDecision(this.decisionArgs(args, true)),
    });
    wf.setHandler(msg.rollbackUpdate, () => this.doRollback(), { validator: () => this.checkRollback() });
    wf.setHandler(msg.abortUpdate, (args) => this.doAbort(args), {
      validator: (_args: msg.AbortArgs) => this.checkActive(),
    });
    wf.setHandler(msg.pauseBeforeUpdate, (args) => this.doPauseBefore({ node_id: this.idOf(args.node_id, true) }), {
      validator: (args: msg.PauseBeforeArgs) => this.checkPauseBefore({ node_id: this.idOf(args.node_id, true) }),
    });
  }

  /** After a cancel of the workflow: in-flight nodes (already cancelled with it) settle, then the run ends aborted. */
  async cancelled(): Promise<RunStatus> {
    if (this.run.abortReason === null) this.doAbort({ reason: 'the workflow was cancelled' });
    await wf.condition(() => this.run.running.size === 0);
    if (!isFinished(this.run.state.phase)) this.run.finish('aborted');
    await wf.condition(wf.allHandlersFinished);
    return this.run.state.status();
  }

  /**
   * A signal has no caller to answer, so a request the run cannot take is logged and ignored.
   * Signals name nodes by resource id too, except in runs that ignored such a signal before names
   * were taken (their histories replay that way: NODE_NAMES_PATCH).
   */
  private viaSignal<A>(
    name: string,
    named: (names: boolean) => A,
    check: (args: A) => void,
    apply: (args: A) => msg.DecisionResult,
  ): void {
    let args: A;
    try {
      args = named(wf.patched(NODE_NAMES_PATCH));
      check(args);
    } catch (err) {
      this.run.refused(name, (err as Error).message);
      return;
    }
    apply(args);
  }

  /** A node named by id, or (with `names`) by resource id or resource[region]: its id. */
  private idOf(name: string, names: boolean): string {
    return names ? resolveNodeName(this.run.state.nodes.values(), name) : name;
  }

  private continueArgs(args: msg.ContinueArgs | undefined, names: boolean): msg.ContinueArgs | undefined {
    return args?.node_id === undefined ? args : { node_id: this.idOf(args.node_id, names) };
  }

  private decisionArgs(args: msg.DecisionArgs | undefined, names: boolean): msg.DecisionArgs | undefined {
    return args?.node_ids === undefined ? args : { node_ids: args.node_ids.map((id) => this.idOf(id, names)) };
  }

  private checkActive(): void {
    if (isFinished(this.run.state.phase)) throw new Error(`the run has already finished (${this.run.state.phase})`);
    if (this.run.abortReason !== null) throw new Error('the run is being aborted');
  }

  private checkContinue(args: msg.ContinueArgs | undefined): void {
    this.checkActive();
    if (args?.node_id !== undefined) {
      const node = this.knownNode(args.node_id);
      if (node.status === 'paused' || this.run.overridable.has(node.node_id)) return;
      const waiting = node.status === 'running' && node.waiting_on !== null;
      throw new Error(
        waiting
          ? `node ${nodeLabel(node)} waits for ${node.waiting_on}: a continue cannot end that wait`
          : `node ${node.resource_id} (${node.node_id}) is ${node.status}, not paused`,
      );
    }
    if (this.pausedIds(false).length === 0) {
      const gates = this.pausedIds(true).map((id) => nodeLabel(this.run.state.node(id)));
      throw new Error(
        gates.length > 0
          ? `only approval gates are waiting: continue each by name (node_id): ${gates.join(', ')}`
          : `nothing is paused (the run is ${this.run.state.phase})`,
      );
    }
  }

  private checkDecision(args: msg.DecisionArgs | undefined): void {
    this.checkActive();
    if (this.run.rollbackRequested) throw new Error('the run is rolling back');
    const failed = this.run.state.idsWith('failed');
    if (failed.length === 0) throw new Error(`no node has failed (the run is ${this.run.state.phase})`);
    for (const id of args?.node_ids ?? []) {
      const node = this.knownNode(id);
      if (node.status !== 'failed') throw new Error(`node ${node.resource_id} (${id}) is ${node.status}, not failed`);
    }
  }

  private checkRollback(): void {
    const { input } = this.run;
    this.checkActive();
    if (input.action !== 'apply' || input.settings.mode === 'DRY_RUN')
      throw new Error(
        `a ${input.settings.mode === 'DRY_RUN' ? 'dry run' : `${input.action} run`} has nothing to roll back`,
      );
    if (this.run.rollbackRequested) throw new Error('the run is already rolling back');
    if (this.run.pastPointOfNoReturn())
      throw new Error(
        'the move has started deleting the old region: a rollback now would leave the deployment in neither region; retry or skip the failed deletes',
      );
  }

  private checkPauseBefore(args: msg.PauseBeforeArgs): void {
    this.checkActive();
    const node = this.knownNode(args.node_id);
    if (node.status !== 'pending' && node.status !== 'blocked')
      throw new Error(
        `node ${node.resource_id} (${node.node_id}) is ${node.status}: only a node that has not started can get a breakpoint`,
      );
  }

  private knownNode(id: string): NodeState {
    const node = this.run.state.nodes.get(id);
    if (!node) throw new Error(`no node ${id} in this deployment`);
    return node;
  }

  private pausedIds(gates: boolean): string[] {
    return this.run.state
      .idsWith('paused')
      .filter((id) => (this.run.graph.nodes.get(id)?.type === APPROVAL_TYPE) === gates);
  }

  private doContinue(args: msg.ContinueArgs | undefined): msg.DecisionResult {
    const overriding = args?.node_id === undefined ? undefined : this.run.overridable.get(args.node_id);
    if (args?.node_id !== undefined && overriding !== undefined) {
      this.run.overridden.add(args.node_id);
      this.run.state.log('info', `continue: ${overriding}`, args.node_id);
      return this.accepted('continue', [args.node_id]);
    }
    const ids = args?.node_id !== undefined ? [args.node_id] : this.pausedIds(false);
    for (const id of ids) this.walk.release(id, 'continue');
    this.run.state.log('info', `continue: released ${namesInLine(this.run.state.nodes, ids)}`);
    return this.accepted('continue', ids);
  }

  private doRetry(args: msg.DecisionArgs | undefined): msg.DecisionResult {
    const ids = args?.node_ids ? [...args.node_ids] : this.run.state.idsWith('failed');
    for (const id of ids) {
      const node = this.run.state.node(id);
      Object.assign(node, NO_ERROR, { status: 'pending', completed_at: null, duration_seconds: null });
      if ((this.run.waiting.get(id) ?? 0) === 0) this.walk.becomeReady(id);
    }
    this.run.decisionWait = null;
    this.walk.afterDecision();
    this.run.state.log('info', `retry: ${namesInLine(this.run.state.nodes, ids)}`);
    return this.accepted('retry', ids);
  }

  private doSkip(args: msg.DecisionArgs | undefined): msg.DecisionResult {
    const ids = args?.node_ids ? [...args.node_ids] : this.run.state.idsWith('failed');
    for (const id of ids) {
      this.run.state.node(id).status = 'skipped';
      this.walk.satisfied(id);
    }
    this.run.decisionWait = null;
    this.walk.afterDecision();
    this.run.state.log('info', `skip: skipped ${namesInLine(this.run.state.nodes, ids)}; their dependents go on`);
    return this.accepted('skip', ids);
  }

  private doRollback(): msg.DecisionResult {
    this.run.rollbackRequested = true;
    this.run.state.log('info', 'rollback requested');
    return this.accepted('rollback', []);
  }

  private doAbort(args: msg.AbortArgs | undefined): msg.DecisionResult {
    this.run.abortReason = args?.reason ?? 'aborted by operator';
    this.run.state.log('warn', `abort: ${this.run.abortReason}`);
    this.run.activityScope.cancel();
    return this.accepted('abort', [...this.run.running]);
  }

  private doPauseBefore(args: msg.PauseBeforeArgs): msg.DecisionResult {
    this.run.breakpoints.add(args.node_id);
    this.run.released.delete(args.node_id);
    this.run.state.log('info', 'breakpoint added', args.node_id);
    return this.accepted('pause_before', [args.node_id]);
  }

  private accepted(action: string, ids: readonly string[]): msg.DecisionResult {
    this.run.decisionSeq += 1;
    this.run.changed();
    const nodes = ids.flatMap((id) => {
      const node = this.run.state.nodes.get(id);
      return node ? [{ node_id: id, resource_id: node.resource_id, region: node.region, name: nodeLabel(node) }] : [];
    });
    return { accepted: true, action, node_ids: ids, nodes };
  }
}
