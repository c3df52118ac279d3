/**
 * A node whose apply answers `pending` waits on durable timers between looks (pending-wait.ts):
 * `core:wait` on a real server shows what it waits for while no activity runs and no worker slot
 * is held, survives its worker going away, and completes when its time has come; a wait past
 * its timeout fails the node with error_type timeout. Waits of hours: time-skipping tests.
 */
import { continueUpdate, logsQuery } from '../../src/workflows/messages';
import { config, delay, node, result, start, waitFor } from '../../support/deployments';
import { startTestWorker, useTemporal } from '../../support/temporal';

const temporal = useTemporal();

it('waits on a timer with no activity running, says what for, and goes on once the time has come', async () => {
  const handle = await start(
    temporal.client,
    temporal.worker.taskQueue,
    config({ soak: { type: 'core:wait', properties: { duration: '2s' } }, after: delay({}, { depends_on: ['soak'] }) }),
  );
  const waiting = await waitFor(handle, (s) => node(s, 'soak').waiting_on !== null);
  expect(node(waiting, 'soak')).toMatchObject({
    status: 'running',
    waiting_on: 'the wait of 2000 ms',
  });
  const described = await handle.describe();
  expect(described.raw.pendingActivities ?? []).toEqual([]);

  const done = await result(handle);
  expect(done.status).toBe('completed');
  expect(node(done, 'soak')).toMatchObject({ status: 'completed', waiting_on: null, outputs: { waited_ms: 2000 } });
  expect(node(done, 'soak').duration_seconds).toBeGreaterThanOrEqual(2);
  const history = await handle.fetchHistory();
  const timers = (history.events ?? []).filter((e) => e.timerStartedEventAttributes);
  expect(timers).toHaveLength(1);
  const logs = await handle.query(logsQuery);
  expect(logs).toContainEqual(
    expect.objectContaining({ resource: 'soak', message: expect.stringMatching(/^waiting: the wait of 2000 ms/) }),
  );
});

it('survives its worker going away during the wait: another worker finishes the run', async () => {
  const worker = await startTestWorker();
  const handle = await start(
    temporal.client,
    worker.taskQueue,
    config({ soak: { type: 'core:wait', properties: { duration: '3s' } } }),
  );
  await waitFor(handle, (s) => node(s, 'soak').waiting_on !== null);
  await worker.stop();
  const again = await startTestWorker({ taskQueue: worker.taskQueue });
  try {
    expect((await result(handle)).status).toBe('completed');
  } finally {
    await again.stop();
  }
});

const timerMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  Number(t?.seconds ?? 0) * 1_000 + Math.round((t?.nanos ?? 0) / 1e6);

it('looks again after the interval, twice as long each time (±20%), then takes the answer that is done', async () => {
  const handle = await start(
    temporal.client,
    temporal.worker.taskQueue,
    config({ slow: delay({ pending_looks: 3, pending_interval_ms: 200, outputs: { v: 1 } }) }),
  );
  const done = await result(handle);
  expect(node(done, 'slow')).toMatchObject({ status: 'completed', outputs: { v: 1 }, attempts: 1, waiting_on: null });
  const history = await handle.fetchHistory();
  const timers = (history.events ?? []).flatMap((e) =>
    e.timerStartedEventAttributes ? [timerMs(e.timerStartedEventAttributes.startToFireTimeout)] : [],
  );
  expect(timers).toHaveLength(3);
  [200, 400, 800].forEach((ms, i) => {
    expect(timers[i]).toBeGreaterThanOrEqual(ms * 0.8);
    expect(timers[i]).toBeLessThanOrEqual(ms * 1.2);
  });
});

it('fails the node with error_type timeout when it is still pending past its timeout', async () => {
  const handle = await start(
    temporal.client,
    temporal.worker.taskQueue,
    config({ stuck: delay({ pending_looks: 100, pending_interval_ms: 100, pending_timeout_ms: 1_000 }) }),
  );
  const halted = await waitFor(handle, (s) => s.status === 'awaiting_decision');
  expect(node(halted, 'stuck')).toMatchObject({ status: 'failed', error_type: 'timeout', waiting_on: null });
  expect(node(halted, 'stuck').error).toMatch(/^look \d+ of 100: still not done after 1 s$/);
  await handle.terminate('test over');
});

it("ends an overridable wait on an operator's continue naming the node, and refuses one for a wait that is not", async () => {
  const handle = await start(
    temporal.client,
    temporal.worker.taskQueue,
    config({
      approval: delay({ pending_looks: 100, pending_interval_ms: 60_000, pending_overridable: true }),
      checks: delay({ pending_looks: 100, pending_interval_ms: 60_000 }),
    }),
  );
  await waitFor(handle, (s) => node(s, 'approval').waiting_on !== null && node(s, 'checks').waiting_on !== null);
  await expect(handle.executeUpdate(continueUpdate, { args: [{ node_id: 'checks' }] })).rejects.toMatchObject({
    cause: { message: 'node checks waits for look 1 of 100: a continue cannot end that wait' },
  });
  const answer = await handle.executeUpdate(continueUpdate, { args: [{ node_id: 'approval' }] });
  expect(answer).toMatchObject({ action: 'continue', nodes: [expect.objectContaining({ name: 'approval' })] });
  const moved = await waitFor(handle, (s) => node(s, 'approval').status === 'completed');
  expect(node(moved, 'approval').outputs).toEqual({ overridden: true });
  expect(await handle.query(logsQuery)).toContainEqual(
    expect.objectContaining({ resource: 'approval', message: 'continue: ends the wait by hand' }),
  );
  await handle.terminate('test over');
});
