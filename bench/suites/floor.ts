/**
 * 11. The Temporal floor: the cases of sections 1, 3 and 5 run by the least workflow that can run them
 * (bench/floor/workflow.ts: a loop of activities, no engine), on the same dev server with the same worker
 * settings (src/worker.ts's activityDispatch and connectWorker), and once more as local activities, which skip
 * the server per step. Beside each, this project on the same case, run just before the floor's, like it without a
 * test fixture's effect ledger (section 2's graphs: its figure from section 2): the difference is the engine's cost,
 * the floor what any workflow of one Temporal activity per node pays on this machine.
 */
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { writeWorkflowBundle } from '../../src/runtime/workflow-bundle';
import { activityDispatch, connectWorker } from '../../src/worker';
import { startTestWorker, uniqueId } from '../../support/temporal';
import { floorActivities } from '../floor/activities';
import type { floorGraphWorkflow, FloorGraphInput } from '../floor/graph-workflow';
import type { FloorInput, Step } from '../floor/workflow';
import { cpuDuring, describeCpu, type CpuUse } from '../lib/group-cpu';
import { makespanMs, type Harness } from '../lib/harness';
import { chainRun, concurrentRuns, fanOutRun, independentRun } from '../lib/ours';
import type { Report } from '../lib/report';
import { breakdown, chainSteps as chainStepsOf, fanOutGaps, type HistoryEvent } from '../lib/step-phases';
import { describe, distribution, median, ms, round, type Distribution } from '../lib/stats';
import { schedulingGraph, type SchedulingOptions } from './scheduling';

export interface FloorOptions {
  readonly chain: number;
  /** Section 2's graphs (the same seed and options), each run once by the floor's graph workflow. */
  readonly scheduling: SchedulingOptions;
  readonly fanOut: number;
  readonly throughput: { readonly count: number; readonly durationMs: number; readonly maxParallel: number };
  readonly scale: { readonly nodes: number; readonly concurrent: number; readonly eachNodes: number };
}

const SECTION = '11 Temporal floor';
/** The floor's activity type (bench/floor/activities.ts), for reading its runs' histories as section 1 reads ours. */
const ACTIVITY = 'floorStep';

interface FloorRun {
  readonly workflowId: string;
  readonly steps: Step[];
  readonly wallMs: number;
}

/** Runs the floor workflow, and reads a run's history (one execution: the chain and fan-out never continue as new). */
interface Floor {
  run(input: FloorInput): Promise<FloorRun>;
  /** A graph's makespan (workflow time, first task → last task, as section 2 reads a run's), ms. */
  graph(input: FloorGraphInput): Promise<number>;
  history(run: FloorRun): Promise<HistoryEvent[]>;
}

export async function floor(h: Harness, report: Report, o: FloorOptions): Promise<void> {
  const codePath = await writeWorkflowBundle(require.resolve('../floor/workflows'), join(h.dir, 'floor-bundle.js'));
  const connection = await connectWorker(h.server.address);
  const taskQueue = uniqueId('floor');
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath },
    activities: floorActivities,
    ...activityDispatch(200),
  });
  const client = new Client({ connection: h.client.connection });
  // Our side of each case, but for the many deployments (bench/lib/ours.ts), without the effect ledger: about 1 s of
  // the worker's CPU at 10,000 nodes that the floor does not pay.
  const ours = await startTestWorker({ address: h.server.address });
  const floorRuns: Floor = {
    async run(input) {
      const began = performance.now();
      const workflowId = uniqueId('floor');
      const steps = await client.workflow.execute('floorWorkflow', { taskQueue, workflowId, args: [input] });
      return { workflowId, steps: steps as Step[], wallMs: performance.now() - began };
    },
    async graph(input) {
      const span = await client.workflow.execute<typeof floorGraphWorkflow>('floorGraphWorkflow', {
        taskQueue,
        workflowId: uniqueId('floor'),
        args: [input],
      });
      return span.completedAt - span.startedAt;
    },
    history: async (r) => (await client.workflow.getHandle(r.workflowId).fetchHistory()).events ?? [],
  };
  try {
    await worker.runUntil(measure(floorRuns, h, ours.taskQueue, report, o));
  } finally {
    await ours.stop();
    await connection.close();
  }
}

async function measure(floor: Floor, h: Harness, ours: string, report: Report, o: FloorOptions): Promise<void> {
  const { run, history } = floor;
  /** The case with activities (and the CPU it used), then with local activities. */
  const both = async (input: Omit<FloorInput, 'local'>): Promise<[FloorRun, FloorRun, CpuUse]> => {
    const [activities, cpu] = await cpuDuring(h.server.pid, () => run({ ...input, local: false }));
    return [activities, await run({ ...input, local: true }), cpu];
  };
  const row = (metric: string, value: string, note: string): void => {
    report.rows.push({ section: SECTION, metric, value, note });
  };

  const ourChain = await chainRun(h, o.chain, ours);
  const chain = await both({ count: o.chain, durationMs: 0, maxParallel: 1, root: false });
  const chainSamples = chainStepsOf([await history(chain[0])], ACTIVITY);
  const chainSteps = distribution(chainSamples.map((s) => s.stepMs));
  const chainLocal = distribution(gaps(chain[1].steps));
  const ourSteps = distribution(ourChain.samples.map((s) => s.stepMs));
  row(
    `${o.chain}-node chain, per step`,
    pair(chainSteps, chainLocal),
    `activities ${breakdown(chainSamples)}; ${JUST_BEFORE}: ${brief(ourSteps)}, ${breakdown(ourChain.samples)}`,
  );

  const ourFan = await fanOutRun(h, o.fanOut, ours);
  const fan = await both({ count: o.fanOut, durationMs: 0, maxParallel: o.fanOut, root: true });
  const fanSteps = distribution(fanOutGaps(await history(fan[0]), ACTIVITY));
  const fanLocal = distribution(fanGaps(fan[1].steps));
  row(
    `fan-out 1 → ${o.fanOut}, root done → each child running`,
    pair(fanSteps, fanLocal),
    `${JUST_BEFORE}: ${brief(ourFan.gaps)}`,
  );

  const t = o.throughput;
  const [ourWide, ourWideCpu] = await independentRun(h, t, ours);
  const wide = await both({ count: t.count, durationMs: t.durationMs, maxParallel: t.maxParallel, root: false });
  const [wideSpan, wideLocal] = [makespan(wide[0].steps), makespan(wide[1].steps)];
  row(
    `${t.count} × ${t.durationMs} ms at ${t.maxParallel} parallel, first start → last done`,
    `activities ${seconds(wideSpan)} · local activities ${seconds(wideLocal)}`,
    `${JUST_BEFORE}: ${seconds(makespanMs(ourWide.status))}, ${describeCpu(ourWideCpu, ourWide.wallMs)}; ` +
      `ideal ${seconds((t.count * t.durationMs) / t.maxParallel)}; activities' ${describeCpu(wide[2], wide[0].wallMs)}`,
  );

  // The case that varies most from run to run (within one hour of 2026-12-05: ours 14–19 s, the floor 11.5–15 s):
  // pairs, each ours then the floor's, and their medians.
  const bigCase = { count: o.scale.nodes, durationMs: 0, maxParallel: 200, root: false };
  const pairs: LargePair[] = [];
  for (let i = 0; i < LARGE_PAIRS; i += 1) {
    const [oursRun, oursCpu] = await independentRun(h, bigCase, ours);
    const [floorRun, floorCpu] = await cpuDuring(h.server.pid, () => run({ ...bigCase, local: false }));
    pairs.push({ ours_ms: oursRun.wallMs, floor_ms: floorRun.wallMs, ours_cpu: oursCpu, floor_cpu: floorCpu });
  }
  const bigLocal = await run({ ...bigCase, local: true });
  const ratios = pairs.map((p) => p.ours_ms / p.floor_ms);
  const middle = [...pairs].sort((a, b) => a.ours_ms / a.floor_ms - b.ours_ms / b.floor_ms)[
    pairs.length >> 1
  ] as LargePair;
  row(
    `${o.scale.nodes.toLocaleString('en-US')} zero-duration nodes at 200 parallel, wall`,
    `activities ${spread(pairs.map((p) => p.floor_ms))} · local activities ${seconds(bigLocal.wallMs)}`,
    `${JUST_BEFORE}, ${LARGE_PAIRS} pairs (as many independent nodes): ${spread(pairs.map((p) => p.ours_ms))}, ` +
      `${round(median(ratios))}× the floor (pairs: ${ratios.map((r) => round(r)).join(', ')}); the median pair, ` +
      `this project: ${describeCpu(middle.ours_cpu, middle.ours_ms)}; the floor: ${describeCpu(middle.floor_cpu, middle.floor_ms)}`,
  );

  const ourMany = await concurrentRuns(h, { ...o.scale, seed: o.scheduling.seed });
  const began = performance.now();
  const many = await Promise.all(
    Array.from({ length: o.scale.concurrent }, () =>
      run({ count: o.scale.eachNodes, durationMs: 0, maxParallel: 10, root: false, local: false }),
    ),
  );
  const manyWall = performance.now() - began;
  const waits = distribution(many.flatMap((r) => r.steps.map((s) => s.startedAt - s.decidedAt)));
  row(
    `${o.scale.concurrent} concurrent × ${o.scale.eachNodes} at 10 parallel, schedule-to-start`,
    `${describe(waits)}, all in ${seconds(manyWall)}`,
    `${JUST_BEFORE} (layered DAGs, as section 5): ${brief(ourMany.scheduleToStart)}, all in ${seconds(ourMany.wallMs)}`,
  );

  const graphs = [];
  for (const size of o.scheduling.sizes) {
    const { graph, bound } = schedulingGraph(o.scheduling, size);
    const { durations, preds } = graph;
    graphs.push({
      nodes: size,
      ratio: (await floor.graph({ durations, preds, maxParallel: o.scheduling.maxParallel })) / bound,
    });
  }
  row(
    `section 2's graphs at max_parallel ${o.scheduling.maxParallel}, makespan ÷ lower bound`,
    graphs.map((g) => `${g.nodes} nodes ${round(g.ratio)}`).join(' · '),
    `longest remaining path first, as critical_path; this project (section 2): ${schedulingOf(report.data as Ours, o.scheduling.sizes)}`,
  );

  report.data['floor'] = {
    scheduling: graphs,
    chain: { nodes: o.chain, activities: chainSteps, local: chainLocal },
    fan_out: { width: o.fanOut, activities: fanSteps, local: fanLocal },
    throughput: { ...t, makespan_ms: wideSpan, local_makespan_ms: wideLocal, cpu: wide[2] },
    scale: { nodes: o.scale.nodes, pairs, local_wall_ms: bigLocal.wallMs },
    concurrent: { ...o.scale, schedule_to_start_ms: waits, wall_ms: manyWall },
    this_project_just_before: {
      chain: ourSteps,
      fan_out: ourFan.gaps,
      throughput: { makespan_ms: makespanMs(ourWide.status), cpu: ourWideCpu },
      concurrent: { schedule_to_start_ms: ourMany.scheduleToStart, wall_ms: ourMany.wallMs },
    },
  };
}

/** Section 2's figures, which this section compares its graphs with (absent when that section failed). */
interface Ours {
  readonly scheduling?: {
    runs: { nodes: number; scheduler?: string; ratio?: number; opentofu?: { ratio?: number } }[];
  };
}

/**
 * Each case but section 2's graphs is run by this project just before the floor runs it: this machine's speed varies
 * through the day by half, so figures from the sections before, minutes earlier, would be read against another hour.
 */
const JUST_BEFORE = 'this project, run just before';

/** How many times the large case runs, ours then the floor's. */
const LARGE_PAIRS = 3;

interface LargePair {
  readonly ours_ms: number;
  readonly floor_ms: number;
  readonly ours_cpu: CpuUse;
  readonly floor_cpu: CpuUse;
}

/** "12.1 s (11.9–12.4 s)": the median and the range. */
const spread = (values: readonly number[]): string =>
  `${seconds(median(values))} (${round(Math.min(...values) / 1000)}–${seconds(Math.max(...values))})`;

/** A chain's steps, local activities (no history events of their own): one step's end → the next one's start. */
const gaps = (steps: readonly Step[]): number[] =>
  steps.slice(1).map((s, i) => s.startedAt - (steps[i]?.endedAt ?? NaN));

/** A fan-out's children, local activities: the root's end → each child's start (the root is the first step). */
const fanGaps = (steps: readonly Step[]): number[] =>
  steps.slice(1).map((s) => s.startedAt - (steps[0]?.endedAt ?? NaN));

const makespan = (steps: readonly Step[]): number =>
  Math.max(...steps.map((s) => s.endedAt)) - Math.min(...steps.map((s) => s.startedAt));

/** Section 2's critical_path ratio for each size, and OpenTofu's where it ran. */
const schedulingOf = (ours: Ours, sizes: readonly number[]): string =>
  sizes
    .map((size) => {
      const runs = ours.scheduling?.runs.filter((r) => r.nodes === size) ?? [];
      const cp = runs.find((r) => r.scheduler === 'critical_path')?.ratio;
      const tofu = runs.find((r) => r.opentofu)?.opentofu?.ratio;
      return `${size} nodes ${cp === undefined ? 'not measured' : round(cp)}${tofu ? ` (OpenTofu ${round(tofu)})` : ''}`;
    })
    .join(' · ');

const seconds = (value: number | undefined): string =>
  value === undefined ? 'not measured' : `${round(value / 1000)} s`;

const brief = (d: Distribution | undefined): string => (d ? `p50 ${ms(d.p50)} · p95 ${ms(d.p95)}` : 'not measured');

const pair = (activities: Distribution, local: Distribution): string =>
  `activities ${brief(activities)} · local activities ${brief(local)}`;
