/**
 * `npm start`: everything in one process. Unless TEMPORAL_ADDRESS names a cluster, an embedded
 * Temporal dev server (SQLite in DATA_DIR, Web UI) is started first; then the worker and the REST
 * API. Ctrl-C or SIGTERM stops the API, drains the worker, then stops the server; a second
 * Ctrl-C exits at once. A dev server left running by a start that was killed hard is stopped first.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { activityDepsFromEnv } from './activities/deps-from-env';
import { startApi } from './api/server';
import { ConfigError, loadEnv, type Env } from './config/env';
import { consoleLogger } from './logging/logger';
import { SdkLogAdapter } from './logging/sdk-logger';
import { startDevServer } from './runtime/dev-server';
import { stopLeftoverDevServer } from './runtime/leftover-dev-server';
import { ensureRetention } from './runtime/retention';
import { startPackageRuntime } from './runtime/package-runtime';
import { ensureSearchAttributes } from './runtime/search-attributes';
import { resolveTemporalCli } from './runtime/temporal-cli';
import { connectWorker, createWorker } from './worker';

const closers: Array<{ readonly name: string; readonly close: () => Promise<void> }> = [];
let stopping: Promise<void> | undefined;
let signalledAt = 0;
/**
 * A signal this soon after the first is the same Ctrl-C delivered twice: the terminal signals the
 * whole foreground process group, and npm forwards what it receives to its script too, which
 * reaches us when the shell execs the script (bash, macOS's sh).
 */
const SAME_SIGNAL_MS = 1_000;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Closes what has started, newest first, then exits. */
function shutdown(exitCode: number): Promise<void> {
  stopping ??= (async () => {
    let code = exitCode;
    for (const { name, close } of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        console.error(`stopping ${name} failed: ${message(err)}`);
        code = 1;
      }
    }
    if (code === 0) console.log('stopped');
    process.exit(code);
  })();
  return stopping;
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    if (Date.now() - signalledAt < SAME_SIGNAL_MS) return;
    console.error(`${signal} again: exiting now`);
    process.exit(130);
  }
  signalledAt = Date.now();
  console.log(`${signal}: stopping the API, the worker and the Temporal server (repeat to force)…`);
  void shutdown(0);
}

/** The dev server, unless TEMPORAL_ADDRESS names a cluster (whose search attributes are then checked). */
async function temporal(env: Env): Promise<{ address: string; uiUrl: string | null; where: string }> {
  if (env.TEMPORAL_ADDRESS) {
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    try {
      const added = await ensureSearchAttributes(connection, env.TEMPORAL_NAMESPACE);
      if (added.length) console.log(`registered search attributes ${added.join(', ')}`);
    } finally {
      await connection.close();
    }
    return { address: env.TEMPORAL_ADDRESS, uiUrl: null, where: 'existing cluster' };
  }
  await mkdir(env.DATA_DIR, { recursive: true });
  const dbFile = join(env.DATA_DIR, 'temporal.sqlite');
  const recordFile = join(env.DATA_DIR, 'temporal-server.json');
  const leftover = await stopLeftoverDevServer(recordFile);
  if (leftover) console.log(leftover);
  const server = await startDevServer({
    cliPath: resolveTemporalCli(),
    port: env.TEMPORAL_PORT,
    uiPort: env.TEMPORAL_UI_PORT,
    dbFile,
    namespace: env.TEMPORAL_NAMESPACE,
    logFile: join(env.DATA_DIR, 'temporal.log'),
    ownProcessGroup: { recordFile },
  });
  closers.push({ name: 'the Temporal dev server', close: () => server.stop() });
  void server.exited.then((how) => {
    if (stopping) return;
    console.error(`the Temporal dev server exited unexpectedly (${how}); see ${join(env.DATA_DIR, 'temporal.log')}`);
    void shutdown(1);
  });
  const connection = await Connection.connect({ address: server.address });
  try {
    await ensureRetention(connection, env.TEMPORAL_NAMESPACE, env.RUN_RETENTION);
  } finally {
    await connection.close();
  }
  const days = env.RUN_RETENTION / 86_400_000;
  return {
    address: server.address,
    uiUrl: server.uiUrl,
    where: `embedded dev server, state in ${dbFile}; run histories kept ${days} days`,
  };
}

async function main(): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const env = loadEnv();
  // One logger for the API's lines and the worker's (a run's and its nodes' events among them).
  const logger = consoleLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  Runtime.install({ logger: new SdkLogAdapter(logger) });

  const cluster = await temporal(env);

  const connection = await connectWorker(cluster.address, env.TEMPORAL_GRPC_COMPRESSION);
  closers.push({ name: 'the worker connection', close: () => connection.close() });
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TASK_QUEUE,
    deps: await activityDepsFromEnv(env),
  });
  const running = worker.run();
  closers.push({
    name: 'the worker',
    close: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  });
  running.catch((err: unknown) => {
    if (stopping) return;
    console.error(`the worker failed: ${message(err)}`);
    void shutdown(1);
  });

  const packages = await startPackageRuntime(env, 'worker', (warning) => logger.warn(warning));
  closers.push({ name: 'step packages', close: () => packages.close() });

  const api = await startApi({ env, logger });
  closers.push({ name: 'the API', close: () => api.close() });

  console.log(
    [
      `Temporal      ${cluster.address} (namespace ${env.TEMPORAL_NAMESPACE}; ${cluster.where})`,
      ...(cluster.uiUrl ? [`Temporal UI   ${cluster.uiUrl}`] : []),
      `Worker        task queue ${env.TASK_QUEUE}${packages.adminUrl ? `; admin ${packages.adminUrl}` : ''}`,
      `API           ${api.url}`,
      `API docs      ${api.url}/docs`,
      `Dashboard     ${api.url}/ui`,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `start failed: ${message(err)}`);
  void shutdown(1);
});
