/**
 * A worker killed mid-run (SIGKILL) and replaced: the run completes, and every node's effect
 * happened exactly once (core:delay's ledger: at-least-once activities, idempotent apply).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { config, delay, result, start, waitFor, type Resources } from '../../support/deployments';
import { useTempDirs } from '../../support/temp-dirs';
import { temporalAddress, testClient, uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';

let client: Client;
let closeClient: () => Promise<void>;
const workers: WorkerProcess[] = [];
const tempDir = useTempDirs();

beforeAll(async () => {
  ({ client, close: closeClient } = await testClient());
});
afterAll(async () => {
  for (const w of workers) await w.kill();
  await closeClient?.();
});

describe('a worker restarted mid-run', () => {
  it('completes the run with each node applied exactly once', async () => {
    const ledger = tempDir('ledger-');
    const taskQueue = uniqueId('restart');
    const env = { TEMPORAL_ADDRESS: temporalAddress(), TASK_QUEUE: taskQueue, LEDGER_DIR: ledger };
    const first = spawnWorker(env);
    workers.push(first);
    await first.ready;

    const resources: Resources = {};
    for (let i = 0; i < 8; i += 1)
      resources[`n${i}`] = delay({ duration_ms: 1_200 }, i < 4 ? {} : { depends_on: [`n${i - 4}`] });
    const handle = await start(
      client,
      taskQueue,
      config(resources, {
        max_parallel: 4,
        heartbeat_timeout: '2s',
        retry: { max_attempts: 10, initial_interval: '200ms' },
      }),
    );
    await waitFor(handle, (s) => s.counts.completed >= 1 && s.counts.running >= 1, 90_000);
    await first.kill('SIGKILL');

    const second = spawnWorker(env);
    workers.push(second);
    await second.ready;
    const status = await result(handle);
    expect(status.status).toBe('completed');

    const [runDir] = await readdir(ledger);
    const files = await readdir(join(ledger, runDir as string));
    expect(files).toHaveLength(8);
    for (const file of files) {
      const events = (await readFile(join(ledger, runDir as string, file), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { event: string }).event);
      expect(events).toEqual(['apply']);
    }
  });
});
