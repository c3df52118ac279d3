/**
 * Deployments on a test cluster, through its REST API (whichever instance answers): many applied
 * at once, waited for, and their effects read from core:delay's ledger.
 */
import { layeredDag } from '../../../bench/lib/graphs';
import { correct, outcomeOf, type Outcome } from '../../../bench/lib/outcome';
import { rng } from '../../../bench/lib/prng';
import { isFinished, type RunStatus } from '../../../src/model/run-types';
import { delay } from '../../../support/deployments';
import type { ClusterBed } from './cluster-bed';

export interface Started {
  readonly deploymentId: string;
  readonly runId: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long nodes take and how many run at once; by default 100–400 ms (10% 0.8–1.5 s), 10 at once. `gated`: two
 * more nodes, `gate` (behind a pause edge from the first node) and `after-gate`, so the run stays unfinished, however
 * fast its other nodes go, until `continueGates` lets it on.
 */
export interface Pace {
  readonly shortMs: [number, number];
  readonly longMs: [number, number];
  readonly maxParallel: number;
  readonly gated?: boolean;
}

const GATE = 'gate';
const gateNodes = {
  [GATE]: delay({ duration_ms: 200 }, { depends_on: [{ resource: 'n0', edge: 'pause' }] }),
  'after-gate': delay({ duration_ms: 200 }, { depends_on: [GATE] }),
};

export const BRISK: Pace = { shortMs: [100, 400], longMs: [800, 1_500], maxParallel: 10 };

/** `count` seeded layered DAGs of `nodes` core:delay nodes, applied at once. */
export async function applyMany(
  bed: ClusterBed,
  prefix: string,
  count: number,
  nodes: number,
  pace: Pace = BRISK,
): Promise<Started[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const graph = layeredDag(rng(1_000 + i), nodes, pace.shortMs, pace.longMs);
      const deploymentId = `${prefix}-${i}`;
      const config = {
        deployment_id: deploymentId,
        version: 'v1',
        resources: pace.gated ? { ...graph.resources, ...gateNodes } : graph.resources,
        settings: {
          max_parallel: pace.maxParallel,
          heartbeat_timeout: '3s',
          retry: { max_attempts: 30, initial_interval: '200ms', max_interval: '2s', backoff: 2 },
        },
      };
      const answer = await bed.api().post('/deploy/apply', { config });
      if (answer.status !== 202)
        throw new Error(`apply ${deploymentId}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return { deploymentId, runId: answer.body.run_id as string };
    }),
  );
}

const status = async (bed: ClusterBed, run: Started): Promise<RunStatus> => {
  const answer = await bed.api().get(`/deploy/status/${run.deploymentId}?run_id=${run.runId}`);
  if (answer.status !== 200)
    throw new Error(`status of ${run.deploymentId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as RunStatus;
};

/** How many of the runs are unfinished: a fault must land on work in flight to prove anything. */
export async function inFlight(bed: ClusterBed, runs: readonly Started[]): Promise<number> {
  const statuses = await Promise.all(runs.map((run) => status(bed, run)));
  return statuses.filter((s) => !isFinished(s.status)).length;
}

/** Continues each gated run once its gate is paused (its first node done), as an operator would. */
export async function continueGates(bed: ClusterBed, runs: readonly Started[], withinMs = 120_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (const run of runs) {
    for (;;) {
      const seen = await status(bed, run);
      if (seen.nodes.some((n) => n.resource_id === GATE && n.status === 'paused')) break;
      if (Date.now() > deadline) throw new Error(`${run.deploymentId}: ${GATE} never paused;\n${bed.tail()}`);
      await sleep(500);
    }
    const answer = await bed.api().post('/deploy/continue', { deployment_id: run.deploymentId, run_id: run.runId });
    if (answer.status !== 200)
      throw new Error(`continue ${run.deploymentId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

/** Waits for every run to end; returns each run's effects. */
export async function outcomes(bed: ClusterBed, runs: readonly Started[], withinMs = 600_000): Promise<Outcome[]> {
  const deadline = Date.now() + withinMs;
  const results: Outcome[] = [];
  for (const run of runs) {
    for (;;) {
      const seen = await status(bed, run);
      if (isFinished(seen.status)) {
        results.push(await outcomeOf(bed.ledger, run.runId, seen));
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`${run.deploymentId} still ${seen.status} (${JSON.stringify(seen.counts)});\n${bed.tail()}`);
      await sleep(1_000);
    }
  }
  return results;
}

/** Runs correct (completed, each node applied once) and every effect that was not. */
export const summary = (all: readonly Outcome[]) => ({
  runs: all.length,
  correct: all.filter(correct).length,
  duplicated: all.flatMap((o) => o.duplicated),
  orphans: all.flatMap((o) => o.orphans),
  lost: all.flatMap((o) => o.lost),
});
