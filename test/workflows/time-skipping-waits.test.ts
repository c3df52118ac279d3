/**
 * Waits of a day and more at their real durations, on Temporal's time-skipping test server: an
 * approval gate's `timeout` with each `on_timeout`, and a halted run's `decision_timeout`. The
 * server's clock moves only in `env.sleep` and while a run's result is awaited, so each test reads
 * the run just before and just after its deadline, then lets the rest of the run skip to its end.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { RunStatus } from '../../src/model/run-types';
import { continueUpdate, logsQuery, retryUpdate, statusQuery } from '../../src/workflows/messages';
import { runSearchAttributes } from '../../src/workflows/run-start-options';
import { deploymentWorkflow } from '../../src/workflows';
import {
  config,
  delay,
  deploymentInput,
  node,
  result,
  start,
  statusesByResource,
  waitFor,
} from '../../support/deployments';
import { useTimeSkipping } from '../../support/time-skipping';

const timeSkipping = useTimeSkipping();

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Server time a workflow task may take between a timer firing and the workflow reading the clock. */
const TASK_SLACK_MS = 60_000;

const gatedRelease = (onTimeout: 'fail' | 'continue') =>
  config({
    build: delay(),
    approve: {
      type: 'core:approval',
      depends_on: ['build'],
      properties: { message: 'Release?', timeout: '1d', on_timeout: onTimeout },
    },
    release: delay({}, { depends_on: ['approve'] }),
  });

const run = (cfg: Record<string, unknown>): Promise<WorkflowHandle> =>
  start(timeSkipping.env.client, timeSkipping.worker.taskQueue, cfg);

const serverNow = async (): Promise<number> => timeSkipping.env.currentTimeMs();
const at = (iso: string | null | undefined): number => Date.parse(iso ?? '');

/** Server time left until `deadline`, checked to be `ms` give or take a workflow task. */
async function expectLeft(deadline: number, ms: number): Promise<void> {
  const left = deadline - (await serverNow());
  expect(left).toBeLessThanOrEqual(ms);
  expect(left).toBeGreaterThan(ms - TASK_SLACK_MS);
}

/** The run as it is an hour before `deadline`, the server's clock moved there. */
async function anHourBefore(deadline: number, handle: WorkflowHandle): Promise<RunStatus> {
  await timeSkipping.env.sleep(deadline - HOUR_MS - (await serverNow()));
  await expectLeft(deadline, HOUR_MS);
  return handle.query(statusQuery);
}

/** The gate's deadline as the run reports it while paused, checked to be one day after the gate began to wait. */
async function pausedAtGate(handle: WorkflowHandle): Promise<number> {
  const paused = await waitFor(handle, (s) => s.status === 'paused');
  const wait = paused.waiting_for?.waits?.[0];
  expect(wait).toMatchObject({ resource_id: 'approve', reason: 'approval' });
  const deadline = at(wait?.deadline);
  await expectLeft(deadline, DAY_MS);
  return deadline;
}

describe('an approval gate with timeout 1d', () => {
  it('still waits at 23 h; with on_timeout fail, the gate fails at one day and the halted run fails after the default decision timeout (7 days)', async () => {
    const wallStart = Date.now();
    const handle = await run(gatedRelease('fail'));
    const deadline = await pausedAtGate(handle);

    const at23h = await anHourBefore(deadline, handle);
    expect(at23h.status).toBe('paused');
    expect(statusesByResource(at23h)).toEqual({ build: 'completed', approve: 'paused', release: 'pending' });
    expect(at23h.waiting_for?.deadline).toBe(new Date(deadline).toISOString());

    await timeSkipping.env.sleep(2 * HOUR_MS);
    const halted = await waitFor(handle, (s) => s.status === 'awaiting_decision', 10_000);
    expect(statusesByResource(halted)).toEqual({ build: 'completed', approve: 'failed', release: 'blocked' });
    expect(node(halted, 'approve')).toMatchObject({ error_type: 'timeout' });
    expect(node(halted, 'approve').error).toContain('approval not given within 86400000 ms');
    const failedAt = at(node(halted, 'approve').completed_at);
    expect(failedAt - deadline).toBeGreaterThanOrEqual(0);
    expect(failedAt - deadline).toBeLessThan(TASK_SLACK_MS);
    const decisionDeadline = at(halted.waiting_for?.deadline);
    expect(decisionDeadline - failedAt).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(decisionDeadline - failedAt).toBeLessThan(7 * DAY_MS + TASK_SLACK_MS);

    const done = await result(handle);
    expect(done.status).toBe('failed');
    expect(statusesByResource(done)).toEqual({ build: 'completed', approve: 'failed', release: 'blocked' });
    expect(at(done.completed_at)).toBeGreaterThanOrEqual(decisionDeadline);
    expect(Date.now() - wallStart).toBeLessThan(30_000); // eight days of server time, seconds of ours
  });

  it('with on_timeout continue, lets the run go on at one day, the gate passed by its timeout', async () => {
    const handle = await run(gatedRelease('continue'));
    const deadline = await pausedAtGate(handle);

    const at23h = await anHourBefore(deadline, handle);
    expect(statusesByResource(at23h)).toEqual({ build: 'completed', approve: 'paused', release: 'pending' });

    const done = await result(handle);
    expect(done.status).toBe('completed');
    expect(statusesByResource(done)).toEqual({ build: 'completed', approve: 'completed', release: 'completed' });
    expect(node(done, 'approve').outputs).toEqual({ passed_by: 'timeout' });
    expect(at(node(done, 'release').started_at)).toBeGreaterThanOrEqual(deadline);
  });

  it('honours an operator continue given before the timeout', async () => {
    const handle = await run(gatedRelease('fail'));
    const deadline = await pausedAtGate(handle);
    expect((await anHourBefore(deadline, handle)).status).toBe('paused');

    await handle.executeUpdate(continueUpdate, { args: [{ node_id: 'approve' }] });
    const done = await result(handle);
    expect(done.status).toBe('completed');
    expect(node(done, 'approve').outputs).toEqual({ passed_by: 'continue' });
    expect(at(node(done, 'release').completed_at)).toBeLessThan(deadline);
  });
});

describe('a halted run with decision_timeout 2d', () => {
  const halting = () =>
    config(
      { a: delay({ fail_times: 1, fail_message: 'boom' }), b: delay({}, { depends_on: ['a'] }) },
      { decision_timeout: '2d' },
    );

  /** The run halted on `a`, and the decision deadline it reports, two days after the halt. */
  async function haltedOnA(handle: WorkflowHandle): Promise<number> {
    const halted = await waitFor(handle, (s) => s.status === 'awaiting_decision');
    expect(statusesByResource(halted)).toEqual({ a: 'failed', b: 'blocked' });
    const deadline = at(halted.waiting_for?.deadline);
    await expectLeft(deadline, 2 * DAY_MS);
    return deadline;
  }

  it('fails after the decision timeout when nobody decides, and still waits an hour before it', async () => {
    const handle = await run(halting());
    const deadline = await haltedOnA(handle);

    expect((await anHourBefore(deadline, handle)).status).toBe('awaiting_decision');

    const done = await result(handle);
    expect(done.status).toBe('failed');
    expect(statusesByResource(done)).toEqual({ a: 'failed', b: 'blocked' });
    expect(at(done.completed_at)).toBeGreaterThanOrEqual(deadline);
    const logs = await handle.query(logsQuery, {});
    expect(logs.some((l) => l.message.includes('no decision before the decision timeout'))).toBe(true);
  });

  it('honours a retry decided an hour before the timeout', async () => {
    const handle = await run(halting());
    const deadline = await haltedOnA(handle);
    expect((await anHourBefore(deadline, handle)).status).toBe('awaiting_decision');

    await handle.executeUpdate(retryUpdate, { args: [{}] });
    const done = await result(handle);
    expect(done.status).toBe('completed');
    expect(statusesByResource(done)).toEqual({ a: 'completed', b: 'completed' });
    expect(node(done, 'a').attempts).toBe(2);
    expect(at(done.completed_at)).toBeLessThan(deadline);
  });
});

describe('deadlines that outlive what happens meanwhile', () => {
  it('keeps a halted run’s decision deadline when an operator continues another node meanwhile', async () => {
    const handle = await run(
      config(
        {
          a: delay({ fail_times: 1, fail_message: 'boom' }),
          gate: { type: 'core:approval', properties: {} },
          after: delay({}, { depends_on: ['gate'] }),
        },
        { decision_timeout: '2d' },
      ),
    );
    const halted = await waitFor(
      handle,
      (s) => s.status === 'awaiting_decision' && node(s, 'gate').status === 'paused',
    );
    const deadline = at(halted.waiting_for?.deadline);
    await expectLeft(deadline, 2 * DAY_MS);

    await timeSkipping.env.sleep(47 * HOUR_MS);
    await handle.executeUpdate(continueUpdate, { args: [{ node_id: 'gate' }] });
    const after = await handle.query(statusQuery);
    expect(at(after.waiting_for?.deadline)).toBe(deadline);

    const done = await result(handle);
    expect(done.status).toBe('failed');
    expect(at(done.completed_at) - deadline).toBeLessThan(TASK_SLACK_MS);
  });

  it('names a gate that times out while the run waits for a decision, as soon as it fails', async () => {
    const handle = await run(
      config({
        a: delay({ fail_times: 1, fail_message: 'boom' }),
        gate: { type: 'core:approval', properties: { timeout: '1d', on_timeout: 'fail' } },
      }),
    );
    const halted = await waitFor(
      handle,
      (s) => s.status === 'awaiting_decision' && node(s, 'gate').status === 'paused',
    );
    expect(halted.waiting_for?.node_ids).toEqual([node(halted, 'a').node_id]);
    await timeSkipping.env.sleep(DAY_MS + HOUR_MS);
    const both = await handle.query(statusQuery);
    expect(node(both, 'gate')).toMatchObject({ status: 'failed', error_type: 'timeout' });
    expect([...(both.waiting_for?.node_ids ?? [])].sort()).toEqual(
      [node(both, 'a').node_id, node(both, 'gate').node_id].sort(),
    );
    await handle.terminate('test over');
  });

  it('keeps an approval gate’s deadline across a continue-as-new (the hand-over carries it)', async () => {
    const cfg = config({ gate: { type: 'core:approval', properties: { timeout: '1d', on_timeout: 'fail' } } });
    const input = deploymentInput(cfg);
    const gate = input.graph.nodes[0]?.node_id as string;
    const deadline = (await serverNow()) + 3 * HOUR_MS;
    const handle = await timeSkipping.env.client.workflow.start(deploymentWorkflow, {
      workflowId: `carried-gate-${deadline}`,
      taskQueue: timeSkipping.worker.taskQueue,
      args: [
        input,
        {
          started_at: new Date().toISOString(),
          run_key: 'carried-gate',
          nodes: [],
          undo: {},
          breakpoints: [],
          released: [],
          gate_deadlines: { [gate]: new Date(deadline).toISOString() },
          end_reached: false,
          logs: [],
          log_offset: 0,
          continued_as_new: 1,
        },
      ],
      typedSearchAttributes: runSearchAttributes(input),
    });
    const paused = await waitFor(handle, (s) => s.status === 'paused');
    expect(at(paused.waiting_for?.waits?.[0]?.deadline)).toBe(deadline);
    const done = await result(handle);
    expect(node(done, 'gate')).toMatchObject({ status: 'failed', error_type: 'timeout' });
    expect(at(node(done, 'gate').completed_at) - deadline).toBeLessThan(TASK_SLACK_MS);
  });
});

describe('a core:wait of 2h', () => {
  it('is still waiting a minute before its end, holding no activity, and completes at two hours', async () => {
    const handle = await run(
      config({
        soak: { type: 'core:wait', properties: { duration: '2h' } },
        after: delay({}, { depends_on: ['soak'] }),
      }),
    );
    const waiting = await waitFor(handle, (s) => node(s, 'soak').waiting_on !== null);
    const began = at(node(waiting, 'soak').started_at);
    await timeSkipping.env.sleep(began + 2 * HOUR_MS - 60_000 - (await serverNow()));
    const before = await handle.query(statusQuery);
    expect(node(before, 'soak')).toMatchObject({
      status: 'running',
      waiting_on: expect.stringContaining('the wait of 7200000 ms'),
    });
    expect((await handle.describe()).raw.pendingActivities ?? []).toEqual([]);

    const done = await result(handle);
    expect(done.status).toBe('completed');
    const ended = at(node(done, 'soak').completed_at);
    expect(ended - began).toBeGreaterThanOrEqual(2 * HOUR_MS);
    expect(ended - began).toBeLessThan(2 * HOUR_MS + TASK_SLACK_MS);
  });
});
