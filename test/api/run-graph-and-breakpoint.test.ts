/**
 * What the dashboard draws and sets on a run (issue 15): GET /deploy/graph/{id} gives the run's
 * edges by kind and its points of no return; POST /deploy/breakpoint pauses a pending node before
 * it starts (the pause_before update), naming it as the config does. Real Temporal and worker.
 */
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;
beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

it("answers a run's edges by kind and its points of no return, named by node id", async () => {
  const cfg = config({
    a: delay(),
    b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }], point_of_no_return: true }),
    c: delay({}, { depends_on: ['b'] }),
  });
  const started = await api.post('/deploy/apply', { config: cfg, wait: 30 });
  const id = started.body.deployment_id as string;
  const status = await api.get(`/deploy/status/${id}`);
  const nodeOf = (resource: string): string =>
    (status.body.nodes as { resource_id: string; node_id: string }[]).find((n) => n.resource_id === resource)
      ?.node_id ?? '';
  const graph = await api.get(`/deploy/graph/${id}`);
  expect(graph.status).toBe(200);
  expect(graph.body).toMatchObject({ graph_id: status.body.graph_id, workflow_id: status.body.workflow_id });
  expect(graph.body.edges).toEqual(
    expect.arrayContaining([
      { from: nodeOf('a'), to: nodeOf('b'), kind: 'pause' },
      { from: nodeOf('b'), to: nodeOf('c'), kind: 'dependency' },
    ]),
  );
  expect(graph.body.points_of_no_return).toEqual([nodeOf('b')]);
  expect((await api.post('/deploy/continue', { deployment_id: id })).status).toBe(200);
  await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed');
  // A finished run still answers its graph.
  expect((await api.get(`/deploy/graph/${id}`)).body.edges).toHaveLength(graph.body.edges.length);
  expect((await api.get('/deploy/graph/no-such-deployment')).status).toBe(404);
});

it('sets a breakpoint on a pending node by its resource id; the run pauses there until continued', async () => {
  const cfg = config({
    slow: delay({ duration_ms: 1_500 }),
    after: delay({}, { depends_on: ['slow'] }),
  });
  const id = (await api.post('/deploy/apply', { config: cfg })).body.deployment_id as string;
  const set = await api.post('/deploy/breakpoint', { deployment_id: id, node_id: 'after' });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({
    accepted: true,
    action: 'pause_before',
    nodes: [{ resource_id: 'after', name: 'after' }],
  });
  const paused = await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'paused');
  expect((paused.waiting_for as { waits?: unknown } | null)?.waits).toEqual([
    expect.objectContaining({ resource_id: 'after', reason: 'breakpoint' }),
  ]);
  expect((await api.post('/deploy/continue', { deployment_id: id, node_id: 'after' })).status).toBe(200);
  await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed');

  const missing = await api.post('/deploy/breakpoint', { deployment_id: id });
  expect([missing.status, missing.body.error.details.issues[0].path]).toEqual([400, 'node_id']);
  const over = await api.post('/deploy/breakpoint', { deployment_id: id, node_id: 'after' });
  expect([over.status, over.body.error.message]).toEqual([409, expect.stringMatching(/^the run has already finished/)]);
});
