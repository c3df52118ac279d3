/**
 * The floor's graph workflow (bench/floor/graph-workflow.ts), which section 11 compares section 2's runs with: on a
 * real Temporal server it runs each node once, never before its predecessors are done, never more than
 * `maxParallel` at once, and its span covers the critical path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { floorGraphWorkflow } from '../../bench/floor/graph-workflow';
import { fromLists, layeredDag } from '../../bench/lib/graphs';
import { rng } from '../../bench/lib/prng';
import { writeWorkflowBundle } from '../../src/runtime/workflow-bundle';
import { installQuietRuntime, temporalAddress, uniqueId } from '../../support/temporal';

interface Ran {
  readonly durationMs: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

it('runs a graph in dependency order within max_parallel, each node once', async () => {
  installQuietRuntime();
  const dir = await mkdtemp(join(tmpdir(), 'floor-graph-'));
  const codePath = await writeWorkflowBundle(require.resolve('../../bench/floor/workflows'), join(dir, 'bundle.js'));
  // Node i lasts 5 + 2i ms, so each activity names its node by its duration.
  const { preds } = layeredDag(rng(7), 30, [5, 30], [60, 80]);
  const durations = preds.map((_, i) => 5 + 2 * i);
  const ran: Ran[] = [];
  const activities = {
    async floorStep(durationMs: number) {
      const startedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, durationMs));
      ran.push({ durationMs, startedAt, endedAt: Date.now() });
      return { startedAt, endedAt: Date.now() };
    },
  };
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  const clientConnection = await Connection.connect({ address: temporalAddress() });
  const taskQueue = uniqueId('floor-graph');
  try {
    const worker = await Worker.create({ connection, taskQueue, workflowBundle: { codePath }, activities });
    const span = await worker.runUntil(
      new Client({ connection: clientConnection }).workflow.execute<typeof floorGraphWorkflow>('floorGraphWorkflow', {
        taskQueue,
        workflowId: uniqueId('floor-graph'),
        args: [{ durations, preds, maxParallel: 3 }],
      }),
    );
    const byNode = new Map(ran.map((r) => [(r.durationMs - 5) / 2, r]));
    expect(ran).toHaveLength(30);
    expect(byNode.size).toBe(30);
    for (const [node, r] of byNode)
      for (const p of preds[node] ?? []) expect(r.startedAt).toBeGreaterThanOrEqual(byNode.get(p)?.endedAt ?? Infinity);
    const busiest = Math.max(
      ...ran.map((r) => ran.filter((o) => o.startedAt <= r.startedAt && o.endedAt > r.startedAt).length),
    );
    expect(busiest).toBeLessThanOrEqual(3);
    expect(span.completedAt - span.startedAt).toBeGreaterThanOrEqual(fromLists(durations, preds).criticalPathMs);
  } finally {
    await clientConnection.close();
    await connection.close();
    await rm(dir, { recursive: true, force: true });
  }
});
