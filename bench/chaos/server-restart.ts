/**
 * Chaos 2: the Temporal dev server (SQLite file) is stopped mid-run and started again on the same
 * port and file; the worker process rides it out (or is replaced if it gave up), and the run
 * completes with every node applied exactly once.
 */
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../../src/runtime/dev-server';
import { freePort } from '../../src/runtime/free-port';
import { resolveTemporalCli } from '../../src/runtime/temporal-cli';
import { config, result, start, waitFor } from '../../support/deployments';
import { testClient, uniqueId } from '../../support/temporal';
import { startTemporalEnv } from '../../support/temporal-env';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { layeredDag } from '../lib/graphs';
import { correct, outcomeOf } from '../lib/outcome';
import { rng } from '../lib/prng';
import type { Report } from '../lib/report';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function serverRestart(dir: string, report: Report, o: { downMs: number; seed: number }): Promise<void> {
  const port = await freePort();
  const dbFile = join(dir, 'temporal.sqlite');
  const ledger = join(dir, 'ledger');
  let server: DevServer = await startTemporalEnv(dir, { port, dbFile });
  const taskQueue = uniqueId('chaos-restart');
  const env = { TEMPORAL_ADDRESS: server.address, TASK_QUEUE: taskQueue, LEDGER_DIR: ledger };
  let worker: WorkerProcess = spawnWorker(env);
  const connected = await testClient(server.address);
  let workerReplaced = false;
  try {
    await worker.ready;
    const cfg = config(layeredDag(rng(o.seed), 100, [50, 250], [500, 1_500]).resources, {
      max_parallel: 10,
      heartbeat_timeout: '2s',
      retry: { max_attempts: 20, initial_interval: '200ms', max_interval: '2s', backoff: 2 },
    });
    const handle = await start(connected.client, taskQueue, cfg);
    const runKey = (await handle.describe()).runId;
    const before = await waitFor(handle, (s) => s.counts.completed >= 30, 120_000);
    await server.stop();
    await new Promise((r) => setTimeout(r, o.downMs));
    server = await startDevServer({
      cliPath: resolveTemporalCli(),
      uiPort: null,
      port,
      dbFile,
      logFile: join(dir, 'temporal.log'),
    });
    if (!alive(worker.pid)) {
      workerReplaced = true;
      worker = spawnWorker(env);
      await worker.ready;
    }
    const status = await result(handle);
    const outcome = await outcomeOf(ledger, runKey, status);
    report.data['server_restart'] = {
      down_ms: o.downMs,
      completed_before_stop: before.counts.completed,
      worker_replaced: workerReplaced,
      ...outcome,
    };
    report.rows.push({
      section: '2 server restart',
      metric: `dev server stopped for ${o.downMs / 1000} s mid-run (100 nodes, ${before.counts.completed} done)`,
      value: correct(outcome)
        ? 'run completed, 0 duplicates'
        : `NOT correct: ${outcome.status}, ${outcome.completed}/${outcome.nodes}, duplicated ${outcome.duplicated.length}`,
      note: workerReplaced
        ? 'the worker exited during the outage and was restarted'
        : 'the same worker process rode out the outage',
    });
  } finally {
    await worker.kill('SIGKILL');
    await connected.close();
    await server.stop();
  }
}
