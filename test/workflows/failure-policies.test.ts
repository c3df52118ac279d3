/** on_failure policies and operator decisions (retry, skip, rollback, abort), on a real server. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { RunStatus } from '../../src/model/run-types';
import {
  abortUpdate,
  logsQuery,
  retryUpdate,
  rollbackUpdate,
  SEARCH_ATTRIBUTES,
  skipUpdate,
} from '../../src/workflows/messages';
import { config, delay, node, result, start, statusesByResource, waitFor } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';

const temporal = useTemporal();

const failing = (extra: Record<string, unknown> = {}) => delay({ fail_times: 1, fail_message: 'boom' }, extra);
const awaitingDecision = (s: RunStatus) => s.status === 'awaiting_decision';

describe('on_failure: halt (the default)', () => {
  it('blocks the dependents, keeps the run open, and completes it after a retry', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ a: failing(), b: delay({}, { depends_on: ['a'] }) }),
    );
    const halted = await waitFor(handle, awaitingDecision);
    expect(statusesByResource(halted)).toEqual({ a: 'failed', b: 'blocked' });
    expect(node(halted, 'a')).toMatchObject({ error_type: 'operation_failed', attempts: 1 });
    expect(node(halted, 'a').error).toContain('boom');
    expect(halted.waiting_for).toMatchObject({ kind: 'decision', node_ids: [node(halted, 'a').node_id] });
    const answer = await handle.executeUpdate(retryUpdate, { args: [{}] });
    const a = node(halted, 'a').node_id;
    expect(answer).toEqual({
      accepted: true,
      action: 'retry',
      node_ids: [a],
      nodes: [{ node_id: a, resource_id: 'a', region: null, name: 'a' }],
    });
    const done = await result(handle);
    expect(statusesByResource(done)).toEqual({ a: 'completed', b: 'completed' });
    expect(node(done, 'a').attempts).toBe(2);
  });

  it('lets the dependents of a skipped node go on', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ a: failing({ properties: { fail_times: 9 } }), b: delay({}, { depends_on: ['a'] }) }),
    );
    await waitFor(handle, awaitingDecision);
    await handle.executeUpdate(skipUpdate, { args: [{}] });
    expect(statusesByResource(await result(handle))).toEqual({ a: 'skipped', b: 'completed' });
  });

  it('ends as failed when no decision comes before the decision timeout', async () => {
    const done = await result(
      await start(temporal.client, temporal.worker.taskQueue, config({ a: failing() }, { decision_timeout: '1s' })),
    );
    expect(done.status).toBe('failed');
  });

  it('ends as aborted on abort, without compensating', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ ok: delay(), a: failing({ depends_on: ['ok'] }) }),
    );
    await waitFor(handle, awaitingDecision);
    await handle.executeUpdate(abortUpdate, { args: [{ reason: 'operator gave up' }] });
    const done = await result(handle);
    expect(done.status).toBe('aborted');
    expect(statusesByResource(done)).toEqual({ ok: 'completed', a: 'failed' });
    expect((await handle.query(logsQuery, {})).some((l) => l.message.includes('operator gave up'))).toBe(true);
  });

  it('cancels in-flight nodes on abort', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ slow: delay({ duration_ms: 30_000 }) }),
    );
    await waitFor(handle, (s) => node(s, 'slow').status === 'running');
    await handle.signal('abort', { reason: 'stop now' });
    const done = await result(handle);
    expect(done.status).toBe('aborted');
    expect(node(done, 'slow')).toMatchObject({ status: 'failed', error_type: 'cancelled' });
  });

  it('ends as aborted when the workflow itself is cancelled (Web UI, temporal workflow cancel), cancelling in-flight nodes', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ slow: delay({ duration_ms: 30_000 }), next: delay({}, { depends_on: ['slow'] }) }),
    );
    await waitFor(handle, (s) => node(s, 'slow').status === 'running');
    await handle.cancel();
    const done = await result(handle);
    expect(done.status).toBe('aborted');
    expect(node(done, 'slow')).toMatchObject({
      status: 'failed',
      error_type: 'cancelled',
      error: 'cancelled: the workflow was cancelled',
    });
    expect(node(done, 'next').status).toBe('blocked');
    expect((await handle.describe()).searchAttributes[SEARCH_ATTRIBUTES.deploymentStatus]).toEqual(['aborted']);
  });

  it('does not retry an error classified as non-retryable', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config(
        { a: delay({ fail_times: 5, non_retryable: true }) },
        { retry: { max_attempts: 5, initial_interval: '100ms' } },
      ),
    );
    const halted = await waitFor(handle, awaitingDecision);
    expect(node(halted, 'a').attempts).toBe(1);
    await handle.signal('abort', {});
    await result(handle);
  });

  it('retries a retryable error with backoff within the retry policy', async () => {
    const done = await result(
      await start(
        temporal.client,
        temporal.worker.taskQueue,
        config({ a: delay({ fail_times: 2 }) }, { retry: { max_attempts: 3, initial_interval: '100ms' } }),
      ),
    );
    expect(done.status).toBe('completed');
    expect(node(done, 'a').attempts).toBe(3);
  });
});

describe('on_failure: rollback', () => {
  it('compensates every completed node, dependents before their dependencies', async () => {
    const resources = {
      root: delay(),
      left: delay({}, { depends_on: ['root'] }),
      right: delay({}, { depends_on: ['root'] }),
      leaf: delay({}, { depends_on: ['left', 'right'] }),
      last: failing({ depends_on: ['leaf'] }),
    };
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config(resources, { on_failure: 'rollback' }),
    );
    const done = await result(handle);
    expect(done.status).toBe('rolled_back');
    expect(statusesByResource(done)).toEqual({
      root: 'compensated',
      left: 'compensated',
      right: 'compensated',
      leaf: 'compensated',
      last: 'failed',
    });
    const logs = await handle.query(logsQuery, {});
    const idOf = (r: string) => node(done, r).node_id;
    const started = (r: string) => logs.findIndex((l) => l.node_id === idOf(r) && l.message === 'compensating');
    const finished = (r: string) =>
      logs.findIndex((l) => l.node_id === idOf(r) && l.message.startsWith('compensation:'));
    for (const [dependent, dependency] of [
      ['leaf', 'left'],
      ['leaf', 'right'],
      ['left', 'root'],
      ['right', 'root'],
    ] as const) {
      expect(finished(dependent)).toBeGreaterThanOrEqual(0);
      expect(started(dependency)).toBeGreaterThan(finished(dependent));
    }
  });

  it('rolls back on an operator request while other nodes are running', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({
        a: delay(),
        b: delay({ duration_ms: 1_500 }, { depends_on: ['a'] }),
        c: delay({}, { depends_on: ['b'] }),
      }),
    );
    await waitFor(handle, (s) => node(s, 'b').status === 'running');
    await handle.executeUpdate(rollbackUpdate, { args: [] });
    const done = await result(handle);
    expect(done.status).toBe('rolled_back');
    expect(statusesByResource(done)).toEqual({ a: 'compensated', b: 'compensated', c: 'pending' });
  });
});

describe('on_failure: continue', () => {
  it('lets independent branches complete while dependents of the failure are blocked', async () => {
    const resources = {
      a: failing(),
      b: delay({}, { depends_on: ['a'] }),
      x: delay(),
      y: delay({}, { depends_on: ['x'] }),
    };
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config(resources, { on_failure: 'continue' }),
    );
    const halted = await waitFor(handle, awaitingDecision);
    expect(statusesByResource(halted)).toEqual({ a: 'failed', b: 'blocked', x: 'completed', y: 'completed' });
    await handle.signal('retry', {});
    expect((await result(handle)).status).toBe('completed');
  });
});

describe('updates refuse what the run cannot do now', () => {
  it('rejects retry, skip and continue with a reason when nothing failed or paused', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ slow: delay({ duration_ms: 2_000 }) }),
    );
    await waitFor(handle, (s) => node(s, 'slow').status === 'running');
    await expect(handle.executeUpdate(retryUpdate, { args: [{}] })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(retryUpdate, { args: [{}] })).rejects.toMatchObject({
      cause: { message: 'no node has failed (the run is running)' },
    });
    await expect(handle.executeUpdate(skipUpdate, { args: [{}] })).rejects.toMatchObject({
      cause: { message: 'no node has failed (the run is running)' },
    });
    await expect(handle.executeUpdate('continue', { args: [{}] })).rejects.toMatchObject({
      cause: { message: 'nothing is paused (the run is running)' },
    });
    await expect(handle.executeUpdate('continue', { args: [{ node_id: 'nope' }] })).rejects.toMatchObject({
      cause: {
        message: 'no node "nope" in this deployment: name one by its resource id (or resource[region]) or node id',
      },
    });
    await result(handle);
    await expect(handle.executeUpdate(abortUpdate, { args: [{}] })).rejects.toThrow();
  });

  it('rejects a rollback of a dry run, and a retry naming a node that did not fail', async () => {
    const dry = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ a: delay({ duration_ms: 1_000 }) }, { mode: 'DRY_RUN' }),
    );
    await expect(dry.executeUpdate(rollbackUpdate, { args: [] })).rejects.toMatchObject({
      cause: { message: 'a dry run has nothing to roll back' },
    });
    await result(dry);
    const handle = await start(temporal.client, temporal.worker.taskQueue, config({ a: failing(), b: delay() }));
    const halted = await waitFor(handle, awaitingDecision);
    await expect(
      handle.executeUpdate(retryUpdate, { args: [{ node_ids: [node(halted, 'b').node_id] }] }),
    ).rejects.toMatchObject({ cause: { message: `node b (${node(halted, 'b').node_id}) is completed, not failed` } });
    await handle.executeUpdate(abortUpdate, { args: [{}] });
    await result(handle);
  });

  it('ignores a signal the run cannot take, and says so in the logs', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ slow: delay({ duration_ms: 1_000 }) }),
    );
    await handle.signal('retry', {});
    expect((await result(handle)).status).toBe('completed');
    expect(
      (await handle.query(logsQuery, {})).some(
        (l) => l.level === 'warn' && l.message.startsWith('signal retry ignored'),
      ),
    ).toBe(true);
  });
});
