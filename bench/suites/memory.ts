/**
 * 6. Memory: RSS of a worker process (the real worker entry point) as it holds open deployments
 * paused in STEP mode: `count` of them, then three times as many. The cost of one paused deployment is
 * the slope between the two (what the heap grew by once, for the first batch's processing, cancels out);
 * each holds two cached workflows, its run and its deployment's record.
 */
import { readFile } from 'node:fs/promises';
import { config, start, waitFor } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { spawnWorker } from '../../support/worker-process';
import { chain } from '../lib/graphs';
import type { Harness } from '../lib/harness';
import type { Report } from '../lib/report';
import { round } from '../lib/stats';

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export async function memory(h: Harness, report: Report, o: { count: number; nodesEach: number }): Promise<void> {
  const taskQueue = uniqueId('bench-memory');
  const worker = spawnWorker({ TEMPORAL_ADDRESS: h.server.address, TASK_QUEUE: taskQueue, LEDGER_DIR: h.ledger });
  try {
    await worker.ready;
    // one paused-and-terminated run first, so the bundle is loaded before the baseline
    const warm = await start(h.client, taskQueue, config(chain(2).resources, { mode: 'STEP' }));
    await waitFor(warm, (s) => s.status === 'paused');
    await warm.terminate('bench warm-up');
    await new Promise((r) => setTimeout(r, 1_000));
    const before = await rssMiB(worker.pid);
    const handles = await pausedRuns(h, taskQueue, o.count, o.nodesEach);
    const first = await rssMiB(worker.pid);
    handles.push(...(await pausedRuns(h, taskQueue, 2 * o.count, o.nodesEach)));
    const after = await rssMiB(worker.pid);
    await Promise.all(handles.map((handle) => handle.terminate('bench done')));
    const perDeployment = ((after - first) * 1024) / (2 * o.count);
    report.data['memory'] = {
      paused_deployments: [o.count, 3 * o.count],
      nodes_each: o.nodesEach,
      rss_mib: [before, first, after],
      per_deployment_kib: perDeployment,
      per_workflow_kib: perDeployment / 2,
    };
    report.rows.push({
      section: '6 memory',
      metric: `worker RSS, ${o.count} then ${3 * o.count} paused deployments (${o.nodesEach} nodes each)`,
      value: `${round(before, 0)} → ${round(first, 0)} → ${round(after, 0)} MiB`,
      note: `${round(perDeployment / 2, 0)} KiB per cached workflow, ${round(perDeployment, 0)} KiB per paused deployment (its run and its record; slope between ${o.count} and ${3 * o.count})`,
    });
  } finally {
    await worker.kill('SIGTERM');
  }
}

/** Starts `count` STEP-mode runs and waits until each is paused (so cached), then lets the heap settle. */
async function pausedRuns(h: Harness, taskQueue: string, count: number, nodesEach: number) {
  const handles = await Promise.all(
    Array.from({ length: count }, () =>
      start(h.client, taskQueue, config(chain(nodesEach).resources, { mode: 'STEP' })),
    ),
  );
  for (const handle of handles) await waitFor(handle, (s) => s.status === 'paused', 120_000);
  await new Promise((r) => setTimeout(r, 1_000));
  return handles;
}
