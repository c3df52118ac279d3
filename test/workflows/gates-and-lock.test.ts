/** The deployment lock, breakpoints added mid-run, and approval gates. */
import { DeploymentAlreadyRunning } from '../../src/client/deployment-already-running';
import { startDeployment } from '../../src/client/start-deployment';
import { continueUpdate, pauseBeforeUpdate } from '../../src/workflows/messages';
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
import { useTemporal } from '../../support/temporal';

const temporal = useTemporal();

const approval = (properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  type: 'core:approval',
  properties,
  ...extra,
});

describe('the deployment lock', () => {
  it('refuses a second run of a deployment while one is active, naming the active run', async () => {
    const cfg = config({ slow: delay({ duration_ms: 1_500 }) });
    const first = await startDeployment(temporal.client, {
      input: deploymentInput(cfg),
      taskQueue: temporal.worker.taskQueue,
    });
    const second = startDeployment(temporal.client, {
      input: deploymentInput(cfg),
      taskQueue: temporal.worker.taskQueue,
    });
    await expect(second).rejects.toBeInstanceOf(DeploymentAlreadyRunning);
    await expect(second).rejects.toMatchObject({ workflowId: first.workflowId, runId: first.runId });
    await temporal.client.workflow.getHandle(first.workflowId).result();
    const again = await startDeployment(temporal.client, {
      input: deploymentInput(cfg),
      taskQueue: temporal.worker.taskQueue,
    });
    expect(again.runId).not.toBe(first.runId);
  });

  it('returns the same run for a retried start with the same request id', async () => {
    const cfg = config({ slow: delay({ duration_ms: 1_000 }) });
    const one = await startDeployment(temporal.client, {
      input: deploymentInput(cfg),
      taskQueue: temporal.worker.taskQueue,
      requestId: 'key-1',
    });
    const two = await startDeployment(temporal.client, {
      input: deploymentInput(cfg),
      taskQueue: temporal.worker.taskQueue,
      requestId: 'key-1',
    });
    expect(two).toEqual(one);
    await expect(
      startDeployment(temporal.client, {
        input: deploymentInput(cfg),
        taskQueue: temporal.worker.taskQueue,
        requestId: 'key-2',
      }),
    ).rejects.toBeInstanceOf(DeploymentAlreadyRunning);
    await temporal.client.workflow.getHandle(one.workflowId).result();
    const afterwards = await startDeployment(temporal.client, {
      input: deploymentInput(cfg),
      taskQueue: temporal.worker.taskQueue,
      requestId: 'key-1',
    });
    expect(afterwards).toEqual(one);
  });
});

describe('breakpoints', () => {
  it('pauses a pending node that got a breakpoint while the run was going', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ a: delay({ duration_ms: 1_500 }), b: delay({}, { depends_on: ['a'] }) }),
    );
    const running = await waitFor(handle, (s) => node(s, 'a').status === 'running');
    await handle.executeUpdate(pauseBeforeUpdate, { args: [{ node_id: node(running, 'b').node_id }] });
    await expect(
      handle.executeUpdate(pauseBeforeUpdate, { args: [{ node_id: node(running, 'a').node_id }] }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringContaining('only a node that has not started can get a breakpoint') },
    });
    const paused = await waitFor(handle, (s) => s.status === 'paused');
    expect(statusesByResource(paused)).toEqual({ a: 'completed', b: 'paused' });
    await handle.executeUpdate(continueUpdate, { args: [{}] });
    expect((await result(handle)).status).toBe('completed');
  });
});

describe('approval gates', () => {
  it('waits for a continue naming the gate, and a run-wide continue does not pass it', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ gate: approval(), after: delay({}, { depends_on: ['gate'] }) }),
    );
    const waiting = await waitFor(handle, (s) => s.status === 'paused');
    expect(statusesByResource(waiting)).toEqual({ gate: 'paused', after: 'pending' });
    await expect(handle.executeUpdate(continueUpdate, { args: [{}] })).rejects.toMatchObject({
      cause: { message: 'only approval gates are waiting: continue each by name (node_id): gate' },
    });
    await handle.executeUpdate(continueUpdate, { args: [{ node_id: node(waiting, 'gate').node_id }] });
    const done = await result(handle);
    expect(statusesByResource(done)).toEqual({ gate: 'completed', after: 'completed' });
    expect(node(done, 'gate').outputs).toEqual({ passed_by: 'continue' });
  });

  it('fails the gate when its timeout passes with on_timeout fail', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ gate: approval({ timeout: '1s' }) }, { decision_timeout: '1s' }),
    );
    const done = await result(handle);
    expect(done.status).toBe('failed');
    expect(node(done, 'gate')).toMatchObject({
      status: 'failed',
      error_type: 'timeout',
      error: 'approval not given within 1000 ms',
    });
  });

  it('lets the run through when its timeout passes with on_timeout continue', async () => {
    const done = await result(
      await start(
        temporal.client,
        temporal.worker.taskQueue,
        config({
          gate: approval({ timeout: '1s', on_timeout: 'continue' }),
          after: delay({}, { depends_on: ['gate'] }),
        }),
      ),
    );
    expect(statusesByResource(done)).toEqual({ gate: 'completed', after: 'completed' });
    expect(node(done, 'gate').outputs).toEqual({ passed_by: 'timeout' });
  });
});
