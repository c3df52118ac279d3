/**
 * A node marked point_of_no_return (issue 21: the release train's first merge), on a real server
 * with the Slack surrogate: a failure after it never compensates automatically, even with
 * on_failure rollback: the run halts for a decision and settings.alerts gets a post naming the
 * failed step and what is already done; a rollback then undoes only what came after the point and
 * says what it left; a retry completes the run. Before the point, on_failure rollback is as ever.
 */
import { startDeployment } from '../../src/client/start-deployment';
import type { RunStatus } from '../../src/model/run-types';
import { logsQuery, retryUpdate, rollbackUpdate } from '../../src/workflows/messages';
import { config, delay, deploymentInput, node, result, statusesByResource, waitFor } from '../../support/deployments';
import { startTestWorker, testClient, type TestWorker } from '../../support/temporal';
import { eventually } from '../helpers/eventually';
import { useSlackBed } from '../slack/helpers/slack-bed';
import { LOOPBACK_OUTBOUND } from '../helpers/loopback-outbound';

const bed = useSlackBed();
let worker: TestWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  worker = await startTestWorker({
    deps: { clients: { slack: bed().clients, outbound: LOOPBACK_OUTBOUND }, secrets: bed().keyring },
  });
  temporal = await testClient();
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
});

/** branch → merge (the point) → after and release; release fails once (not retried by itself). */
const train = (releaseFails: boolean) => ({
  branch: delay(),
  merge: delay({}, { depends_on: ['branch'], point_of_no_return: true }),
  after: delay({}, { depends_on: ['merge'] }),
  release: delay(releaseFails ? { fail_times: 1, non_retryable: true, fail_message: 'checks failed' } : {}, {
    depends_on: ['merge', 'after'],
  }),
});

let deploymentId = '';

async function start(resources: Record<string, Record<string, unknown>>) {
  const settings = { on_failure: 'rollback', alerts: { slack: { channel: '#releases' } } };
  const input = { ...deploymentInput(config(resources, settings)), credentials: await bed().credentials() };
  deploymentId = input.graph.deployment_id;
  const { workflowId, runId } = await startDeployment(temporal.client, { input, taskQueue: worker.taskQueue });
  return temporal.client.workflow.getHandle(workflowId, runId);
}

const halted = (s: RunStatus) => s.status === 'awaiting_decision';

it('halts instead of rolling back past the point, alerts Slack, and a rollback undoes only what came after it', async () => {
  const handle = await start(train(true));
  const stopped = await waitFor(handle, halted);
  expect(statusesByResource(stopped)).toEqual({
    branch: 'completed',
    merge: 'completed',
    after: 'completed',
    release: 'failed',
  });
  const logs = await handle.query(logsQuery);
  expect(logs).toContainEqual(
    expect.objectContaining({
      resource: 'release',
      message: 'failed past the point of no return (merge): no automatic rollback; waiting for a decision',
    }),
  );
  const alerts = () =>
    bed()
      .surrogate.messages('#releases')
      .filter((m) => m.text.startsWith(`${deploymentId}: `));
  await eventually(() => Promise.resolve(expect(alerts()).toHaveLength(1)));
  const [posted] = alerts();
  expect(posted?.text).toMatch(/: release failed past the point of no return \(merge\): .*checks failed/);
  expect(posted?.text).toContain('Already done, and not undone automatically: after, branch, merge');

  await handle.executeUpdate(rollbackUpdate, { args: [] });
  const done = await result(handle);
  expect(done.status).toBe('rolled_back');
  expect(statusesByResource(done)).toEqual({
    branch: 'completed',
    merge: 'completed',
    after: 'compensated',
    release: 'failed',
  });
  expect(node(done, 'branch').compensation).toBe('left: done before the point of no return (merge)');
  expect(node(done, 'merge').compensation).toBe('left: done before the point of no return (merge)');
});

it('completes after an operator retry once the cause is fixed', async () => {
  const handle = await start(train(true));
  await waitFor(handle, halted);
  await handle.executeUpdate(retryUpdate, { args: [{ node_ids: ['release'] }] });
  const done = await result(handle);
  expect(done.status).toBe('completed');
  expect(node(done, 'release').attempts).toBe(2);
});

it('before the point, on_failure rollback undoes everything, and nothing is alerted', async () => {
  const before = bed().surrogate.messages('#releases').length;
  const handle = await start({
    branch: delay(),
    merge: delay({ fail_times: 1, non_retryable: true }, { depends_on: ['branch'], point_of_no_return: true }),
  });
  const done = await result(handle);
  expect(done.status).toBe('rolled_back');
  expect(statusesByResource(done)).toEqual({ branch: 'compensated', merge: 'failed' });
  expect(bed().surrogate.messages('#releases')).toHaveLength(before);
});
