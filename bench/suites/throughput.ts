/** 3. Throughput: `count` independent operations of `durationMs` at `maxParallel`, against the ideal count × duration / parallel. */
import { config } from '../../support/deployments';
import { independent } from '../lib/graphs';
import { makespanMs, runToEnd, type Harness } from '../lib/harness';
import type { Report } from '../lib/report';
import { round } from '../lib/stats';

export async function throughput(
  h: Harness,
  report: Report,
  o: { count: number; durationMs: number; maxParallel: number },
): Promise<void> {
  const taskQueue = (h.worker as NonNullable<Harness['worker']>).taskQueue;
  const run = await runToEnd(
    h.client,
    taskQueue,
    config(independent(o.count, o.durationMs).resources, { max_parallel: o.maxParallel }),
  );
  const ideal = (o.count * o.durationMs) / o.maxParallel;
  const makespan = makespanMs(run.status);
  report.data['throughput'] = {
    ...o,
    ideal_ms: ideal,
    makespan_ms: makespan,
    wall_ms: run.wallMs,
    completed: run.status.counts.completed,
  };
  report.rows.push({
    section: '3 throughput',
    metric: `${o.count} × ${o.durationMs} ms at max_parallel ${o.maxParallel}`,
    value: `${round(run.wallMs / 1000)} s wall (${round(run.wallMs / ideal)}× the ${round(ideal / 1000)} s ideal)`,
    note: `workflow makespan ${round(makespan / 1000)} s; ${round(o.count / (run.wallMs / 1000), 0)} ops/s`,
  });
}
