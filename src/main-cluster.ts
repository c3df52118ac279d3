/**
 * `npm run cluster`: docker-compose.yml's topology as processes on this machine: PostgreSQL (data in
 * DATA_DIR/cluster/postgres), the Temporal server on it, N workers and M API instances sharing one
 * service key. Ctrl-C or SIGTERM stops the APIs, then the workers (drained), then Temporal, then
 * PostgreSQL; a second Ctrl-C exits at once, and what it left running is stopped by the next
 * start (leftovers.ts). `npm run cluster -- --help` lists the options.
 */
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadEnv } from './config/env';
import { startCluster, type Cluster } from './runtime/cluster/cluster';
import { clusterTools } from './runtime/cluster/cluster-tools';

const count = (max: number) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
  return n;
};
const port = (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('must be a port, 0 to 65535 (0: any free one)');
  return n;
};

let cluster: Cluster | undefined;
let stopping = false;

async function main(): Promise<void> {
  const env = loadEnv();
  const options = new Command('npm run cluster --')
    .description(
      "docker-compose.yml's topology as local processes: PostgreSQL, the Temporal server, workers and API instances",
    )
    .option('--workers <n>', 'worker processes', count(16), 3)
    .option('--apis <n>', 'API instances, on consecutive ports from --api-port', count(8), 2)
    .option('--api-port <port>', 'the first API instance’s port (default: PORT)', port, env.PORT)
    .option(
      '--temporal-port <port>',
      'the Temporal frontend’s gRPC port (default: TEMPORAL_PORT)',
      port,
      env.TEMPORAL_PORT,
    )
    .option('--postgres-port <port>', 'PostgreSQL’s port on 127.0.0.1 (0: any free one)', port, 0)
    .parse()
    .opts<{ workers: number; apis: number; apiPort: number; temporalPort: number; postgresPort: number }>();
  const dir = join(env.DATA_DIR, 'cluster');
  console.log(
    `starting PostgreSQL, the Temporal server, ${options.workers} worker(s) and ${options.apis} API instance(s)…`,
  );
  cluster = await startCluster({
    dir,
    tools: clusterTools(),
    ...options,
    namespace: env.TEMPORAL_NAMESPACE,
    retentionMs: env.RUN_RETENTION,
    appEnv: { ...process.env, DATA_DIR: env.DATA_DIR },
    onLine: (name, line) => console.log(`${name.padEnd(9)} | ${line}`),
  });
  if (cluster.leftoversStopped.length)
    console.log(`stopped ${cluster.leftoversStopped.join(', ')}, left running by an earlier start that was killed`);
  for (const part of [cluster.postgres().child, cluster.temporal().child, ...cluster.workers.map((w) => w.child)])
    void part.exited.then((how) => !stopping && console.error(`${part.name} exited (${how})`));
  console.log(
    [
      `PostgreSQL    127.0.0.1:${cluster.postgres().port} (data and log in ${join(dir, 'postgres')})`,
      `Temporal      ${cluster.temporalAddress} (namespace ${env.TEMPORAL_NAMESPACE}; log ${cluster.temporal().logFile})`,
      `Workers       ${cluster.workers.map((w) => w.name).join(', ')} on task queue ${env.TASK_QUEUE}`,
      ...cluster.apiUrls.map((url, i) => `API ${i + 1}         ${url} (dashboard ${url}/ui)`),
      'Ctrl-C stops everything, in order.',
    ].join('\n'),
  );
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    console.error(`${signal} again: exiting now (processes still stopping are left running)`);
    process.exit(130);
  }
  stopping = true;
  console.log(`${signal}: stopping the APIs, the workers, Temporal and PostgreSQL (repeat to force)…`);
  void (cluster?.stop((part) => console.log(`stopped ${part}`)) ?? Promise.resolve()).then(
    () => {
      console.log('stopped');
      process.exit(0);
    },
    (err: unknown) => {
      console.error(`stopping failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError
      ? err.message
      : `cluster start failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
