/**
 * Ready nodes, highest rank first, ties by node id so the order is deterministic. The rank is
 * taken when a node is pushed: the remaining-path priority for the critical-path scheduler, the
 * push order for the FIFO baseline. A binary heap: 10,000-node graphs stay O(n log n).
 */
interface Entry {
  readonly id: string;
  readonly rank: number;
}

export class ReadyQueue {
  private readonly heap: Entry[] = [];
  constructor(private readonly rank: (id: string) => number) {}

  get size(): number {
    return this.heap.length;
  }

  peek(): string | undefined {
    return this.heap[0]?.id;
  }

  push(id: string): void {
    const heap = this.heap;
    heap.push({ id, rank: this.rank(id) });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): string | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && this.before(left, best)) best = left;
        if (right < heap.length && this.before(right, best)) best = right;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top?.id;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a] as Entry;
    const y = this.heap[b] as Entry;
    return x.rank !== y.rank ? x.rank > y.rank : x.id < y.id;
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    [heap[a], heap[b]] = [heap[b] as Entry, heap[a] as Entry];
  }
}
