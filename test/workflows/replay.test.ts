/**
 * Determinism: histories of real runs (every mode, edge kind and failure policy) replay cleanly
 * against the current workflow code, and a deliberate non-deterministic edit is caught.
 */
import { readFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import { dataConverter } from '../../src/temporal/compression-codec';
import { continueUpdate, retryUpdate } from '../../src/workflows/messages';
import { config, delay, result, start, waitFor } from '../helpers/deployments';
import { startTestWorker, testClient, type TestWorker } from '../helpers/temporal';

let worker: TestWorker;
let client: Client;
let closeClient: () => Promise<void>;
const executions: { workflowId: string; runId: string }[] = [];

beforeAll(async () => {
  worker = await startTestWorker();
  ({ client, close: closeClient } = await testClient());
  const runs = [
    config({ a: delay(), b: delay({}, { depends_on: ['a'] }), c: delay({ outputs: { arn: 'x' } }), d: delay({}, { references: { src: 'c' } }) }),
    config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'end' }] }) }),
    config({ a: delay(), b: delay({ fail_times: 1 }, { depends_on: ['a'] }) }, { on_failure: 'rollback' }),
    config({ a: delay() }, { mode: 'DRY_RUN' }),
  ];
  for (const cfg of runs) {
    const handle = await start(client, worker.taskQueue, cfg);
    await result(handle);
    executions.push({ workflowId: handle.workflowId, runId: (await handle.describe()).runId });
  }
  const paused = await start(client, worker.taskQueue, config({ a: delay({ fail_times: 1 }), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) }));
  await waitFor(paused, (s) => s.status === 'awaiting_decision');
  await paused.executeUpdate(retryUpdate, { args: [{}] });
  await waitFor(paused, (s) => s.status === 'paused');
  await paused.executeUpdate(continueUpdate, { args: [{}] });
  await result(paused);
  executions.push({ workflowId: paused.workflowId, runId: (await paused.describe()).runId });
});
afterAll(async () => {
  await worker?.stop();
  await closeClient?.();
});

async function replay(workflowBundle: { code: string }): Promise<ReplayResult[]> {
  const histories = executions.map(async (execution) => ({
    workflowId: execution.workflowId,
    history: await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory(),
  }));
  const results: ReplayResult[] = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle, dataConverter }, (async function* () { for (const h of histories) yield await h; })())) results.push(r);
  return results;
}

describe('replaying recorded histories', () => {
  it('replays every recorded run against the current workflow code without a determinism error', async () => {
    const code = await readFile(process.env['TEST_WORKFLOW_BUNDLE'] as string, 'utf8');
    const results = await replay({ code });
    expect(results).toHaveLength(executions.length);
    expect(results.map((r) => r.error)).toEqual(executions.map(() => undefined));
  });

  it('catches a deliberate non-deterministic change to the workflow', async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/nondeterministic'), logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never });
    const results = await replay(bundle);
    expect(results.length).toBe(executions.length);
    for (const r of results) expect(r.error?.name).toBe('DeterminismViolationError');
  });
});
