/**
 * `npm run bench [-- --quick] [-- --seed N] [-- --peer opentofu]`: items 1–9 and 11 of the benchmark on a
 * private Temporal dev server and worker, with OpenTofu beside it on the same graphs when asked for
 * (and in the full profile when it can be built), and item 10 on a local cluster (Temporal on
 * PostgreSQL, 1 then 3 worker processes); writes bench/results/<timestamp>-bench.{json,md}
 * and prints the table.
 */
import { clusterWorkers } from './suites/cluster-workers';
import { dashboardRender } from './suites/dashboard-render';
import { deploymentReads } from './suites/deployment-reads';
import { floor } from './suites/floor';
import { memory } from './suites/memory';
import { planLatency } from './suites/plan-latency';
import { planUnderLoad } from './suites/plan-under-load';
import { scale } from './suites/scale';
import { scheduling } from './suites/scheduling';
import { stepLatency } from './suites/step-latency';
import { throughput } from './suites/throughput';
import { measured, parseArgs, runMeta, runScript, section } from './lib/args';
import { startHarness } from './lib/harness';
import { resolvePeer, tofuOf } from './peers/peer';
import { newReport, writeReport } from './lib/report';

const PROFILES = {
  quick: {
    step: { chains: [10, 100], fanOut: 50, untunedChain: 60 },
    scheduling: {
      sizes: [100, 300],
      maxParallel: 10,
      shortMs: [5, 40] as [number, number],
      longMs: [100, 300] as [number, number],
    },
    throughput: { count: 200, durationMs: 50, maxParallel: 50 },
    plan: { sizes: [1_000, 10_000], repeats: 3 },
    scale: { nodes: 1_000, concurrent: 10, eachNodes: 50 },
    memory: { count: 20, nodesEach: 10 },
    reads: { deployments: 200, reads: 30 },
    planLoad: { alone: 3, clients: 2, rounds: 3 },
    dashboard: {
      nodes: 1_000,
      opens: 3,
      maxParallel: 20,
      shortMs: [20, 200] as [number, number],
      longMs: [500, 1_500] as [number, number],
    },
    cluster: { count: 200, durationMs: 50, maxParallel: 50, deployments: 5, eachNodes: 40 },
  },
  full: {
    step: { chains: [10, 100, 1_000, 10_000], fanOut: 200, untunedChain: 200 },
    scheduling: {
      sizes: [100, 1_000, 5_000],
      maxParallel: 10,
      shortMs: [10, 100] as [number, number],
      longMs: [300, 1_000] as [number, number],
    },
    throughput: { count: 1_000, durationMs: 50, maxParallel: 50 },
    plan: { sizes: [1_000, 10_000], repeats: 7 },
    scale: { nodes: 10_000, concurrent: 50, eachNodes: 100 },
    memory: { count: 100, nodesEach: 10 },
    reads: { deployments: 1_000, reads: 100 },
    planLoad: { alone: 5, clients: 2, rounds: 5 },
    dashboard: {
      nodes: 1_000,
      opens: 5,
      maxParallel: 20,
      shortMs: [50, 500] as [number, number],
      longMs: [1_000, 3_000] as [number, number],
    },
    cluster: { count: 1_000, durationMs: 50, maxParallel: 50, deployments: 10, eachNodes: 100 },
  },
};

async function main(): Promise<void> {
  const args = parseArgs();
  const p = args.quick ? PROFILES.quick : PROFILES.full;
  const began = performance.now();
  const report = newReport();
  const peer = await section('peer: OpenTofu', () => resolvePeer(args));
  const tofu = tofuOf(peer);
  if ('skipped' in peer) report.notes.push(`OpenTofu peer skipped: ${peer.skipped}`);
  await section('4 plan latency', () => planLatency(report, { ...p.plan, seed: args.seed }));
  const h = await section('start Temporal dev server, bundle, worker', () => startHarness());
  try {
    await measured(report, '1 step latency', () => stepLatency(h, report, p.step, tofu));
    await measured(report, '2 scheduling quality', () =>
      scheduling(h, report, { ...p.scheduling, seed: args.seed }, tofu),
    );
    await measured(report, '3 throughput', () => throughput(h, report, p.throughput, tofu));
    await measured(report, '5 scale', () => scale(h, report, { ...p.scale, seed: args.seed }));
    await measured(report, '6 memory', () => memory(h, report, p.memory));
    await measured(report, '7 deployment reads', () => deploymentReads(h, report, p.reads));
    await measured(report, '8 plan under load', () => planUnderLoad(h, report, p.planLoad));
    await measured(report, '9 dashboard', () => dashboardRender(h, report, { ...p.dashboard, seed: args.seed }));
    const floorChain = Math.max(...p.step.chains.filter((n) => n <= 1_000));
    await measured(report, '11 Temporal floor', () =>
      floor(h, report, {
        chain: floorChain,
        fanOut: p.step.fanOut,
        throughput: p.throughput,
        scale: p.scale,
        scheduling: { ...p.scheduling, seed: args.seed },
      }),
    );
  } finally {
    await h.stop();
  }
  await measured(report, '10 workers on a cluster', () => clusterWorkers(report, p.cluster));
  await writeReport('bench', report, {
    ...runMeta(args, began),
    peer: tofu ? `OpenTofu ${tofu}` : `none (${'skipped' in peer ? peer.skipped : ''})`,
  });
}

runScript(main);
