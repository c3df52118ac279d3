/**
 * What a run writes to the worker's log at LOG_LEVEL=info, read from a real worker process's output
 * (`src/main-worker.ts`, JSON lines): each node's operations from its activity (every attempt's start
 * and end, a failed attempt at warn), the run's own events from the workflow, each line naming the
 * deployment, its tenant and the node's resource; and the run's `logs` query still has every node's
 * `started` and `completed`.
 */
import type { Client } from '@temporalio/client';
import { startDeployment } from '../../src/client/start-deployment';
import { logsQuery } from '../../src/workflows/messages';
import { config, delay, deploymentInput, result } from '../../support/deployments';
import { temporalAddress, testClient, uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { eventually } from '../helpers/eventually';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly deployment_id?: string;
  readonly tenant?: string;
  readonly node_id?: string;
  readonly resource?: string;
  readonly sdkComponent?: string;
  readonly activityId?: string;
  readonly taskToken?: string;
}

const INFO = 30;
const WARN = 40;

let client: Client;
let closeClient: () => Promise<void>;
let worker: WorkerProcess;
const taskQueue = uniqueId('node-lines');

beforeAll(async () => {
  ({ client, close: closeClient } = await testClient());
  worker = spawnWorker({
    TEMPORAL_ADDRESS: temporalAddress(),
    TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  });
  await worker.ready;
});
afterAll(async () => {
  await worker?.kill('SIGTERM');
  await closeClient?.();
});

const lines = (): Line[] =>
  worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);

it("logs each attempt of a node's operation from its activity, and the run's events from the workflow", async () => {
  const deploymentId = uniqueId('lines');
  const cfg = config(
    {
      build: delay(),
      flaky: delay({ fail_times: 1, fail_message: 'the registry timed out' }, { depends_on: ['build'] }),
      rollout: delay({ pending_looks: 2, pending_interval_ms: 50 }, { depends_on: ['build'] }),
    },
    { retry: { max_attempts: 2, initial_interval: '100ms' } },
    deploymentId,
  );
  const input = deploymentInput(cfg, { tenant: 'acme' });
  const { workflowId, runId } = await startDeployment(client, { input, taskQueue });
  const handle = client.workflow.getHandle(workflowId, runId);
  expect((await result(handle)).status).toBe('completed');

  const ofRun = (): Line[] => lines().filter((line) => line.deployment_id === deploymentId);
  await eventually(() => Promise.resolve(expect(ofRun().map((line) => line.msg)).toContain('run completed')));
  const ofNode = (resource: string): [number, string][] =>
    ofRun()
      .filter((line) => line.resource === resource)
      .map((line) => [line.level, line.msg]);
  expect(ofNode('build')).toEqual([
    [INFO, 'apply started'],
    [INFO, 'apply completed'],
  ]);
  expect(ofNode('flaky')).toEqual([
    [INFO, 'apply started'],
    [WARN, 'apply failed (operation_failed): the registry timed out (attempt 1 of 1 failing)'],
    [INFO, 'apply started (attempt 2)'],
    [INFO, 'apply completed (attempt 2)'],
  ]);
  // Looks again at a pending effect are at debug, but for the one that ends the wait.
  expect(ofNode('rollout')).toEqual([
    [INFO, 'apply started'],
    [INFO, 'apply answered pending'],
    [INFO, 'waiting: look 1 of 2'],
    [INFO, 'waiting: look 2 of 2'],
    [INFO, 'poll completed'],
  ]);
  for (const line of ofRun()) expect(line.tenant).toBe('acme');
  // The SDK's activity attributes, less its task token (with which anyone reaching the frontend may complete the activity).
  for (const line of ofRun().filter((line) => line.sdkComponent === 'activity'))
    expect([line.activityId, line.taskToken]).toEqual([expect.any(String), undefined]);
  const nodeIds = new Set(input.graph.nodes.map((node) => node.node_id));
  for (const line of ofRun().filter((line) => line.resource !== undefined)) expect(nodeIds).toContain(line.node_id);

  const entries = await handle.query(logsQuery);
  for (const resource of ['build', 'flaky', 'rollout'])
    expect(entries.filter((entry) => entry.resource === resource).map((entry) => entry.message)).toEqual(
      expect.arrayContaining(['started', 'completed']),
    );
});
