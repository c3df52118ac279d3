/**
 * The order a run starts its ready nodes in, under its scheduler: the ready queue ranked by
 * remaining-path priority (`critical_path`), push order (`fifo`) or graph level (`levels`), and the
 * `levels` baseline's barrier, within the run's per-provider and per-type limits (limited-queue.ts).
 */
import type { SpecNode } from '../model/graph-types';
import { orderGraph } from '../model/order';
import type { Scheduler } from '../model/run-types';
import { LimitedQueue } from './limited-queue';
import { SATISFIED, type RunContext } from './run-context';

export class StartOrder {
  private readonly ready: LimitedQueue;
  private readonly levelOf = new Map<string, number>();
  /** Per level, the nodes not yet completed or skipped (for the `levels` baseline). */
  private readonly openPerLevel: number[] = [];
  private lowestOpenLevel = 0;

  constructor(private readonly run: RunContext) {
    const { input, graph, state } = run;
    const order = orderGraph({
      nodes: input.graph.nodes,
      edges: [...graph.succs].flatMap(([from, links]) => links.map((l) => ({ from, to: l.id, kind: l.kind }))),
    });
    order.parallel_groups.forEach((group, level) => {
      for (const id of group) this.levelOf.set(id, level);
      this.openPerLevel.push(group.filter((id) => !SATISFIED(state.node(id))).length);
    });
    this.ready = new LimitedQueue(
      this.rankFor(input.settings.scheduler ?? 'critical_path', order.priority),
      input.settings.limits,
      (id) => (graph.nodes.get(id) as SpecNode).type,
    );
  }

  get size(): number {
    return this.ready.size;
  }

  push(id: string): void {
    this.ready.push(id);
  }

  /** The next pending node that may start now (its limits' slots taken), or undefined. */
  next(): string | undefined {
    return this.ready.take(
      (id) => this.run.state.node(id).status !== 'pending',
      () => this.barrierHolds(),
    );
  }

  /** A node `next` answered has ended: its slots go to the best node waiting for them. */
  ended(id: string): void {
    this.ready.release(id);
  }

  /** A completed or skipped node: one fewer open node on its level. */
  settled(id: string): void {
    const level = this.levelOf.get(id) ?? 0;
    this.openPerLevel[level] = (this.openPerLevel[level] ?? 1) - 1;
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
  private barrierHolds(): boolean {
    if (this.run.input.settings.scheduler !== 'levels') return false;
    while ((this.openPerLevel[this.lowestOpenLevel] ?? 0) === 0 && this.lowestOpenLevel < this.openPerLevel.length)
      this.lowestOpenLevel += 1;
    const next = this.ready.peek();
    return next !== undefined && (this.levelOf.get(next) ?? 0) > this.lowestOpenLevel;
  }
}
