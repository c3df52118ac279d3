/** A local cluster stopped hard leaves its processes; the next start stops them, and only them. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from '../../src/runtime/cluster/child';
import { ProcessRecord, stopLeftovers } from '../../src/runtime/cluster/leftovers';
import { useTempDirs } from '../../support/temp-dirs';

const tempDir = useTempDirs();

it('stops a recorded process still running its command, and leaves a pid now running something else alone', async () => {
  const dir = tempDir('cluster-leftovers-');
  const left = startChild({ name: 'postgres', command: 'sleep', args: ['4711'], onLine: () => undefined });
  new ProcessRecord(dir).add(left, '4711');
  expect(await stopLeftovers(dir)).toEqual(['postgres']);
  expect(await left.exited).toBe('signal SIGTERM');

  // A pid reused by another program (here this test's own process) is not stopped.
  writeFileSync(
    join(dir, 'processes.json'),
    JSON.stringify([{ name: 'temporal', pid: process.pid, mark: '/no/such/dir' }]),
  );
  expect(await stopLeftovers(dir)).toEqual([]);
  expect(await stopLeftovers(tempDir('cluster-none-'))).toEqual([]);
});
