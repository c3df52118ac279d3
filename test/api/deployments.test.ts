/** Seed 002's lifecycle over REST on the real engine: deploy, status, redeploy with a new version, undeploy, list, logs. */
import { config, delay } from '../../support/deployments';
import { eventually } from '../helpers/eventually';
import { useTemporal } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;

beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

async function statusBecomes(id: string, wanted: string): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  await eventually(async () => {
    const response = await api.get(`/deployments/${id}`);
    body = response.body as Record<string, unknown>;
    expect([response.status, body['deployment_status']]).toEqual([200, wanted]);
  });
  return body;
}

it('deploys, reports DEPLOYED, redeploys the stored config under a new version, undeploys and reports UNDEPLOYED', async () => {
  const cfg = config({ role: delay({ outputs: { arn: 'arn:role' } }), fn: delay({}, { depends_on: ['role'] }) });
  const id = String(cfg['deployment_id']);
  expect((await api.get(`/deployments/${id}`)).body).toMatchObject({
    deployment_status: 'UNDEPLOYED',
    is_deployed: false,
    last_run: null,
  });

  const deployed = await api.post('/deploy/deploy', { config: cfg });
  expect([deployed.status, deployed.body.action]).toEqual([202, 'apply']);
  expect((await waitForRun(api, deployed.body.status_url as string, finished)).status).toBe('completed');
  const first = await statusBecomes(id, 'DEPLOYED');
  expect(first).toMatchObject({
    is_deployed: true,
    version: 'v1',
    last_run: { run_id: deployed.body.run_id, action: 'apply' },
  });

  const redeployed = await api.post('/deploy/redeploy', { deployment_id: id, version: 'v2' });
  expect([redeployed.status, redeployed.body.action]).toEqual([202, 'apply']);
  expect(redeployed.body.graph_id).not.toBe(deployed.body.graph_id);
  const run = await waitForRun(api, redeployed.body.status_url as string, finished);
  expect([run.status, run.nodes.map((n) => n.status)]).toEqual(['completed', ['completed', 'completed']]);
  expect(await statusBecomes(id, 'DEPLOYED')).toMatchObject({
    version: 'v2',
    last_run: { run_id: redeployed.body.run_id },
  });

  const logs = await api.get(`/deploy/logs/${id}`);
  expect(logs.body.entries.map((e: { message: string }) => e.message)).toContain('run completed');

  const undeployed = await api.post('/deploy/undeploy', { deployment_id: id });
  expect([undeployed.status, undeployed.body.action]).toEqual([202, 'destroy']);
  expect((await waitForRun(api, undeployed.body.status_url as string, finished)).status).toBe('completed');
  expect(await statusBecomes(id, 'UNDEPLOYED')).toMatchObject({ is_deployed: false, last_run: { action: 'destroy' } });

  const listed = await api.get('/deployments?status=UNDEPLOYED');
  expect(listed.body.deployments.map((d: { deployment_id: string }) => d.deployment_id)).toContain(id);
  expect(listed.body.count).toBe(listed.body.deployments.length);
});

it('reports DEPLOYMENT_FAILED after a failed deploy, and refuses bad requests with a 4xx naming the field', async () => {
  const cfg = config({ bad: delay({ fail_times: 5, non_retryable: true }) }, { on_failure: 'rollback' });
  const id = String(cfg['deployment_id']);
  const deployed = await api.post('/deploy/deploy', { config: cfg });
  await waitForRun(api, deployed.body.status_url as string, finished);
  await statusBecomes(id, 'DEPLOYMENT_FAILED');

  expect((await api.post('/deploy/redeploy', { deployment_id: 'never-deployed' })).status).toBe(404);
  expect((await api.post('/deploy/undeploy', { deployment_id: 'never-deployed' })).status).toBe(404);
  const bad = await api.post('/deploy/redeploy', { deployment_id: 'Not An Id' });
  expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringContaining('deployment_id')]);
  expect((await api.get('/deployments?status=NOPE')).status).toBe(400);
});
