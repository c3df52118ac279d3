/**
 * The Temporal floor: the least a workflow can do to run what a deployment runs, with none of this project's
 * engine (no graph, state, status, record, codec or ledger). `count` activities that each wait `durationMs`,
 * at most `maxParallel` at once, after one `root` activity when asked (a fan-out), as activities or local
 * activities; continued as new while history grows long, as a deployment run is. Bundled on its own by
 * bench/suites/floor.ts.
 */
import * as wf from '@temporalio/workflow';
import type { FloorActivities, Span } from './activities';

export interface FloorInput {
  readonly count: number;
  readonly durationMs: number;
  readonly maxParallel: number;
  /** One activity first, then the `count` others (a fan-out from it). */
  readonly root: boolean;
  readonly local: boolean;
}

/** A step: when the workflow decided to start it (workflow time), and its activity's own start and end. */
export interface Step extends Span {
  readonly decidedAt: number;
}

/**
 * Local activities run inside a workflow task and their results travel in its completion: run back to back, 10,000
 * of them stayed in one task and passed gRPC's 4 MB message limit. Rounds of this many keep each completion small.
 */
const LOCAL_ROUND = 500;

/** Continue-as-new past this many events, as src/workflows/continue-as-new.ts does. */
const HAND_OVER_EVENTS = 8_000;

const options = { startToCloseTimeout: '1 minute' } as const;
const remote = wf.proxyActivities<FloorActivities>(options);
const local = wf.proxyLocalActivities<FloorActivities>(options);

/** Every step of this execution (the steps of executions it continued from are not carried). */
export async function floorWorkflow(input: FloorInput, started = 0): Promise<Step[]> {
  const acts = input.local ? local : remote;
  const steps: Step[] = [];
  const step = async (): Promise<void> => {
    const decidedAt = Date.now();
    steps.push({ decidedAt, ...(await acts.floorStep(input.durationMs)) });
  };
  if (input.root && started === 0) await step();
  let next = started;
  let handOver = false;
  while (next < input.count && !handOver) {
    const end = Math.min(input.count, next + (input.local ? LOCAL_ROUND : input.count));
    const lane = async (): Promise<void> => {
      while (next < end && !handOver) {
        next += 1;
        await step();
        const info = wf.workflowInfo();
        handOver ||= info.continueAsNewSuggested || info.historyLength > HAND_OVER_EVENTS;
      }
    };
    await Promise.all(Array.from({ length: Math.min(input.maxParallel, end - next) }, lane));
    // With nothing running, a timer lets the workflow task complete and take this round's results to the server.
    if (input.local) await wf.sleep(1);
  }
  if (next < input.count) return wf.continueAsNew<typeof floorWorkflow>(input, next);
  return steps;
}
