/**
 * Ready nodes, highest priority (longest remaining path to a sink) first, ties by node id so the
 * order is deterministic. A binary heap: 10,000-node graphs stay O(n log n).
 */
export class ReadyQueue {
  private readonly heap: string[] = [];
  constructor(private readonly priority: Readonly<Record<string, number>>) {}

  get size(): number {
    return this.heap.length;
  }

  push(id: string): void {
    const heap = this.heap;
    heap.push(id);
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
    return top;
  }

  private before(a: number, b: number): boolean {
    const idA = this.heap[a] as string;
    const idB = this.heap[b] as string;
    const pa = this.priority[idA] ?? 0;
    const pb = this.priority[idB] ?? 0;
    return pa !== pb ? pa > pb : idA < idB;
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    [heap[a], heap[b]] = [heap[b] as string, heap[a] as string];
  }
}
