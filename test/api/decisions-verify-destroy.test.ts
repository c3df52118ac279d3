/** Failure decisions, verify and destroy of the stored config, the event stream, health and metrics, over REST with a real worker. */
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;

beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

it('halts on a failed node, retries it over REST, and completes', async () => {
  const cfg = config({ flaky: delay({ fail_times: 1 }), after: delay({}, { depends_on: ['flaky'] }) });
  const id = String(cfg['deployment_id']);
  await api.post('/deploy/apply', { config: cfg });
  const halted = await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'awaiting_decision');
  const flaky = halted.nodes.find((n) => n.resource_id === 'flaky');
  expect(Object.fromEntries(halted.nodes.map((n) => [n.resource_id, n.status]))).toEqual({
    flaky: 'failed',
    after: 'blocked',
  });
  const retry = await api.post('/deploy/retry', { deployment_id: id });
  expect(retry.body).toMatchObject({ accepted: true, action: 'retry', node_ids: [flaky?.node_id] });
  expect((await waitForRun(api, `/deploy/status/${id}`, finished)).status).toBe('completed');
});

it('verifies and destroys a deployment from the stored config of its last apply, with that apply’s outputs', async () => {
  const cfg = config({ a: delay({ outputs: { arn: 'arn:a' } }) });
  const id = String(cfg['deployment_id']);
  await api.post('/deploy/apply', { config: cfg });
  await waitForRun(api, `/deploy/status/${id}`, finished);
  const verify = await api.post('/deploy/verify', { deployment_id: id });
  expect([verify.status, verify.body.action]).toEqual([202, 'verify']);
  const verified = await waitForRun(api, verify.body.status_url as string, finished);
  expect(verified.status).toBe('completed');
  expect(verified.nodes[0]?.action).toBe('in-sync');
  const history = await temporal.client.workflow
    .getHandle(verify.body.workflow_id as string, verify.body.run_id as string)
    .fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  const input = JSON.parse(Buffer.from(payload ?? []).toString('utf8')) as {
    action: string;
    previous_outputs: unknown;
  };
  expect(input).toMatchObject({
    action: 'verify',
    previous_outputs: { [String(verified.nodes[0]?.node_id)]: { arn: 'arn:a' } },
  });
  const destroy = await api.post('/deploy/destroy', { deployment_id: id });
  expect([destroy.status, destroy.body.action]).toEqual([202, 'destroy']);
  expect((await waitForRun(api, destroy.body.status_url as string, finished)).status).toBe('completed');
  const page = await api.get(`/deploy/history/${id}?page_size=2`);
  expect(page.body.runs.map((r: { action: string }) => r.action)).toEqual(['destroy', 'verify']);
  const older = await api.get(
    `/deploy/history/${id}?page_size=2&page_token=${encodeURIComponent(String(page.body.next_page_token))}`,
  );
  expect(older.body.runs.map((r: { action: string }) => r.action)).toEqual(['apply']);
  expect((await api.post('/deploy/verify', { deployment_id: 'never-applied' })).status).toBe(404);
  expect((await api.get(`/deploy/history/${id}?page_token=bm9wZQ==`)).status).toBe(400);
});

it('streams a run as server-sent events until it finishes', async () => {
  const cfg = config({ a: delay({ duration_ms: 300 }), b: delay({ duration_ms: 300 }, { depends_on: ['a'] }) });
  const started = await api.post('/deploy/apply', { config: cfg });
  const stream = await api.get(started.body.events_url as string);
  expect(stream.status).toBe(200);
  expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
  const events = [...stream.text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
  expect(events).toEqual(expect.arrayContaining(['node_started', 'node_completed', 'run_finished']));
  expect(events.filter((e) => e === 'node_completed')).toHaveLength(2);
  expect(events[events.length - 1]).toBe('run_finished');
});

it('reports health with the workers polling, and Prometheus metrics of requests and runs', async () => {
  const health = await api.get('/health');
  expect(health.body).toMatchObject({
    status: 'ok',
    api: 'up',
    temporal: { reachable: true },
    workers: { task_queue: temporal.worker.taskQueue },
  });
  expect(health.body.workers.pollers).toBeGreaterThan(0);
  const idle = testApi({ client: temporal.client, taskQueue: 'nobody-polls-this' });
  expect((await idle.get('/health')).body).toMatchObject({ status: 'degraded', workers: { pollers: 0 } });
  const metrics = await api.get('/metrics');
  expect(metrics.text).toMatch(/http_requests_total\{method="POST",route="\/deploy\/apply",status="202"\} \d+/);
  expect(metrics.text).toMatch(/deployment_runs_started_total\{action="apply",mode="FULL"\} [1-9]/);
  expect(metrics.text).toMatch(/deployment_runs\{status="completed"\} [1-9]/);
});
