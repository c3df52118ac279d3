/**
 * The topology of docker-compose.yml on this machine, without containers: PostgreSQL, the Temporal
 * server on it, N workers and M API instances, each its own process. Started in dependency order
 * and stopped in reverse (APIs, workers, Temporal, PostgreSQL). Each part can be killed and
 * restarted on its own, which is how test/cluster exercises faults.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../free-port';
import { PROJECT_ROOT } from '../temporal-cli';
import { writeWorkflowBundle } from '../workflow-bundle';
import { APP_ENTRIES, startAppProcess, type AppKind, type AppProcess } from './app-process';
import { ProcessRecord, stopLeftovers } from './leftovers';
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
  /** A workflow bundle the workers run; by default the cluster bundles src/workflows at start. */
  readonly workflowBundlePath?: string | undefined;
  readonly onLine?: ((name: string, line: string) => void) | undefined;
}

export interface Cluster {
  /** Processes a previous start in the same folder left running, stopped before this one started. */
  readonly leftoversStopped: readonly string[];
  readonly temporalAddress: string;
  readonly apiUrls: readonly string[];
  readonly postgres: () => Postgres;
  readonly temporal: () => TemporalServer;
  readonly workers: AppProcess[];
  readonly apis: AppProcess[];
  /**
   * Stops (SIGKILL: a crash; SIGTERM: a clean stop) and starts again the worker or API at `index`
   * (0-based), with `env` over the apps' environment (another WORKFLOW_BUNDLE_PATH: a new build).
   */
  restart(kind: AppKind, index: number, signal?: NodeJS.Signals, env?: NodeJS.ProcessEnv): Promise<AppProcess>;
  /** Stops the Temporal server (SIGTERM, or SIGKILL) and starts it again on the same ports and database. */
  restartTemporal(signal?: NodeJS.Signals): Promise<void>;
  /** Stops PostgreSQL, waits `downMs`, starts it again on the same port and data. */
  restartPostgres(downMs?: number): Promise<void>;
  /** APIs, then workers, then Temporal, then PostgreSQL; `onStopped` hears each part's name once it is down. */
  stop(onStopped?: (part: string) => void): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const pgDir = join(options.dir, 'postgres');
  const serverDir = join(options.dir, 'temporal');
  for (const dir of [pgDir, serverDir]) mkdirSync(dir, { recursive: true });
  const leftoversStopped = await stopLeftovers(options.dir);
  const record = new ProcessRecord(options.dir);
  const postgresPort = options.postgresPort || (await freePort());
  const ports: ServerPorts = await serverPorts(options.temporalPort);
  const started: Part[] = [];
  let postgres: Postgres;
  let temporal: TemporalServer;
  const serverOptions = () => ({
    serverBin: options.tools.temporalServer,
    sqlTool: options.tools.sqlTool,
    dir: serverDir,
    ports,
    postgres: { port: postgres.port, user: postgres.user, password: postgres.password },
    dynamicConfigFile: join(PROJECT_ROOT, 'deploy', 'temporal-dynamic-config.yaml'),
  });
  const startPg = async () => {
    const pg = await startPostgres({ bin: options.tools.postgresBin, dir: pgDir, port: postgresPort });
    record.add(pg.child, pgDir);
    return pg;
  };
  const startServer = async () => {
    const server = await startTemporalServer(serverOptions());
    record.add(server.child, serverDir);
    return server;
  };
  try {
    postgres = await startPg();
    started.push({ name: 'PostgreSQL', stop: () => postgres.stop() });
    await setupSchemas(serverOptions());
    temporal = await startServer();
    started.push({ name: 'the Temporal server', stop: () => temporal.stop() });
    await prepareNamespace(temporal.address, options.namespace, options.retentionMs);

    const bundlePath = options.workflowBundlePath ?? (await bundleWorkflows(options.dir));
    const appEnv = { ...options.appEnv, TEMPORAL_ADDRESS: temporal.address, WORKFLOW_BUNDLE_PATH: bundlePath };
    const apiPorts = await Promise.all(
      Array.from({ length: options.apis }, (_, i) => (options.apiPort ? options.apiPort + i : freePort())),
    );
    const start = async (kind: AppKind, index: number, env: NodeJS.ProcessEnv = {}) => {
      const app = await startAppProcess({
        kind,
        index: index + 1,
        env: { ...appEnv, ...env },
        port: apiPorts[index],
        onLine: options.onLine,
      });
      record.add(app.child, APP_ENTRIES[kind]);
      return app;
    };
    const workers: AppProcess[] = [];
    const apis: AppProcess[] = [];
    started.push(
      { name: 'the workers', stop: () => stopAll(workers) },
      { name: 'the APIs', stop: () => stopAll(apis) },
    );
    for (let i = 0; i < options.workers; i++) workers.push(await start('worker', i));
    for (let i = 0; i < options.apis; i++) apis.push(await start('api', i));

    return {
      leftoversStopped,
      temporalAddress: temporal.address,
      apiUrls: apis.map((api) => api.url as string),
      postgres: () => postgres,
      temporal: () => temporal,
      workers,
      apis,
      async restart(kind, index, signal = 'SIGKILL', env = {}) {
        const list = kind === 'worker' ? workers : apis;
        await list[index]?.child.stop(signal);
        const next = await start(kind, index, env);
        list[index] = next;
        return next;
      },
      async restartTemporal(signal = 'SIGTERM') {
        await temporal.child.stop(signal);
        temporal = await startServer();
      },
      async restartPostgres(downMs = 0) {
        await postgres.stop();
        await new Promise((resolve) => setTimeout(resolve, downMs));
        postgres = await startPg();
      },
      stop: (onStopped) => stopInReverse(started, onStopped),
    };
  } catch (err) {
    await stopInReverse(started);
    throw err;
  }
}

/** Bundles src/workflows into `dir`/workflow-bundle.js (what WORKFLOW_BUNDLE_PATH names); returns its path. */
export async function bundleWorkflows(dir: string): Promise<string> {
  return writeWorkflowBundle(require.resolve('../../workflows'), join(dir, 'workflow-bundle.js'));
}

async function stopAll(processes: readonly AppProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.child.stop('SIGTERM')));
}

interface Part {
  readonly name: string;
  stop(): Promise<void>;
}

async function stopInReverse(started: Part[], onStopped?: (part: string) => void): Promise<void> {
  for (const part of started.reverse()) {
    await part.stop();
    onStopped?.(part.name);
  }
}
