/**
 * This project's side of the cases the bench compares (sections 1, 3 and 5, and section 11, which runs each again
 * just before the floor's, so the two are read at the same hour: this machine's speed varies through the day by
 * half): a chain's steps, a fan-out's gaps, independent nodes, and many deployments at once.
 */
import { config } from '../../support/deployments';
import { chain, fanOut, independent, layeredDag } from './graphs';
import { cpuDuring, type CpuUse } from './group-cpu';
import { applyTimes, runToEnd, type Finished, type Harness } from './harness';
import { rng } from './prng';
import { distribution, type Distribution } from './stats';
import { chainSteps, fanOutGaps, fullHistory, type StepSample } from './step-phases';

/**
 * Where a case runs unless given another task queue: the harness's worker, whose core:delay keeps the effect ledger
 * (section 11 gives a worker without one, as the floor keeps none). The schedule-to-start of many deployments is
 * read from the ledger, so it always runs here.
 */
const taskQueueOf = (h: Harness): string => (h.worker as NonNullable<Harness['worker']>).taskQueue;

/** A chain of `size` zero-duration nodes: each dependent step from its history. */
export async function chainRun(
  h: Harness,
  size: number,
  taskQueue = taskQueueOf(h),
): Promise<{ run: Finished; samples: StepSample[] }> {
  const run = await runToEnd(h.client, taskQueue, config(chain(size).resources, { max_parallel: 10 }));
  return { run, samples: chainSteps(await fullHistory(h.client, run.handle, run.runKey)) };
}

/** One root and `width` children, all at once: the root's activity done → each child's activity running. */
export async function fanOutRun(
  h: Harness,
  width: number,
  taskQueue = taskQueueOf(h),
): Promise<{ run: Finished; gaps: Distribution }> {
  const run = await runToEnd(h.client, taskQueue, config(fanOut(width).resources, { max_parallel: width }));
  return { run, gaps: distribution(fanOutGaps((await fullHistory(h.client, run.handle, run.runKey))[0] ?? [])) };
}

/** `count` independent nodes of `durationMs` at `maxParallel`, and the CPU the server and this process used. */
export const independentRun = (
  h: Harness,
  o: { readonly count: number; readonly durationMs: number; readonly maxParallel: number },
  taskQueue = taskQueueOf(h),
): Promise<[Finished, CpuUse]> =>
  cpuDuring(h.server.pid, () =>
    runToEnd(
      h.client,
      taskQueue,
      config(independent(o.count, o.durationMs).resources, { max_parallel: o.maxParallel }),
    ),
  );

export interface Concurrent {
  readonly completed: number;
  readonly wallMs: number;
  /** The workflow deciding to start a node (its status's started_at) → the node's apply (the ledger). */
  readonly scheduleToStart: Distribution;
}

/** `concurrent` layered DAGs of `eachNodes` zero-duration nodes at once, at 10 parallel each. */
export async function concurrentRuns(
  h: Harness,
  o: { readonly concurrent: number; readonly eachNodes: number; readonly seed: number },
): Promise<Concurrent> {
  const began = performance.now();
  const runs = await Promise.all(
    Array.from({ length: o.concurrent }, (_, i) =>
      runToEnd(
        h.client,
        taskQueueOf(h),
        config(layeredDag(rng(o.seed + i), o.eachNodes, [0, 0], [0, 0]).resources, { max_parallel: 10 }),
      ),
    ),
  );
  const wallMs = performance.now() - began;
  const delays: number[] = [];
  for (const run of runs) {
    const applied = await applyTimes(h.ledger, run.runKey);
    for (const node of run.status.nodes) {
      const at = applied.get(node.node_id);
      if (at !== undefined && node.started_at) delays.push(at - Date.parse(node.started_at));
    }
  }
  const completed = runs.filter((r) => r.status.status === 'completed').length;
  return { completed, wallMs, scheduleToStart: distribution(delays) };
}
