/**
 * 11. The Temporal floor: the cases of sections 1, 3 and 5 run by the least workflow that can run them
 * (bench/floor/workflow.ts: a loop of activities, no engine), on the same dev server with the same worker
 * settings (src/worker.ts's activityDispatch), and once more as local activities, which skip the server per
 * step. Beside each, this project's figure from its own section: the difference is the engine's cost, the
 * floor what any workflow of one Temporal activity per node pays on this machine.
 */
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { writeWorkflowBundle } from '../../src/runtime/workflow-bundle';
import { activityDispatch } from '../../src/worker';
import { uniqueId } from '../../support/temporal';
import { floorActivities } from '../floor/activities';
import type { floorGraphWorkflow, FloorGraphInput } from '../floor/graph-workflow';
import type { FloorInput, Step } from '../floor/workflow';
import { cpuDuring, describeCpu, type CpuUse } from '../lib/group-cpu';
import type { Harness } from '../lib/harness';
import type { Report } from '../lib/report';
import { breakdown, chainSteps as chainStepsOf, fanOutGaps, type HistoryEvent } from '../lib/step-phases';
import { describe, distribution, ms, round, type Distribution } from '../lib/stats';
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
  const connection = await NativeConnection.connect({ address: h.server.address });
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
    await worker.runUntil(measure(floorRuns, h.server.pid, report, o));
  } finally {
    await connection.close();
  }
}

async function measure(floor: Floor, serverPid: number | undefined, report: Report, o: FloorOptions): Promise<void> {
  const { run, history } = floor;
  const ours = report.data as Ours;
  /** The case with activities (and the CPU it used), then with local activities. */
  const both = async (input: Omit<FloorInput, 'local'>): Promise<[FloorRun, FloorRun, CpuUse]> => {
    const [activities, cpu] = await cpuDuring(serverPid, () => run({ ...input, local: false }));
    return [activities, await run({ ...input, local: true }), cpu];
  };
  const row = (metric: string, value: string, note: string): void => {
    report.rows.push({ section: SECTION, metric, value, note });
  };

  const chain = await both({ count: o.chain, durationMs: 0, maxParallel: 1, root: false });
  const chainSamples = chainStepsOf([await history(chain[0])], ACTIVITY);
  const chainSteps = distribution(chainSamples.map((s) => s.stepMs));
  const chainLocal = distribution(gaps(chain[1].steps));
  const oursChain = ours.step_latency?.chains.find((c) => c.nodes === o.chain)?.steps;
  row(
    `${o.chain}-node chain, per step`,
    pair(chainSteps, chainLocal),
    `activities ${breakdown(chainSamples)}; this project: ${brief(oursChain)}`,
  );

  const fan = await both({ count: o.fanOut, durationMs: 0, maxParallel: o.fanOut, root: true });
  const fanSteps = distribution(fanOutGaps(await history(fan[0]), ACTIVITY));
  const fanLocal = distribution(fanGaps(fan[1].steps));
  row(
    `fan-out 1 → ${o.fanOut}, root done → each child running`,
    pair(fanSteps, fanLocal),
    `this project: ${brief(ours.step_latency?.fan_out)}`,
  );

  const t = o.throughput;
  const wide = await both({ count: t.count, durationMs: t.durationMs, maxParallel: t.maxParallel, root: false });
  const [wideSpan, wideLocal] = [makespan(wide[0].steps), makespan(wide[1].steps)];
  row(
    `${t.count} × ${t.durationMs} ms at ${t.maxParallel} parallel, first start → last done`,
    `activities ${seconds(wideSpan)} · local activities ${seconds(wideLocal)}`,
    `this project: ${seconds(ours.throughput?.makespan_ms)}; ideal ${seconds((t.count * t.durationMs) / t.maxParallel)}; ` +
      `activities' ${describeCpu(wide[2], wide[0].wallMs)}`,
  );

  const big = await both({ count: o.scale.nodes, durationMs: 0, maxParallel: 200, root: false });
  row(
    `${o.scale.nodes.toLocaleString('en-US')} zero-duration nodes at 200 parallel, wall`,
    `activities ${seconds(big[0].wallMs)} · local activities ${seconds(big[1].wallMs)}`,
    `this project (a layered DAG of as many nodes, section 5): ${seconds(ours.scale?.large.wall_ms)}; ` +
      `activities' ${describeCpu(big[2], big[0].wallMs)}`,
  );

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
    `this project (layered DAGs, section 5): ${brief(ours.scale?.concurrent.schedule_to_start_ms)}, all in ${seconds(ours.scale?.concurrent.wall_ms)}`,
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
    `longest remaining path first, as critical_path; this project: ${schedulingOf(ours, o.scheduling.sizes)}`,
  );

  report.data['floor'] = {
    scheduling: graphs,
    chain: { nodes: o.chain, activities: chainSteps, local: chainLocal },
    fan_out: { width: o.fanOut, activities: fanSteps, local: fanLocal },
    throughput: { ...t, makespan_ms: wideSpan, local_makespan_ms: wideLocal, cpu: wide[2] },
    scale: { nodes: o.scale.nodes, wall_ms: big[0].wallMs, local_wall_ms: big[1].wallMs, cpu: big[2] },
    concurrent: { ...o.scale, schedule_to_start_ms: waits, wall_ms: manyWall },
  };
}

/** The figures of sections 1, 2, 3 and 5 this section compares with (absent when a section failed). */
interface Ours {
  readonly scheduling?: {
    runs: { nodes: number; scheduler?: string; ratio?: number; opentofu?: { ratio?: number } }[];
  };
  readonly step_latency?: { chains: { nodes: number; steps: Distribution }[]; fan_out: Distribution };
  readonly throughput?: { makespan_ms: number };
  readonly scale?: { large: { wall_ms: number }; concurrent: { wall_ms: number; schedule_to_start_ms: Distribution } };
}

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
