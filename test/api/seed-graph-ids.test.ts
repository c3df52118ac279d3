/**
 * Seed 001 names runs by graph id: GET /deploy/status/{graph_id}, POST /deploy/continue
 * {graph_id, from_node}, /deploy/verify and /deploy/destroy {graph_id, credentials}. A real
 * Temporal server and worker.
 */
import type { ApiContext } from '../../src/api/context';
import { startInput } from '../../src/api/services/start-input';
import type { DeploymentInput } from '../../src/model/run-types';
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { eventually } from '../helpers/eventually';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;
beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

/** The input a run was started with, from its history. */
const runInput = (run: { workflow_id: string; run_id: string }): Promise<DeploymentInput> =>
  startInput({ client: () => temporal.client, namespace: 'default' } as ApiContext, {
    workflowId: run.workflow_id,
    runId: run.run_id,
  });

const pausing = () =>
  config({ a: delay({ outputs: { v: 1 } }), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) });

describe('a run named by its graph id', () => {
  it('answers status, takes continue with from_node, and verify and destroy with credentials for that run', async () => {
    const started = await api.post('/deploy/apply', { config: pausing(), wait: 30 });
    expect(started.body.status).toBe('paused');
    const graphId = started.body.graph_id as string;

    const status = await eventually(async () => {
      const response = await api.get(`/deploy/status/${graphId}`);
      expect(response.status).toBe(200);
      return response;
    });
    expect([status.body.run_id, status.body.status]).toEqual([started.body.run_id, 'paused']);

    const paused = started.body.next_operation.node_id as string;
    const continued = await api.post('/deploy/continue', { graph_id: graphId, from_node: paused });
    expect([continued.status, continued.body.node_ids]).toEqual([200, [paused]]);
    await waitForRun(api, started.body.status_url as string, finished);

    const credentials = { slack: { encrypted_webhook_url: Buffer.from('not a real box').toString('base64') } };
    const verify = await api.post('/deploy/verify', { graph_id: graphId, credentials });
    expect([verify.status, verify.body.action, verify.body.deployment_id]).toEqual([
      202,
      'verify',
      started.body.deployment_id,
    ]);
    await waitForRun(api, verify.body.status_url as string, finished);
    expect((await runInput(verify.body)).credentials).toEqual(credentials);

    // Given for that run only: the destroy after it runs with the last apply's (none).
    const destroy = await api.post('/deploy/destroy', { graph_id: graphId });
    expect([destroy.status, destroy.body.action]).toEqual([202, 'destroy']);
    expect((await runInput(destroy.body)).credentials).toBeNull();
    expect((await waitForRun(api, destroy.body.status_url as string, finished)).status).toBe('completed');
  });

  it("refuses a graph id that is not the deployment's last apply, and an unknown one", async () => {
    const first = await api.post('/deploy/apply', { config: config({ a: delay() }), wait: 30 });
    const id = first.body.deployment_id as string;
    const changed = await api.post('/deploy/apply', {
      config: config({ a: delay({ outputs: { v: 2 } }) }, {}, id),
      wait: 30,
    });
    expect(changed.body.graph_id).not.toBe(first.body.graph_id);
    await eventually(async () =>
      expect((await api.get(`/deploy/status/${first.body.graph_id as string}`)).status).toBe(200),
    );
    const stale = await api.post('/deploy/verify', { graph_id: first.body.graph_id });
    expect([stale.status, stale.body.error.message]).toEqual([
      409,
      `the last apply of ${id} has graph ${changed.body.graph_id as string}, not ${first.body.graph_id as string}: plan again`,
    ]);
    expect((await api.post('/deploy/verify', { graph_id: '0123456789abcdef' })).status).toBe(404);
    expect((await api.get('/deploy/status/0123456789abcdef')).status).toBe(404);
  });

  it('needs exactly one of deployment_id, graph_id or config, naming the field', async () => {
    const both = await api.post('/deploy/continue', { deployment_id: 'x', graph_id: '0123456789abcdef' });
    expect([both.status, JSON.stringify(both.body.error.details)]).toEqual([
      400,
      expect.stringContaining('give deployment_id or graph_id'),
    ]);
    const none = await api.post('/deploy/verify', {});
    expect([none.status, JSON.stringify(none.body.error.details)]).toEqual([
      400,
      expect.stringContaining('give one of deployment_id, graph_id or config'),
    ]);
  });
});
