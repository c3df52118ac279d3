/**
 * 2. Scheduling quality: the same seeded random layered DAGs run by the three schedulers the
 * workflow implements (critical_path, and the baselines fifo and levels) at the same max_parallel.
 * Quality = makespan / max(critical path, total work / max_parallel), 1.0 being optimal. With the
 * peer, OpenTofu walks each graph right after (bench/peers/opentofu.ts, -parallelism the same).
 */
import type { Scheduler } from '../../src/model/run-types';
import { config } from '../../support/deployments';
import { layeredDag, type BenchGraph } from '../lib/graphs';
import { makespanMs, runToEnd, type Harness } from '../lib/harness';
import { rng } from '../lib/prng';
import { simulateMakespan, type SimulatedPolicy } from '../lib/simulate';
import { missed, tofuApply } from '../peers/opentofu';
import type { Report } from '../lib/report';
import { round } from '../lib/stats';

const SCHEDULERS: readonly Scheduler[] = ['critical_path', 'fifo', 'levels'];

export interface SchedulingOptions {
  readonly sizes: readonly number[];
  readonly maxParallel: number;
  readonly seed: number;
  readonly shortMs: [number, number];
  readonly longMs: [number, number];
}

/** Section 2's graph of `size` nodes and its lower bound, ms. */
export function schedulingGraph(o: SchedulingOptions, size: number): { graph: BenchGraph; bound: number } {
  const graph = layeredDag(rng(o.seed + size), size, o.shortMs, o.longMs);
  return { graph, bound: Math.max(graph.criticalPathMs, graph.totalWorkMs / o.maxParallel) };
}

export async function scheduling(h: Harness, report: Report, o: SchedulingOptions, tofu: string | null): Promise<void> {
  const taskQueue = (h.worker as NonNullable<Harness['worker']>).taskQueue;
  const results: Record<string, unknown>[] = [];
  for (const size of o.sizes) {
    const { graph, bound } = schedulingGraph(o, size);
    const ratios: Partial<Record<Scheduler, number>> = {};
    for (const scheduler of SCHEDULERS) {
      const run = await runToEnd(
        h.client,
        taskQueue,
        config(graph.resources, { max_parallel: o.maxParallel, scheduler }),
      );
      if (run.status.status !== 'completed')
        throw new Error(`scheduling run (${size}, ${scheduler}) ended ${run.status.status}`);
      const makespan = makespanMs(run.status);
      ratios[scheduler] = makespan / bound;
      results.push({
        nodes: size,
        scheduler,
        makespan_ms: makespan,
        lower_bound_ms: bound,
        critical_path_ms: graph.criticalPathMs,
        total_work_ms: graph.totalWorkMs,
        ratio: makespan / bound,
        wall_ms: run.wallMs,
      });
    }
    const peer = tofu ? await tofuApply(tofu, graph, o.maxParallel) : undefined;
    const peerRatio = peer && !missed(peer) ? peer.makespanMs / bound : null;
    if (peer !== undefined)
      results.push({
        nodes: size,
        opentofu: missed(peer) ? peer : { makespan_ms: peer.makespanMs, wall_ms: peer.wallMs, ratio: peerRatio },
      });
    const simulated = (['critical_path', 'fifo', 'levels', 'weighted'] as SimulatedPolicy[]).map(
      (p) => `${p} ${round(simulateMakespan(graph, o.maxParallel, p) / bound)}`,
    );
    results.push({ nodes: size, simulated_zero_overhead: simulated });
    const cp = ratios.critical_path ?? NaN;
    const best = Math.min(ratios.fifo ?? Infinity, ratios.levels ?? Infinity);
    report.rows.push({
      section: '2 scheduling quality',
      metric: `${size} nodes, max_parallel ${o.maxParallel}`,
      value: [
        ...SCHEDULERS.map((s) => `${s} ${round(ratios[s] ?? NaN)}`),
        ...(peer === undefined ? [] : [`OpenTofu ${missed(peer) ? `(${peer.missed})` : round(peerRatio ?? NaN)}`]),
      ].join(' · '),
      note: `${peerRatio === null ? '' : `critical_path ${cp <= peerRatio ? 'ahead of' : 'BEHIND'} OpenTofu; `}bound ${Math.round(bound)} ms (cp ${Math.round(graph.criticalPathMs)}, work/P ${Math.round(graph.totalWorkMs / o.maxParallel)}); critical_path ${cp <= best ? 'ahead' : 'NOT ahead'}; zero-overhead simulation: ${simulated.join(' · ')}`,
    });
    if (cp > best)
      report.notes.push(
        `${size} nodes: critical_path (${round(cp)}) is not ahead of the best baseline (${round(best)}); see "Reading them" in docs/measurement.md.`,
      );
  }
  report.data['scheduling'] = {
    seed: o.seed,
    max_parallel: o.maxParallel,
    short_ms: o.shortMs,
    long_ms: o.longMs,
    runs: results,
  };
}
