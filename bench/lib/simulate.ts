/**
 * The schedulers on a graph with zero orchestration overhead: an event-driven list-scheduling
 * simulation with the workflow's rules (at most `parallel` running, a ready node starts at once),
 * so the table can separate the policy's quality from the per-step overhead measured in item 1.
 * `critical_path` ranks like the workflow (longest remaining path in nodes: durations are unknown
 * to it); `weighted` ranks by remaining path in milliseconds, a reference the workflow cannot use.
 */
import type { Scheduler } from '../../src/model/run-types';
import type { BenchGraph } from './graphs';

export type SimulatedPolicy = Scheduler | 'weighted';

export function simulateMakespan(graph: BenchGraph, parallel: number, policy: SimulatedPolicy): number {
  const n = graph.durations.length;
  const succs: number[][] = Array.from({ length: n }, () => []);
  graph.preds.forEach((before, i) => before.forEach((p) => (succs[p] as number[]).push(i)));
  const hops = new Array<number>(n).fill(0);
  const weighted = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i -= 1) {
    const next = succs[i] as number[];
    hops[i] = 1 + Math.max(0, ...next.map((s) => hops[s] as number));
    weighted[i] = (graph.durations[i] as number) + Math.max(0, ...next.map((s) => weighted[s] as number));
  }
  const level = new Array<number>(n).fill(0);
  graph.preds.forEach((before, i) => (level[i] = Math.max(0, ...before.map((p) => (level[p] as number) + 1))));
  const openPerLevel: number[] = [];
  level.forEach((l) => (openPerLevel[l] = (openPerLevel[l] ?? 0) + 1));

  let pushed = 0;
  const rank = (i: number): number =>
    policy === 'fifo'
      ? -(pushed += 1)
      : policy === 'levels'
        ? -(level[i] as number)
        : policy === 'weighted'
          ? (weighted[i] as number)
          : (hops[i] as number);
  const ready: { id: number; rank: number }[] = [];
  const push = (i: number): void => void ready.push({ id: i, rank: rank(i) });
  const waiting = graph.preds.map((p) => p.length);
  waiting.forEach((w, i) => w === 0 && push(i));
  const running: { id: number; end: number }[] = [];
  let now = 0;
  let lowestOpen = 0;
  for (let done = 0; done < n; ) {
    ready.sort((a, b) => b.rank - a.rank || a.id - b.id);
    while ((openPerLevel[lowestOpen] ?? 0) === 0 && lowestOpen < openPerLevel.length) lowestOpen += 1;
    while (
      running.length < parallel &&
      ready.length > 0 &&
      !(policy === 'levels' && (level[(ready[0] as { id: number }).id] as number) > lowestOpen)
    ) {
      const next = ready.shift() as { id: number };
      running.push({ id: next.id, end: now + (graph.durations[next.id] as number) });
    }
    running.sort((a, b) => a.end - b.end);
    const finished = running.shift() as { id: number; end: number };
    now = finished.end;
    done += 1;
    openPerLevel[level[finished.id] as number] = (openPerLevel[level[finished.id] as number] as number) - 1;
    for (const s of succs[finished.id] as number[]) if ((waiting[s] = (waiting[s] as number) - 1) === 0) push(s);
  }
  return now;
}
