/**
 * 3. Throughput: `count` independent operations of `durationMs` at `maxParallel`, against the ideal
 * count × duration / parallel; with the peer, OpenTofu's `local-exec` sleeps at the same parallelism.
 */
import { describeCpu } from '../lib/group-cpu';
import { independent } from '../lib/graphs';
import { makespanMs, type Harness } from '../lib/harness';
import { independentRun } from '../lib/ours';
import type { Report } from '../lib/report';
import { round } from '../lib/stats';
import { missed, tofuApply, type TofuMiss, type TofuRun } from '../peers/opentofu';

export async function throughput(
  h: Harness,
  report: Report,
  o: { count: number; durationMs: number; maxParallel: number },
  tofu: string | null,
): Promise<void> {
  const [run, cpu] = await independentRun(h, o);
  const ideal = (o.count * o.durationMs) / o.maxParallel;
  const makespan = makespanMs(run.status);
  const peer = tofu ? await tofuApply(tofu, independent(o.count, o.durationMs), o.maxParallel) : undefined;
  report.data['throughput'] = {
    ...o,
    ideal_ms: ideal,
    makespan_ms: makespan,
    wall_ms: run.wallMs,
    completed: run.status.counts.completed,
    cpu,
    ...(peer === undefined
      ? {}
      : { opentofu: missed(peer) ? peer : { makespan_ms: peer.makespanMs, wall_ms: peer.wallMs } }),
  };
  report.rows.push({
    section: '3 throughput',
    metric: `${o.count} × ${o.durationMs} ms at max_parallel ${o.maxParallel}`,
    value: `${round(run.wallMs / 1000)} s wall (${round(run.wallMs / ideal)}× the ${round(ideal / 1000)} s ideal)`,
    note: `workflow makespan ${round(makespan / 1000)} s; ${round(o.count / (run.wallMs / 1000), 0)} ops/s; ${describeCpu(cpu, run.wallMs)}${peerNote(peer, ideal)}`,
  });
}

const peerNote = (peer: TofuRun | TofuMiss | undefined, idealMs: number): string => {
  if (peer === undefined) return '';
  if (missed(peer)) return `; OpenTofu: ${peer.missed}`;
  const seconds = (ms: number): number => round(ms / 1000);
  return `; OpenTofu ${seconds(peer.makespanMs)} s first start → last done (${round(peer.makespanMs / idealMs)}×), ${seconds(peer.wallMs)} s whole apply`;
};
