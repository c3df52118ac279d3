/**
 * 1. Step latency: from a node's predecessor completing to the node's activity starting, on chains
 * of zero-duration core:delay nodes of growing size (the cost of one step must not grow with the
 * graph), after a first chain that warms the worker up (reported apart), read from the run's
 * Temporal history with where the time goes (bench/lib/step-phases.ts);
 * the same chain on Temporal's default server settings, to show what src/runtime/server-tuning.ts
 * buys; and a wide fan-out, from its history (the root's activity done → each child's running). With the peer,
 * OpenTofu walks the same chains (`true` for each node) and its gap between nodes is shown beside.
 */
import { resolveTemporalCli } from '../../src/runtime/temporal-cli';
import { startDevServer } from '../../src/runtime/dev-server';
import { config } from '../../support/deployments';
import { startTestWorker, testClient } from '../../support/temporal';
import { chain } from '../lib/graphs';
import { runToEnd, type Harness } from '../lib/harness';
import type { Report } from '../lib/report';
import { describe, distribution, ms, type Distribution } from '../lib/stats';
import { chainRun, fanOutRun } from '../lib/ours';
import { breakdown, chainSteps, fullHistory, phaseMedians, type StepSample } from '../lib/step-phases';
import { missed, tofuApply } from '../peers/opentofu';

export interface StepOptions {
  readonly chains: readonly number[];
  readonly fanOut: number;
  /** Chain length run once more on a dev server with Temporal's default settings. */
  readonly untunedChain: number;
}

const SECTION = '1 step latency';

export async function stepLatency(h: Harness, report: Report, o: StepOptions, tofu: string | null): Promise<void> {
  const warmUp = await firstChain(h, report);
  const chains: Record<string, unknown>[] = [];
  for (const size of o.chains) {
    const { run, samples } = await chainRun(h, size);
    const steps = distribution(samples.map((s) => s.stepMs));
    const peer = tofu ? await tofuSteps(tofu, size) : undefined;
    chains.push({ nodes: size, wall_ms: run.wallMs, steps, phases: phaseMedians(samples), opentofu: peer ?? null });
    report.rows.push({
      section: SECTION,
      metric: `${size}-node chain, per step`,
      value: describe(steps),
      note: `${breakdown(samples)}${peerNote(peer)}`,
    });
  }

  const untuned = await untunedSteps(o.untunedChain);
  report.rows.push({
    section: SECTION,
    metric: `${o.untunedChain}-node chain on Temporal's default server settings`,
    value: describe(distribution(untuned.map((s) => s.stepMs))),
    note: `what src/runtime/server-tuning.ts saves per step; ${breakdown(untuned)}`,
  });

  const { run: wide, gaps: fan } = await fanOutRun(h, o.fanOut);
  report.rows.push({
    section: SECTION,
    metric: `fan-out 1 → ${o.fanOut}`,
    value: describe(fan),
    note: `max_parallel ${o.fanOut}; the root's activity done → each child's activity running, from history`,
  });
  report.data['step_latency'] = {
    warm_up: warmUp,
    chains,
    untuned: {
      nodes: o.untunedChain,
      steps: distribution(untuned.map((s) => s.stepMs)),
      phases: phaseMedians(untuned),
    },
    fan_out: { width: o.fanOut, wall_ms: wide.wallMs, ...fan },
  };
}

/** The length of the chain a fresh worker walks first. */
const WARM_UP_CHAIN = 100;

/**
 * The worker's first chain: its first workflow tasks and activities, which V8 compiles as they run. As the bench's
 * first case, the 10-node chain measured this warm-up (its p95, the slowest of 9 steps, 20-55 ms between samples;
 * 16-21 ms on a warm worker, 2026-12-05), so a chain runs before the measured ones and is reported on a row of its own.
 */
async function firstChain(h: Harness, report: Report): Promise<Record<string, unknown>> {
  const { run, samples } = await chainRun(h, WARM_UP_CHAIN);
  const steps = distribution(samples.map((s) => s.stepMs));
  report.rows.push({
    section: SECTION,
    metric: `${WARM_UP_CHAIN}-node chain on a fresh worker, per step (warm-up)`,
    value: describe(steps),
    note: `the worker's first workflow tasks, before the chains below and not in their figures; ${breakdown(samples)}`,
  });
  return { nodes: WARM_UP_CHAIN, wall_ms: run.wallMs, steps };
}

/**
 * OpenTofu's chains stop at this length: on a 10,000-node chain it ran over 6 minutes and grew past
 * 7 GB without finishing (2026-12-02, docs/measurement.md).
 */
const PEER_CHAIN_MAX = 1_000;

/** The gap between one node completing and the next starting, OpenTofu walking a chain of `true`; or why there is none. */
async function tofuSteps(tofu: string, size: number): Promise<Distribution | string> {
  if (size > PEER_CHAIN_MAX) return `not run above ${PEER_CHAIN_MAX.toLocaleString('en-US')} nodes`;
  const run = await tofuApply(tofu, chain(size), 10);
  if (missed(run)) return run.missed;
  return distribution(run.startedAt.slice(1).map((at, i) => at - (run.completedAt[i] ?? NaN)));
}

const peerNote = (peer: Distribution | string | undefined): string => {
  if (peer === undefined) return '';
  if (typeof peer === 'string') return ` · OpenTofu: ${peer}`;
  return ` · OpenTofu p50 ${ms(peer.p50)} · p95 ${ms(peer.p95)}`;
};

/** A chain on a dev server of its own with none of server-tuning.ts's settings. */
async function untunedSteps(size: number): Promise<StepSample[]> {
  const server = await startDevServer({ cliPath: resolveTemporalCli(), uiPort: null, dynamicConfig: {} });
  try {
    const worker = await startTestWorker({ address: server.address });
    const connected = await testClient(server.address);
    try {
      const run = await runToEnd(
        connected.client,
        worker.taskQueue,
        config(chain(size).resources, { max_parallel: 10 }),
      );
      return chainSteps(await fullHistory(connected.client, run.handle, run.runKey));
    } finally {
      await worker.stop();
      await connected.close();
    }
  } finally {
    await server.stop();
  }
}
