/**
 * Benchmark graphs as core:delay resources: chains, fan-outs, independent sets, and seeded random
 * layered DAGs with random durations (with their critical path and total work, for lower bounds).
 */
import { delay, type Resources } from '../../support/deployments';
import type { Rng } from './prng';

export interface BenchGraph {
  readonly resources: Resources;
  /** Longest path by duration, ms. */
  readonly criticalPathMs: number;
  readonly totalWorkMs: number;
  /** Node i is resource `n<i>`: its duration and the indexes of its predecessors (all before i). */
  readonly durations: readonly number[];
  readonly preds: readonly (readonly number[])[];
}

const id = (i: number): string => `n${i}`;

/** Turns node durations and predecessors (indexes, each before its node) into resources and bounds. */
export function fromLists(
  durations: readonly number[],
  preds: readonly (readonly number[])[],
  extra: Record<string, unknown> = {},
): BenchGraph {
  const resources: Resources = {};
  const finish: number[] = [];
  durations.forEach((duration, i) => {
    const before = preds[i] ?? [];
    resources[id(i)] = delay(
      { duration_ms: duration, ...extra },
      before.length > 0 ? { depends_on: before.map(id) } : {},
    );
    finish[i] = duration + Math.max(0, ...before.map((p) => finish[p] ?? 0));
  });
  return {
    resources,
    criticalPathMs: Math.max(...finish),
    totalWorkMs: durations.reduce((a, b) => a + b, 0),
    durations,
    preds,
  };
}

export const chain = (n: number, durationMs = 0): BenchGraph =>
  fromLists(
    Array.from({ length: n }, () => durationMs),
    Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1])),
  );

/** One root and `width` children of it. */
export const fanOut = (width: number, durationMs = 0): BenchGraph =>
  fromLists(
    Array.from({ length: width + 1 }, () => durationMs),
    Array.from({ length: width + 1 }, (_, i) => (i === 0 ? [] : [0])),
  );

export const independent = (n: number, durationMs: number, extra: Record<string, unknown> = {}): BenchGraph =>
  fromLists(
    Array.from({ length: n }, () => durationMs),
    Array.from({ length: n }, () => []),
    extra,
  );

/**
 * `n` nodes in about √n layers of random width; each node after the first layer depends on 1–3
 * nodes of earlier layers (mostly the previous one). Durations: 90% short (`shortMs`), 10% long
 * (`longMs`), so some paths are much longer than others, which is where priorities matter.
 */
export function layeredDag(rand: Rng, n: number, shortMs: [number, number], longMs: [number, number]): BenchGraph {
  const layerCount = Math.max(2, Math.round(Math.sqrt(n) / 1.5));
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (let i = 0; i < n; i += 1) (layers[i < layerCount ? i : rand.int(0, layerCount - 1)] as number[]).push(i);
  const order = layers.flat();
  const position = new Map(order.map((node, at) => [node, at]));
  const layerOf = new Map(layers.flatMap((members, l) => members.map((m) => [m, l] as const)));
  const preds: number[][] = [];
  const durations: number[] = [];
  for (const node of order) {
    const layer = layerOf.get(node) as number;
    const mine = new Set<number>();
    if (layer > 0) {
      const want = rand.int(1, 3);
      for (let k = 0; k < want; k += 1) {
        const from = rand.next() < 0.7 ? layer - 1 : rand.int(0, layer - 1);
        mine.add(rand.pick(layers[from] as number[]));
      }
    }
    const at = position.get(node) as number;
    preds[at] = [...mine].map((p) => position.get(p) as number);
    durations[at] = rand.next() < 0.1 ? rand.int(...longMs) : rand.int(...shortMs);
  }
  return fromLists(durations, preds);
}
