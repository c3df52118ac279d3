/**
 * The topology of docker-compose.yml on this machine, without containers: PostgreSQL, the Temporal
 * server on it, N workers and M API instances, each its own process. Started in dependency order
 * and stopped in reverse (APIs, workers, Temporal, PostgreSQL). Each part can be killed and
 * restarted on its own, which is how test/cluster exercises faults.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freePort } from '../free-port';
import { PROJECT_ROOT } from '../temporal-cli';
import { startAppProcess, type AppKind, type AppProcess } from './app-process';
import { prepareNamespace } from './namespace';
import { startPostgres, type Postgres } from './postgres';
import { serverPorts, type ServerPorts } from './server-config';
import { setupSchemas, startTemporalServer, type TemporalServer } from './temporal-server';

export interface ClusterOptions {
  /** Holds postgres/, temporal/ and the workflow bundle (the cluster's state survives a restart). */
  readonly dir: string;
  readonly tools: { readonly postgresBin: string; readonly temporalServer: string; readonly sqlTool: string };
  readonly workers: number;
  readonly apis: number;
  /** The first API's port (the next ones follow); 0 picks free ones. */
  readonly apiPort: number;
  /** The Temporal frontend's port; 0 picks a free one. */
  readonly temporalPort: number;
  /** PostgreSQL's port; 0 picks a free one. */
  readonly postgresPort: number;
  readonly namespace: string;
  readonly retentionMs: number;
  /** The environment every worker and API gets (the cluster sets TEMPORAL_ADDRESS and WORKFLOW_BUNDLE_PATH on it). */
  readonly appEnv: NodeJS.ProcessEnv;
  readonly onLine?: ((name: string, line: string) => void) | undefined;
}

export interface Cluster {
  readonly temporalAddress: string;
  readonly apiUrls: readonly string[];
  readonly postgres: () => Postgres;
  readonly temporal: () => TemporalServer;
  readonly workers: AppProcess[];
  readonly apis: AppProcess[];
  /** Stops (SIGKILL: a crash; SIGTERM: a clean stop) and starts again the worker or API at `index` (0-based). */
  restart(kind: AppKind, index: number, signal?: NodeJS.Signals, env?: NodeJS.ProcessEnv): Promise<AppProcess>;
  /** Stops the Temporal server (SIGTERM, or SIGKILL) and starts it again on the same ports and database. */
  restartTemporal(signal?: NodeJS.Signals): Promise<void>;
  /** Stops PostgreSQL, waits `downMs`, starts it again on the same port and data. */
  restartPostgres(downMs?: number): Promise<void>;
  /** APIs, then workers, then Temporal, then PostgreSQL. */
  stop(): Promise<void>;
}

const quiet = { info() {}, warn() {}, debug() {}, trace() {}, log() {}, error: console.error };

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const pgDir = join(options.dir, 'postgres');
  const serverDir = join(options.dir, 'temporal');
  for (const dir of [pgDir, serverDir]) mkdirSync(dir, { recursive: true });
  const postgresPort = options.postgresPort || (await freePort());
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    let postgres = await startPostgres({ bin: options.tools.postgresBin, dir: pgDir, port: postgresPort });
    started.push({ stop: () => postgres.stop() });
    const ports: ServerPorts = await serverPorts(options.temporalPort);
    const serverOptions = () => ({
      serverBin: options.tools.temporalServer,
      sqlTool: options.tools.sqlTool,
      dir: serverDir,
      ports,
      postgres: { port: postgres.port, user: postgres.user, password: postgres.password },
      dynamicConfigFile: join(PROJECT_ROOT, 'deploy', 'temporal-dynamic-config.yaml'),
    });
    await setupSchemas(serverOptions());
    let temporal = await startTemporalServer(serverOptions());
    started.push({ stop: () => temporal.stop() });
    await prepareNamespace(temporal.address, options.namespace, options.retentionMs);

    const bundlePath = join(options.dir, 'workflow-bundle.js');
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: quiet as never,
    });
    writeFileSync(bundlePath, bundle.code);
    const appEnv = { ...options.appEnv, TEMPORAL_ADDRESS: temporal.address, WORKFLOW_BUNDLE_PATH: bundlePath };
    const apiPorts = await Promise.all(
      Array.from({ length: options.apis }, (_, i) => (options.apiPort ? options.apiPort + i : freePort())),
    );
    const start = (kind: AppKind, index: number, env: NodeJS.ProcessEnv = appEnv) =>
      startAppProcess({ kind, index: index + 1, env, port: apiPorts[index], onLine: options.onLine });
    const workers: AppProcess[] = [];
    const apis: AppProcess[] = [];
    started.push({ stop: () => stopAll(workers) }, { stop: () => stopAll(apis) });
    for (let i = 0; i < options.workers; i++) workers.push(await start('worker', i));
    for (let i = 0; i < options.apis; i++) apis.push(await start('api', i));

    return {
      temporalAddress: temporal.address,
      apiUrls: apis.map((api) => api.url as string),
      postgres: () => postgres,
      temporal: () => temporal,
      workers,
      apis,
      async restart(kind, index, signal = 'SIGKILL', env = appEnv) {
        const list = kind === 'worker' ? workers : apis;
        await list[index]?.child.stop(signal);
        const next = await start(kind, index, env);
        list[index] = next;
        return next;
      },
      async restartTemporal(signal = 'SIGTERM') {
        await temporal.child.stop(signal);
        temporal = await startTemporalServer(serverOptions());
      },
      async restartPostgres(downMs = 0) {
        await postgres.stop();
        await new Promise((resolve) => setTimeout(resolve, downMs));
        postgres = await startPostgres({ bin: options.tools.postgresBin, dir: pgDir, port: postgresPort });
      },
      stop: () => stopInReverse(started),
    };
  } catch (err) {
    await stopInReverse(started);
    throw err;
  }
}

async function stopAll(processes: readonly AppProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.child.stop('SIGTERM')));
}

async function stopInReverse(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  for (const part of started.reverse()) await part.stop();
}
