/**
 * Determinism: histories of real runs (every mode, edge kind and failure policy, a cancelled run, and a schedule's
 * trigger both starting a run and finding one active) replay cleanly against the current workflow
 * code, and a deliberate non-deterministic edit of the deployment workflow is caught.
 */
import { readFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import { dataConverter } from '../../src/temporal/compression-codec';
import { continueUpdate, retryUpdate, SCHEDULED_RUN_WORKFLOW, triggerIdFor } from '../../src/workflows/messages';
import type { scheduledRunWorkflow } from '../../src/workflows/scheduled-run';
import { config, delay, deploymentInput, result, start, waitFor } from '../../support/deployments';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';

let worker: TestWorker;
let client: Client;
let closeClient: () => Promise<void>;
interface Execution {
  workflowId: string;
  runId: string;
}
/** Deployment workflow runs. */
const executions: Execution[] = [];
/** Trigger workflow runs (the non-deterministic fixture has no trigger workflow). */
const triggers: Execution[] = [];

/** A schedule's trigger, started directly; its result names the deployment run it started, if any. */
async function trigger(cfg: Record<string, unknown>): Promise<Awaited<ReturnType<typeof scheduledRunWorkflow>>> {
  const handle = await client.workflow.start<typeof scheduledRunWorkflow>(SCHEDULED_RUN_WORKFLOW, {
    workflowId: triggerIdFor(uniqueId('sched-replay')),
    taskQueue: worker.taskQueue,
    args: [deploymentInput(cfg)],
  });
  const outcome = await handle.result();
  triggers.push({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId });
  return outcome;
}

beforeAll(async () => {
  worker = await startTestWorker();
  ({ client, close: closeClient } = await testClient());
  const runs = [
    config({
      a: delay(),
      b: delay({}, { depends_on: ['a'] }),
      c: delay({ outputs: { arn: 'x' } }),
      d: delay({}, { references: { src: 'c' } }),
    }),
    config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'end' }] }) }),
    config({ a: delay(), b: delay({ fail_times: 1 }, { depends_on: ['a'] }) }, { on_failure: 'rollback' }),
    config({ a: delay() }, { mode: 'DRY_RUN' }),
    config({ a: delay({ outputs: { arn: 'x' } }), gone: delay({}, { operation: 'delete', references: { src: 'a' } }) }),
  ];
  for (const cfg of runs) {
    const handle = await start(client, worker.taskQueue, cfg);
    await result(handle);
    executions.push({ workflowId: handle.workflowId, runId: (await handle.describe()).runId });
  }
  const pausing = config({
    a: delay({ fail_times: 1 }),
    b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }),
  });
  const paused = await start(client, worker.taskQueue, pausing);
  await waitFor(paused, (s) => s.status === 'awaiting_decision');
  await paused.executeUpdate(retryUpdate, { args: [{}] });
  await waitFor(paused, (s) => s.status === 'paused');
  expect((await trigger(pausing)).started).toBe(false);
  await paused.executeUpdate(continueUpdate, { args: [{}] });
  await result(paused);
  executions.push({ workflowId: paused.workflowId, runId: (await paused.describe()).runId });
  const cancelled = await start(client, worker.taskQueue, config({ slow: delay({ duration_ms: 30_000 }) }));
  await waitFor(cancelled, (s) => s.status === 'running' && s.counts.running > 0);
  await cancelled.cancel();
  await result(cancelled);
  executions.push({ workflowId: cancelled.workflowId, runId: (await cancelled.describe()).runId });
  const scheduled = await trigger(config({ a: delay(), b: delay({}, { depends_on: ['a'] }) }));
  if (!scheduled.started) throw new Error(`the trigger started no run: ${scheduled.reason}`);
  executions.push({ workflowId: scheduled.workflow_id, runId: scheduled.run_id });
});
afterAll(async () => {
  await worker?.stop();
  await closeClient?.();
});

async function replay(workflowBundle: { code: string }, recorded: readonly Execution[]): Promise<ReplayResult[]> {
  const histories = recorded.map(async (execution) => ({
    workflowId: execution.workflowId,
    history: await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory(),
  }));
  const results: ReplayResult[] = [];
  for await (const r of Worker.runReplayHistories(
    { workflowBundle, dataConverter },
    (async function* () {
      for (const h of histories) yield await h;
    })(),
  ))
    results.push(r);
  return results;
}

describe('replaying recorded histories', () => {
  it('replays every recorded run against the current workflow code without a determinism error', async () => {
    const code = await readFile(process.env['TEST_WORKFLOW_BUNDLE'] as string, 'utf8');
    const recorded = [...executions, ...triggers];
    const results = await replay({ code }, recorded);
    expect([results.length, triggers.length]).toEqual([recorded.length, 2]);
    expect(results.map((r) => r.error)).toEqual(recorded.map(() => undefined));
  });

  it('catches a deliberate non-deterministic change to the workflow', async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../fixtures/nondeterministic'),
      logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never,
    });
    const results = await replay(bundle, executions);
    expect(results.length).toBe(executions.length);
    for (const r of results) expect(r.error?.name).toBe('DeterminismViolationError');
  });
});
