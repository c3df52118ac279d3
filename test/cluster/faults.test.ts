/**
 * The multi-machine topology (docker-compose.yml's) run natively by src/runtime/cluster, under
 * faults: 3 workers and 2 API instances on a Temporal server backed by PostgreSQL. Deployments go
 * through the REST API of whichever instance answers (a client failing over, as behind a load
 * balancer); effects are counted in core:delay's ledger, each node must be applied exactly once.
 */
import type { RunStatus } from '../../src/model/run-types';
import { useCluster } from './helpers/cluster-bed';
import { applyMany, BRISK, continueGates, inFlight, outcomes, sleep, summary } from './helpers/runs';

const bed = useCluster({ workers: 3, apis: 2 });

it('completes 20 concurrent 50-node deployments while a worker and an API instance are SIGKILLed and the Temporal server restarts', async () => {
  // Gated: every run waits at its gate until the faults are over, however fast this machine goes.
  const runs = await applyMany(bed, 'faults', 20, 50, { ...BRISK, gated: true });
  await sleep(3_000);
  const unfinished: number[] = [await inFlight(bed, runs)];
  await bed.cluster().restart('worker', 0, 'SIGKILL');
  await sleep(2_000);
  // The API instance is killed and stays down: the client's calls go to the other one.
  await bed.cluster().apis[0]?.child.stop('SIGKILL');
  const failoversBefore = bed.api().failovers;
  await sleep(2_000);
  unfinished.push(await inFlight(bed, runs));
  await bed.cluster().restartTemporal();
  await continueGates(bed, runs);
  const all = await outcomes(bed, runs);
  expect(summary(all)).toEqual({ runs: 20, correct: 20, duplicated: [], orphans: [], lost: [] });
  expect(all.every((o) => o.nodes === 50 + 2)).toBe(true); // the DAG and the gate's two
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
  const runs = await applyMany(bed, 'pg-restart', 5, 50, { ...BRISK, gated: true });
  await sleep(3_000);
  expect(await inFlight(bed, runs)).toBeGreaterThan(0);
  await bed.cluster().restartPostgres(5_000);
  await continueGates(bed, runs);
  const all = await outcomes(bed, runs);
  expect(summary(all)).toEqual({ runs: 5, correct: 5, duplicated: [], orphans: [], lost: [] });
});
