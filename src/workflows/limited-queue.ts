/**
 * A ready queue that honours `settings.limits`: `take` answers the best-ranked ready node whose
 * provider and type both have a slot free, and sets aside (parks) the better-ranked ones that have
 * none, each under the limit that stopped it; a node's end frees its slots and returns the best node
 * parked under each freed limit to the queue. Every step is O(log n), so a 10,000-node run under a
 * limit of 2 costs what it costs without one. Without limits it is the plain ready queue.
 */
import { LimitSlots, type ConcurrencyLimits } from '../model/concurrency-limits';
import { ReadyQueue } from './ready-queue';

export class LimitedQueue {
  private readonly ready: ReadyQueue;
  private readonly slots: LimitSlots;
  private readonly parked = new Map<string, ReadyQueue>();
  private parkedCount = 0;

  constructor(
    private readonly rank: (id: string) => number,
    limits: ConcurrencyLimits | undefined,
    private readonly typeOf: (id: string) => string,
  ) {
    this.ready = new ReadyQueue(rank);
    this.slots = new LimitSlots(limits ?? {});
  }

  /** Ready nodes, parked ones included. */
  get size(): number {
    return this.ready.size + this.parkedCount;
  }

  /** The best-ranked node not parked. */
  peek(): string | undefined {
    return this.ready.peek();
  }

  push(id: string): void {
    this.ready.push(id);
  }

  /**
   * The best node that may start now, its slots taken (end it with `release`); undefined when none
   * may. `skip` drops a node from the queue (one that is no longer waiting to start); `holds` stops
   * at the next node without taking it (a barrier).
   */
  take(skip: (id: string) => boolean = () => false, holds: () => boolean = () => false): string | undefined {
    while (this.ready.size > 0 && !holds()) {
      const id = this.ready.pop() as string;
      if (skip(id)) continue;
      const type = this.typeOf(id);
      const full = this.slots.full(type);
      if (full === null) {
        this.slots.take(type);
        return id;
      }
      let waiting = this.parked.get(full);
      if (!waiting) this.parked.set(full, (waiting = new ReadyQueue(this.rank)));
      waiting.push(id);
      this.parkedCount += 1;
    }
    return undefined;
  }

  /** A node `take` answered has ended: its slots are free, and a node parked under each goes back to the queue. */
  release(id: string): void {
    for (const key of this.slots.release(this.typeOf(id))) {
      const next = this.parked.get(key)?.pop();
      if (next === undefined) continue;
      this.parkedCount -= 1;
      this.ready.push(next);
    }
  }
}
