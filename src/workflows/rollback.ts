/**
 * A run's rollback: once in-flight nodes have drained, the compensation walk over the completed
 * nodes (past a point of no return, only those after it), newest-first along every dependency,
 * and the compensation of each.
 */
import * as wf from '@temporalio/workflow';
import { nodeError, type FailureDetails } from '../model/error-names';
import type { SpecNode } from '../model/graph-types';
import { namesInLine } from '../model/node-names';
import { LimitedQueue } from './limited-queue';
import type { NodeCalls } from './node-calls';
import { after, pointsPassed } from './point-of-no-return';
import type { RunContext } from './run-context';

export class Rollback {
  constructor(
    private readonly run: RunContext,
    private readonly calls: NodeCalls,
  ) {}

  async drain(): Promise<void> {
    this.run.draining = true;
    await wf.condition(() => this.run.running.size === 0);
    this.run.draining = false;
  }

  /**
   * Compensates completed nodes newest-first along every dependency: a node is compensated once
   * each of its completed successors is done compensating. Independent nodes go in parallel.
   */
  async execute(): Promise<void> {
    const { state, graph } = this.run;
    this.run.setPhase('rolling_back', null);
    const targets = new Set(state.idsWith('completed').filter((id) => this.run.undo.has(id)));
    this.keepBeforePoint(targets);
    for (const id of state.idsWith('paused')) state.node(id).status = 'pending';
    state.log('warn', `rolling back ${targets.size} completed node(s)`);
    const blockers = new Map<string, number>();
    for (const id of targets) blockers.set(id, (graph.succs.get(id) ?? []).filter((l) => targets.has(l.id)).length);
    const queue = new LimitedQueue(
      () => 0,
      this.run.input.settings.limits,
      (id) => graph.nodes.get(id)?.type ?? '',
    );
    for (const [id, count] of blockers) if (count === 0) queue.push(id);
    const active = new Set<string>();
    const poisoned = new Set<string>();
    let broken = 0;
    const finished = (id: string, ok: boolean): void => {
      active.delete(id);
      queue.release(id);
      if (!ok) broken += 1;
      for (const link of graph.preds.get(id) ?? []) {
        if (!blockers.has(link.id)) continue;
        if (!ok) poisoned.add(link.id);
        const left = (blockers.get(link.id) as number) - 1;
        blockers.set(link.id, left);
        if (left === 0 && !poisoned.has(link.id)) queue.push(link.id);
      }
      this.run.changed();
    };
    for (;;) {
      while (active.size < this.run.input.settings.max_parallel) {
        const id = queue.take();
        if (id === undefined) break;
        active.add(id);
        void this.compensate(id).then((ok) => finished(id, ok));
      }
      if (active.size === 0) break;
      await this.run.nextChange();
    }
    const stranded = [...targets].filter(
      (id) => state.node(id).status === 'completed' && state.node(id).compensation === null,
    );
    for (const id of stranded) state.node(id).compensation = 'not compensated: a dependent could not be compensated';
    this.run.finish(broken > 0 || stranded.length > 0 ? 'rollback_failed' : 'rolled_back');
  }

  /** Past a point of no return, only what came after it is undone: the rest is left, and says so. */
  private keepBeforePoint(targets: Set<string>): void {
    const points = pointsPassed(this.run);
    if (points.length === 0) return;
    const undoable = after(this.run, points);
    const left = [...targets].filter((id) => !undoable.has(id));
    const point = namesInLine(this.run.state.nodes, points);
    for (const id of left) {
      targets.delete(id);
      this.run.state.node(id).compensation = `left: done before the point of no return (${point})`;
    }
    this.run.state.log(
      'warn',
      `past the point of no return (${point}): rolling back only what came after it; left as done: ${namesInLine(this.run.state.nodes, left)}`,
    );
  }

  private async compensate(id: string): Promise<boolean> {
    const { state } = this.run;
    const spec = this.run.graph.nodes.get(id) as SpecNode;
    const node = state.node(id);
    node.status = 'compensating';
    state.log('info', 'compensating', id);
    try {
      const result = await this.calls.compensate(spec, node);
      node.compensation = result.outcome;
      node.status = result.outcome.startsWith('irreversible') ? 'completed' : 'compensated';
      state.log(node.status === 'completed' ? 'warn' : 'info', `compensation: ${result.outcome}`, id);
      return true;
    } catch (err) {
      const cause = (err instanceof wf.ActivityFailure ? err.cause : err) as wf.ApplicationFailure;
      const details = cause.details?.[0] as FailureDetails | undefined;
      Object.assign(node, nodeError(`compensation failed: ${cause.message}`, cause.type ?? 'error', details), {
        status: 'failed',
        compensation: 'failed',
      });
      state.log('error', node.error as string, id);
      return false;
    }
  }
}
