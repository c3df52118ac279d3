/**
 * Chaos 1: the worker process is killed with SIGKILL at seeded random moments while runs of a
 * 100-node graph are in flight, and a fresh worker is started after each kill. Every run must
 * complete with each node applied exactly once (core:delay's ledger).
 */
import { config, result, start } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { statusQuery } from '../../src/workflows/messages';
import { layeredDag } from '../lib/graphs';
import type { Harness } from '../lib/harness';
import { correct, outcomeOf, type Outcome } from '../lib/outcome';
import { rng } from '../lib/prng';
import type { Report } from '../lib/report';

const RUN_TIMEOUT_MS = 300_000;

export async function workerKills(
  h: Harness,
  report: Report,
  o: { kills: number; killsPerRun: number; seed: number },
): Promise<void> {
  const rand = rng(o.seed);
  const taskQueue = uniqueId('chaos-kill');
  const env = { TEMPORAL_ADDRESS: h.server.address, TASK_QUEUE: taskQueue, LEDGER_DIR: h.ledger };
  let worker: WorkerProcess = spawnWorker(env);
  await worker.ready;
  const outcomes: (Outcome & { kills: number; running_at_kill: number[] })[] = [];
  let kills = 0;
  try {
    for (let runNo = 0; kills < o.kills; runNo += 1) {
      const graph = layeredDag(rng(o.seed + runNo), 100, [50, 250], [500, 1_500]);
      const cfg = config(graph.resources, {
        max_parallel: 10,
        heartbeat_timeout: '2s',
        retry: { max_attempts: 20, initial_interval: '200ms', max_interval: '1s', backoff: 2 },
      });
      const handle = await start(h.client, taskQueue, cfg);
      const runKey = (await handle.describe()).runId;
      const done = result(handle).then(
        () => true,
        () => true,
      );
      let finished = false;
      void done.then(() => (finished = true));
      const runningAtKill: number[] = [];
      for (let k = 0; k < o.killsPerRun && kills < o.kills; k += 1) {
        await Promise.race([done, new Promise((r) => setTimeout(r, rand.int(300, 3_000)))]);
        if (finished) break;
        const seen = await handle.query(statusQuery).catch(() => null);
        runningAtKill.push(seen?.counts.running ?? -1);
        await worker.kill('SIGKILL');
        kills += 1;
        worker = spawnWorker(env);
        await worker.ready;
      }
      const status = await Promise.race([
        result(handle),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`run ${runNo} did not finish in ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS),
        ),
      ]);
      outcomes.push({
        ...(await outcomeOf(h.ledger, runKey, status)),
        kills: runningAtKill.length,
        running_at_kill: runningAtKill,
      });
      console.error(`  run ${runNo}: ${status.status}, ${runningAtKill.length} kill(s), ${kills}/${o.kills} so far`);
    }
  } finally {
    await worker.kill('SIGKILL');
  }
  const ok = outcomes.filter(correct).length;
  const duplicated = outcomes.reduce((s, x) => s + x.duplicated.length, 0);
  const orphans = outcomes.reduce((s, x) => s + x.orphans.length, 0);
  const lost = outcomes.reduce((s, x) => s + x.lost.length, 0);
  report.data['worker_kill'] = { kills, runs: outcomes };
  report.rows.push(
    {
      section: '1 worker kill -9',
      metric: `${kills} kills over ${outcomes.length} runs of 100 nodes`,
      value: `${ok}/${outcomes.length} runs correct`,
      note: `kills landed with ${outcomes.flatMap((x) => x.running_at_kill).filter((n) => n > 0).length} having activities in flight`,
    },
    {
      section: '1 worker kill -9',
      metric: 'duplicated side effects',
      value: String(duplicated),
      note: 'nodes with more than one apply in the ledger',
    },
    {
      section: '1 worker kill -9',
      metric: 'orphaned / lost effects',
      value: `${orphans} / ${lost}`,
      note: 'applied but not completed / completed but never applied',
    },
  );
  if (ok < outcomes.length)
    report.notes.push(
      `worker kill: ${outcomes.length - ok} run(s) not correct: ${JSON.stringify(outcomes.filter((x) => !correct(x)).map(({ status, completed, duplicated: d, orphans: or, lost: l }) => ({ status, completed, duplicated: d, orphans: or, lost: l })))}`,
    );
}
