/**
 * 10. Workers on a cluster: what adding worker processes buys on this machine. On the local cluster
 * (`npm run cluster`'s topology: the Temporal server 1.29.1 on PostgreSQL), the throughput case and
 * several deployments at once, first with one worker process, then with three, on the same cores.
 * Needs `node scripts/setup.mjs --with-cluster` (run here; skipped with its reason when it fails).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startCluster, type Cluster } from '../../src/runtime/cluster/cluster';
import { clusterTools } from '../../src/runtime/cluster/cluster-tools';
import { dataConverter } from '../../src/temporal/compression-codec';
import { config } from '../../support/deployments';
import { independent } from '../lib/graphs';
import { coreSeconds, groupCpuSeconds } from '../lib/group-cpu';
import { runToEnd } from '../lib/harness';
import type { Report } from '../lib/report';
import { runSetup } from '../lib/setup-tools';
import { round } from '../lib/stats';

const SECTION = '10 workers on a cluster';
const TASK_QUEUE = 'bench-cluster';

/** CPU seconds each part of the cluster used during a measurement. */
interface Cpu {
  readonly temporal: number;
  readonly postgres: number;
  readonly workers: number;
}

interface Figures {
  readonly singleMs: number;
  readonly manyMs: number;
  /** Over both cases. */
  readonly cpu: Cpu;
}

export async function clusterWorkers(
  report: Report,
  o: { count: number; durationMs: number; maxParallel: number; deployments: number; eachNodes: number },
): Promise<void> {
  const failed = runSetup('--with-cluster');
  if (failed) {
    report.rows.push({ section: SECTION, metric: 'skipped', value: failed });
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'bench-cluster-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as user postgres, which must reach its folder
  const cluster = await startCluster({
    dir,
    tools: clusterTools(),
    workers: 3,
    apis: 0,
    apiPort: 0,
    temporalPort: 0,
    postgresPort: 0,
    namespace: 'default',
    retentionMs: 86_400_000,
    appEnv: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn', TASK_QUEUE },
  });
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const client = new Client({ connection, dataConverter });
  const single = () =>
    runToEnd(client, TASK_QUEUE, config(independent(o.count, o.durationMs).resources, { max_parallel: o.maxParallel }));
  const many = async () => {
    const began = performance.now();
    const each = config(independent(o.eachNodes, o.durationMs).resources, { max_parallel: 10 });
    await Promise.all(
      Array.from({ length: o.deployments }, (_, i) =>
        runToEnd(client, TASK_QUEUE, { ...each, deployment_id: `many-${i}` }),
      ),
    );
    return performance.now() - began;
  };
  const figures: Record<number, Figures> = {};
  try {
    await single(); // warm-up: the server's and the workers' first runs are slower
    for (const workers of [1, 3]) {
      for (let i = 1; i < 3; i += 1)
        if (workers === 1) await cluster.workers[i]?.child.stop('SIGTERM');
        else await cluster.restart('worker', i, 'SIGTERM');
      const before = cpuOf(cluster);
      const singleMs = (await single()).wallMs;
      const manyMs = await many();
      const after = cpuOf(cluster);
      figures[workers] = { singleMs, manyMs, cpu: since(before, after) };
    }
  } finally {
    await connection.close();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const [one, three] = [figures[1] as Figures, figures[3] as Figures];
  const s = (ms: number) => `${round(ms / 1000)} s`;
  report.data['cluster_workers'] = { ...o, one_worker: one, three_workers: three };
  report.rows.push(
    {
      section: SECTION,
      metric: `${o.count} × ${o.durationMs} ms at max_parallel ${o.maxParallel}, one deployment`,
      value: `1 worker ${s(one.singleMs)} · 3 workers ${s(three.singleMs)}`,
      note: `3 workers take ${round(three.singleMs / one.singleMs)}× the time of 1; Temporal 1.29.1 on PostgreSQL, the same 2 cores`,
    },
    {
      section: SECTION,
      metric: `${o.deployments} deployments × ${o.eachNodes} × ${o.durationMs} ms at once (max_parallel 10 each)`,
      value: `1 worker ${s(one.manyMs)} · 3 workers ${s(three.manyMs)}`,
      note: `3 workers take ${round(three.manyMs / one.manyMs)}× the time of 1`,
    },
    ...[one, three].map((f, i) => ({
      section: SECTION,
      metric: `CPU during both, ${i === 0 ? '1 worker' : '3 workers'}`,
      value: `Temporal ${round(f.cpu.temporal)} s · PostgreSQL ${round(f.cpu.postgres)} s · workers ${round(f.cpu.workers)} s`,
      note: `${coreSeconds(f.singleMs + f.manyMs)} (cores × wall)`,
    })),
  );
}

/** CPU seconds so far: the Temporal server, PostgreSQL (with its backends), the worker processes running now. */
function cpuOf(cluster: Cluster): Cpu {
  const workers = cluster.workers.filter((w) => w.child.running()).map((w) => w.child.pid);
  const [temporal, postgres] = [cluster.temporal().child.pid, cluster.postgres().child.pid];
  const used = groupCpuSeconds([temporal, postgres, ...workers]);
  const of = (pid: number) => used.get(pid) ?? 0;
  return { temporal: of(temporal), postgres: of(postgres), workers: workers.reduce((sum, pid) => sum + of(pid), 0) };
}

const since = (before: Cpu, after: Cpu): Cpu => ({
  temporal: after.temporal - before.temporal,
  postgres: after.postgres - before.postgres,
  workers: after.workers - before.workers,
});
