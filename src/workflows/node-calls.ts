/**
 * A run's calls for one node: the activity it performs (apply, plan, verify or destroy, and the
 * compensation a rollback asks for), the references it is handed, the activity options, and how a
 * failed call is recorded on the node.
 */
import * as wf from '@temporalio/workflow';
import type { AlertActivities } from '../activities/alerts';
import type { NodeActivities } from '../activities/node-activities';
import type { AppliedNode, NodeCall } from '../activities/node-call';
import { nodeError, type FailureDetails } from '../model/error-names';
import type { SpecNode } from '../model/graph-types';
import { referencesBeforeMove } from '../model/move-graph';
import { resolvableReferences, resolveReferences, type OutputsOf } from '../model/references';
import type { NodeState } from '../model/run-types';
import { scopedId } from '../model/scoped-id';
import { DRY_RUN_REFS_PATCH, LENIENT_DELETE_REFS_PATCH, UNDO_READ_PATCH } from './patches';
import { doneAt, untilDone } from './pending-wait';
import type { RunContext } from './run-context';

const acts = wf.proxyActivities<NodeActivities>({ startToCloseTimeout: '10 minutes' });
const alerts = wf.proxyActivities<AlertActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, initialInterval: '2 seconds' },
});

/** How an approval gate was let through, handed to the node as its `$gate` reference. */
export type GateOutcome = 'continue' | 'timeout';

/**
 * How a node's calls are awaited: each in its own activity scope (before FEWER_HOPS_PATCH), in the scope of its batch
 * of starts with fewer waits (FEWER_HOPS_PATCH), a plain apply awaited by the walk itself (DIRECT_APPLY_PATCH), or its
 * answer followed with `then` (CHAINED_APPLY_PATCH).
 */
export type Hops = 'scope-per-node' | 'fewer' | 'direct' | 'chained';

/** A plain apply under way for the walk to await (`applyDirectly`), with what its settling needs. */
export interface DirectApply {
  readonly call: NodeCall;
  readonly options: wf.ActivityOptions;
  readonly answer: Promise<AppliedNode>;
}

type Poll = Parameters<typeof untilDone>[3];

export class NodeCalls {
  constructor(private readonly run: RunContext) {}

  /**
   * Resolves references from completed nodes' outputs. A dry run plans with those that resolve
   * from the last apply's outputs; verify and destroy runs use that apply's outputs where they have them.
   */
  referencesOf(spec: SpecNode, gate: GateOutcome | undefined): Record<string, unknown> {
    const { input, state } = this.run;
    const engine = gate ? { $gate: gate } : {};
    const previous = (nodeId: string) => input.previous_outputs?.[nodeId];
    // What resolves, without failing on what does not (a plan, a check or a delete needs no more).
    const lenient = (outputsOf: OutputsOf): Record<string, unknown> => ({
      ...resolvableReferences(spec, outputsOf),
      ...engine,
    });
    if (input.settings.mode === 'DRY_RUN') return wf.patched(DRY_RUN_REFS_PATCH) ? lenient(previous) : engine;
    if (input.action !== 'apply') return lenient(previous);
    if (spec.operation === 'delete' && wf.patched(LENIENT_DELETE_REFS_PATCH))
      return lenient((nodeId) => state.nodes.get(nodeId)?.outputs ?? previous(nodeId));
    const resolved = resolveReferences(spec, (nodeId) => state.nodes.get(nodeId)?.outputs);
    if (!resolved.ok)
      throw wf.ApplicationFailure.create({ type: 'reference', message: resolved.message, nonRetryable: true });
    return { ...resolved.values, ...engine };
  }

  /** `fewerHops` (FEWER_HOPS_PATCH): no wait for an undo read or a pending answer the node does not have. */
  async perform(spec: SpecNode, node: NodeState, refs: Record<string, unknown>, fewerHops: boolean): Promise<void> {
    const { input } = this.run;
    const call = this.callFor(spec, node, refs);
    const options = this.activityOptions(spec, input.settings.mode === 'DRY_RUN' ? 'plan' : input.action);
    if (input.action === 'apply' && input.settings.mode !== 'DRY_RUN') {
      const ready = fewerHops && !this.readsUndoFirst(spec) ? call : await this.prepared(spec, call, options);
      const first = await acts.applyNode.executeWithOptions(options, [ready]);
      node.attempts = first.attempt;
      const applied =
        fewerHops && !first.pending
          ? doneAt(this.run, node, first)
          : await untilDone(this.run, node, first, this.poller({ call, options }));
      const moved = this.applied(spec, node, refs, first, applied);
      if (moved) await moved;
    } else if (input.action === 'apply') {
      const plan = await acts.planNode.executeWithOptions(options, [call]);
      Object.assign(node, { action: plan.action, drift: [...plan.diff], attempts: node.attempts + 1 });
    } else if (input.action === 'verify') {
      const verified = await acts.verifyNode.executeWithOptions(options, [call]);
      Object.assign(node, {
        action: verified.drift.length > 0 ? 'drifted' : 'in-sync',
        drift: [...verified.drift],
        attempts: node.attempts + 1,
      });
    } else {
      await acts.destroyNode.executeWithOptions(options, [call]);
      Object.assign(node, { action: 'destroyed', attempts: node.attempts + 1 });
    }
  }

  /**
   * A plain apply (DIRECT_APPLY_PATCH: an apply run's node whose type reads no undo first) started for the walk to
   * await itself, or null when the node's call is another (`perform` makes it).
   */
  applyDirectly(spec: SpecNode, node: NodeState, refs: Record<string, unknown>): DirectApply | null {
    const { input } = this.run;
    if (input.action !== 'apply' || input.settings.mode === 'DRY_RUN' || this.readsUndoFirst(spec)) return null;
    const call = this.callFor(spec, node, refs);
    const options = this.activityOptions(spec, input.action);
    return { call, options, answer: acts.applyNode.executeWithOptions(options, [call]) };
  }

  /** A direct apply's answer taken: what is left to wait for (a pending effect, a moved node's check), if anything. */
  settleApply(spec: SpecNode, node: NodeState, started: DirectApply, first: AppliedNode): Promise<void> | undefined {
    node.attempts = first.attempt;
    if (first.pending)
      return untilDone(this.run, node, first, this.poller(started)).then((applied) =>
        this.applied(spec, node, started.call.refs, first, applied),
      );
    return this.applied(spec, node, started.call.refs, first, doneAt(this.run, node, first));
  }

  /** The looks of a pending apply: `pollNode` with the apply's call and the latest undo. */
  private poller({ call, options }: Pick<DirectApply, 'call' | 'options'>): Poll {
    return (state, undo) =>
      acts.pollNode.executeWithOptions({ ...options, summary: `poll ${options.summary ?? ''}` }, [
        { ...call, undo },
        state,
      ]);
  }

  /** Records a done apply on the node and the run; in a region move, the check of the node it created. */
  private applied(
    spec: SpecNode,
    node: NodeState,
    refs: Record<string, unknown>,
    first: AppliedNode,
    applied: AppliedNode,
  ): Promise<void> | undefined {
    node.outputs = applied.outputs;
    const account = applied.aws_account ?? first.aws_account;
    if (account !== undefined) node.aws_account = account;
    this.run.undo.set(spec.node_id, applied.undo);
    const moving = this.run.input.move?.to_region === spec.region && spec.operation !== 'delete';
    return moving ? this.verifyMoved(spec, node, refs) : undefined;
  }

  /**
   * The apply's call with the undo its type's `prepare` read before the first change (settings.reads_before_change):
   * read once per run and kept in history and in `run.undo`, so every attempt and an operator's retry get the
   * pre-run state, and a rollback restores it whatever crashed in between.
   */
  private async prepared(spec: SpecNode, call: NodeCall, options: wf.ActivityOptions): Promise<NodeCall> {
    const { run } = this;
    if (!this.readsUndoFirst(spec)) return call;
    if (!wf.patched(UNDO_READ_PATCH)) return call;
    if (!run.undo.has(spec.node_id)) {
      const read = { ...options, summary: `read before ${options.summary ?? ''}` };
      run.undo.set(spec.node_id, await acts.prepareNode.executeWithOptions(read, [call]));
    }
    return { ...call, undo: run.undo.get(spec.node_id) ?? null };
  }

  private readsUndoFirst(spec: SpecNode): boolean {
    return spec.operation !== 'delete' && this.run.input.settings.reads_before_change?.includes(spec.type) === true;
  }

  /**
   * The compensation of a completed node, from the undo data its apply returned, with the references that
   * resolve from this run's outputs (an object names its bucket by reference; the bucket is undone after it),
   * and in a region move, as `$before_move`, the references as they resolved before it (to switch a value back).
   */
  compensate(spec: SpecNode, node: NodeState): ReturnType<NodeActivities['compensateNode']> {
    const { input, state } = this.run;
    const refs = resolvableReferences(spec, (nodeId) => state.nodes.get(nodeId)?.outputs);
    const before = input.move
      ? referencesBeforeMove(spec, input.graph, input.tenant, input.move, (id) => input.previous_outputs?.[id])
      : null;
    return acts.compensateNode.executeWithOptions(this.activityOptions(spec, 'compensate'), [
      this.callFor(spec, node, before ? { ...refs, $before_move: before } : refs),
    ]);
  }

  /** A region move checks each node it created in the new region before anything goes on: drift fails the node. */
  private async verifyMoved(spec: SpecNode, node: NodeState, refs: Record<string, unknown>): Promise<void> {
    const verified = await acts.verifyNode.executeWithOptions(this.activityOptions(spec, 'verify'), [
      this.callFor(spec, node, refs),
    ]);
    node.drift = [...verified.drift];
    if (verified.drift.length === 0) return;
    const what = verified.drift.map((d) => d.property).join(', ');
    throw wf.ApplicationFailure.create({
      type: 'drift',
      message: `created in ${spec.region ?? ''} but verify found drift in: ${what}`,
      nonRetryable: true,
    });
  }

  private callFor(spec: SpecNode, node: NodeState, refs: Record<string, unknown>): NodeCall {
    const { input } = this.run;
    return {
      deployment_id: scopedId(input.graph.deployment_id, input.tenant),
      graph_id: input.graph.graph_id,
      run_key: this.run.runKey,
      run_started_at: this.run.state.startedAt,
      node: spec,
      refs,
      credentials: input.credentials,
      attempts_before: node.attempts,
      outputs: node.outputs ?? input.previous_outputs?.[spec.node_id] ?? null,
      undo: this.run.undo.get(spec.node_id) ?? null,
    };
  }

  private activityOptions(spec: SpecNode, verb: string): wf.ActivityOptions {
    const { retry, node_timeout_ms, node_timeouts_ms, heartbeat_timeout_ms } = this.run.input.settings;
    return {
      // Only a start-to-close, which replay does not compare: histories from before node_timeouts_ms replay unchanged.
      startToCloseTimeout: node_timeouts_ms?.[spec.node_id] ?? node_timeout_ms,
      heartbeatTimeout: heartbeat_timeout_ms,
      summary: `${verb} ${spec.resource_id} · ${spec.type}${spec.region ? ` · ${spec.region}` : ''}`,
      retry: {
        maximumAttempts: retry.max_attempts,
        initialInterval: retry.initial_interval_ms,
        maximumInterval: retry.max_interval_ms,
        backoffCoefficient: retry.backoff,
      },
    };
  }

  /** Posts an alert about node `id` (settings.alerts); one that cannot be sent is logged, never fails the run. */
  alert(id: string, channel: string | null, text: string): void {
    const spec = this.run.graph.nodes.get(id) as SpecNode;
    const call = this.callFor(spec, this.run.state.node(id), {});
    alerts.alertOperators
      .executeWithOptions({ summary: `alert about ${spec.resource_id}` }, [{ call, channel, text }])
      .then(
        () => this.run.state.log('info', `alert sent${channel ? ` to ${channel}` : ''}`, id),
        (err: unknown) => this.run.state.log('warn', `alert not sent: ${(err as Error).message}`, id),
      )
      .finally(() => this.run.changed());
  }

  recordFailure(node: NodeState, err: unknown): void {
    const cause = err instanceof wf.ActivityFailure ? err.cause : err;
    node.status = 'failed';
    if (wf.isCancellation(err)) {
      Object.assign(node, nodeError(`cancelled: ${this.run.abortReason ?? 'run cancelled'}`, 'cancelled'));
    } else if (cause instanceof wf.ApplicationFailure) {
      const details = cause.details?.[0] as FailureDetails | undefined;
      Object.assign(node, nodeError(cause.message, cause.type ?? 'error', details), {
        attempts: details?.attempt ?? node.attempts + 1,
      });
    } else {
      Object.assign(node, nodeError((cause as Error | undefined)?.message ?? String(err), 'error'), {
        attempts: node.attempts + 1,
      });
    }
    this.run.state.log('error', `failed (${node.error_type}): ${node.error}`, node.node_id);
  }
}
