/**
 * The Temporal floor for a graph: section 2's scheduling graphs run by the least workflow that can run them.
 * One floorStep activity per node, started once its predecessors are done, at most `maxParallel` at once, the
 * ready node with the longest remaining path first (the order this project's critical_path scheduler gives);
 * no engine (no spec, state, status, record, codec or ledger). Continued as new while history grows long, as a
 * deployment run is. Its makespan is read as section 2 reads a run's: workflow time, first task → last task.
 */
import * as wf from '@temporalio/workflow';
import type { FloorActivities } from './activities';

export interface FloorGraphInput {
  /** Node i: its duration and the indexes of its predecessors (all before i), as bench/lib/graphs.ts builds them. */
  readonly durations: readonly number[];
  readonly preds: readonly (readonly number[])[];
  readonly maxParallel: number;
}

/** What an execution hands the next: when the first one began, and the nodes done. */
export interface FloorGraphCarry {
  readonly startedAt: number;
  readonly done: readonly number[];
}

/** Workflow time, ms since the epoch: the first execution's first task and the last task. */
export interface FloorGraphSpan {
  readonly startedAt: number;
  readonly completedAt: number;
}

/** Continue-as-new past this many events, as bench/floor/workflow.ts does. */
const HAND_OVER_EVENTS = 8_000;

const { floorStep } = wf.proxyActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });

export async function floorGraphWorkflow(input: FloorGraphInput, carried?: FloorGraphCarry): Promise<FloorGraphSpan> {
  const { durations, preds, maxParallel } = input;
  const startedAt = carried?.startedAt ?? Date.now();
  const next: number[][] = durations.map(() => []);
  preds.forEach((before, i) => before.forEach((p) => next[p]?.push(i)));
  const remaining: number[] = [];
  for (let i = durations.length - 1; i >= 0; i -= 1)
    remaining[i] = (durations[i] ?? 0) + Math.max(0, ...(next[i] ?? []).map((s) => remaining[s] ?? 0));
  const done = new Set(carried?.done ?? []);
  const waitingOn = preds.map((before) => before.filter((p) => !done.has(p)).length);
  const ready = durations.map((_, i) => i).filter((i) => !done.has(i) && waitingOn[i] === 0);
  let running = 0;
  let handOver = false;

  const takeLongest = (): number => {
    let best = 0;
    for (let k = 1; k < ready.length; k += 1)
      if ((remaining[ready[k] as number] ?? 0) > (remaining[ready[best] as number] ?? 0)) best = k;
    return ready.splice(best, 1)[0] as number;
  };
  await new Promise<void>((resolve, reject) => {
    const startReady = (): void => {
      while (!handOver && running < maxParallel && ready.length > 0) {
        const node = takeLongest();
        running += 1;
        floorStep(durations[node] ?? 0).then(() => {
          running -= 1;
          done.add(node);
          for (const s of next[node] ?? []) if (--(waitingOn[s] as number) === 0) ready.push(s);
          const info = wf.workflowInfo();
          handOver ||= info.continueAsNewSuggested || info.historyLength > HAND_OVER_EVENTS;
          if (done.size === durations.length || (handOver && running === 0)) resolve();
          else startReady();
        }, reject);
      }
    };
    startReady();
  });
  if (done.size < durations.length)
    return wf.continueAsNew<typeof floorGraphWorkflow>(input, { startedAt, done: [...done] });
  return { startedAt, completedAt: Date.now() };
}
