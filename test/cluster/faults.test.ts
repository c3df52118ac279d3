/**
 * The multi-machine topology (docker-compose.yml's) run natively by src/runtime/cluster, under
 * faults: 3 workers and 2 API instances on a Temporal server backed by PostgreSQL. Deployments go
 * through the REST API of whichever instance answers (a client failing over, as behind a load
 * balancer); effects are counted in core:delay's ledger, each node must be applied exactly once.
 */
import { layeredDag } from '../../bench/lib/graphs';
import { correct, outcomeOf, type Outcome } from '../../bench/lib/outcome';
import { rng } from '../../bench/lib/prng';
import type { RunStatus } from '../../src/model/run-types';
import { useCluster } from './helpers/cluster-bed';

const bed = useCluster({ workers: 3, apis: 2 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Started {
  readonly deploymentId: string;
  readonly runId: string;
}

async function applyMany(prefix: string, count: number, nodes: number): Promise<Started[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const graph = layeredDag(rng(1_000 + i), nodes, [100, 400], [800, 1_500]);
      const deploymentId = `${prefix}-${i}`;
      const config = {
        deployment_id: deploymentId,
        version: 'v1',
        resources: graph.resources,
        settings: {
          max_parallel: 10,
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

/** Waits for every run to end, reading its status from any API instance; returns each run's effects. */
async function outcomes(runs: readonly Started[], withinMs: number): Promise<Outcome[]> {
  const deadline = Date.now() + withinMs;
  const results: Outcome[] = [];
  for (const run of runs) {
    for (;;) {
      const answer = await bed.api().get(`/deploy/status/${run.deploymentId}?run_id=${run.runId}`);
      expect(answer.status).toBe(200);
      const status = answer.body as RunStatus;
      if (!['running', 'pending', 'paused'].includes(status.status)) {
        results.push(await outcomeOf(bed.ledger, run.runId, status));
        break;
      }
      if (Date.now() > deadline)
        throw new Error(
          `${run.deploymentId} still ${status.status} (${JSON.stringify(status.counts)});\n${bed.tail()}`,
        );
      await sleep(1_000);
    }
  }
  return results;
}

/** How many of the runs are still unfinished: a fault must land on work in flight to prove anything. */
async function inFlight(runs: readonly Started[]): Promise<number> {
  const answers = await Promise.all(
    runs.map((run) => bed.api().get(`/deploy/status/${run.deploymentId}?run_id=${run.runId}`)),
  );
  return answers.filter((a) => ['running', 'pending'].includes((a.body as RunStatus).status)).length;
}

const summary = (all: readonly Outcome[]) => ({
  runs: all.length,
  correct: all.filter(correct).length,
  duplicated: all.flatMap((o) => o.duplicated),
  orphans: all.flatMap((o) => o.orphans),
  lost: all.flatMap((o) => o.lost),
});

it('completes 20 concurrent 50-node deployments while a worker and an API instance are SIGKILLed and the Temporal server restarts', async () => {
  const runs = await applyMany('faults', 20, 50);
  await sleep(3_000);
  const unfinished: number[] = [await inFlight(runs)];
  await bed.cluster().restart('worker', 0, 'SIGKILL');
  await sleep(2_000);
  // The API instance is killed and stays down: the client's calls go to the other one.
  await bed.cluster().apis[0]?.child.stop('SIGKILL');
  const failoversBefore = bed.api().failovers;
  await sleep(2_000);
  unfinished.push(await inFlight(runs));
  await bed.cluster().restartTemporal();
  const all = await outcomes(runs, 600_000);
  expect(summary(all)).toEqual({ runs: 20, correct: 20, duplicated: [], orphans: [], lost: [] });
  expect(all.every((o) => o.nodes === 50)).toBe(true);
  expect(bed.api().failovers).toBeGreaterThan(failoversBefore);
  expect(unfinished.every((n) => n > 0)).toBe(true);

  // Every run's status still answers, from the surviving instance and from the one started again.
  await bed.cluster().restart('api', 0, 'SIGKILL');
  for (const url of bed.cluster().apiUrls)
    for (const run of runs) {
      const response = await fetch(`${url}/deploy/status/${run.deploymentId}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as RunStatus).status).toBe('completed');
    }
});

it('pauses runs while PostgreSQL is down and finishes them after, nothing lost or repeated', async () => {
  const runs = await applyMany('pg-restart', 5, 50);
  await sleep(3_000);
  expect(await inFlight(runs)).toBeGreaterThan(0);
  await bed.cluster().restartPostgres(5_000);
  const all = await outcomes(runs, 600_000);
  expect(summary(all)).toEqual({ runs: 5, correct: 5, duplicated: [], orphans: [], lost: [] });
});
