/**
 * One local cluster for a test file (src/runtime/cluster: PostgreSQL, the Temporal server built
 * from source, workers and API instances as their own processes), in a fresh folder, with
 * core:delay's effect ledger on. Every process's output goes to cluster.log there; a failing test
 * shows its end. The folder (PostgreSQL's data among it, about 85 MB) is removed once the cluster has stopped.
 */
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster, type ClusterOptions } from '../../../src/runtime/cluster/cluster';
import { clusterTools } from '../../../src/runtime/cluster/cluster-tools';
import { AnyApi } from './any-api';

export interface ClusterBed {
  readonly cluster: () => Cluster;
  readonly api: () => AnyApi;
  readonly ledger: string;
  readonly dir: string;
  /** The last `lines` lines the cluster's processes printed. */
  tail(lines?: number): string;
}

/** `prepare` runs first, in the cluster's folder: what it returns is given to the cluster (an older workflow bundle, say). */
export function useCluster(
  counts: { workers: number; apis: number },
  prepare?: (dir: string) => Promise<Partial<Pick<ClusterOptions, 'workflowBundlePath'>>>,
): ClusterBed {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-test-'));
  chmodSync(dir, 0o755); // run as root, PostgreSQL runs as user postgres, which must reach its folder
  const ledger = join(dir, 'ledger');
  const log = join(dir, 'cluster.log');
  let cluster: Cluster | undefined;
  let api: AnyApi | undefined;

  beforeAll(async () => {
    const prepared = (await prepare?.(dir)) ?? {};
    cluster = await startCluster({
      ...prepared,
      dir,
      tools: clusterTools(),
      ...counts,
      apiPort: 0,
      temporalPort: 0,
      postgresPort: 0,
      namespace: 'default',
      retentionMs: 86_400_000,
      appEnv: { ...process.env, DATA_DIR: dir, LEDGER_DIR: ledger, LOG_LEVEL: 'warn', TASK_QUEUE: 'deployments' },
      onLine: (name, line) => appendFileSync(log, `${name} | ${line}\n`),
    });
    const started = cluster;
    api = new AnyApi(() => started.apis.map((a) => a.url as string));
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  return {
    cluster: () => must(cluster, 'cluster'),
    api: () => must(api, 'api'),
    ledger,
    dir,
    tail(lines = 60) {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      return text.split('\n').slice(-lines).join('\n');
    },
  };
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the cluster bed's ${what} is not ready (beforeAll failed?)`);
  return value;
}
