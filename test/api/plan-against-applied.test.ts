/**
 * POST /deploy/plan without live reads compares the config with the deployment's last apply (its
 * record keeps that apply's graph): a new node is a create, an equal one a no-op, a changed one an
 * update naming each change, and an applied node the config dropped is listed as removed; after a
 * destroy there is nothing to compare with. Every
 * answer is the same inline and when the body is planned on the offload pool. A real Temporal
 * server and worker.
 */
import type { Response } from 'supertest';
import { OffloadPool, offloadPool } from '../../src/api/offload/pool';
import { config, delay, type Resources } from '../../support/deployments';
import { uniqueId, useTemporal } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

let mockOffloadMinBytes: number | null = null;
jest.mock('../../src/api/offload/settings', () => {
  const actual: Record<string, unknown> = jest.requireActual('../../src/api/offload/settings');
  return {
    ...actual,
    get OFFLOAD_MIN_BYTES() {
      return mockOffloadMinBytes ?? actual['OFFLOAD_MIN_BYTES'];
    },
  };
});

interface PlanNodeView {
  resource_id: string;
  action: string;
  changes: { path: string; before?: unknown; after?: unknown }[];
}

const temporal = useTemporal();
let api: Http;
beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});
afterAll(() => offloadPool().close());

/** The plan of `resources`, inline and on the pool: both answers must be the same bytes. */
async function plan(id: string, resources: Resources): Promise<Response> {
  const body = { config: config(resources, {}, id) };
  const run = jest.spyOn(OffloadPool.prototype, 'run');
  mockOffloadMinBytes = Infinity;
  const inline = await api.post('/deploy/plan', body);
  mockOffloadMinBytes = 0;
  const pooled = await api.post('/deploy/plan', body).finally(() => (mockOffloadMinBytes = null));
  expect(run).toHaveBeenCalled();
  run.mockRestore();
  expect(inline.status).toBe(200);
  expect(pooled.text).toBe(inline.text);
  return inline;
}

const byResource = (response: Response): Record<string, Omit<PlanNodeView, 'resource_id'>> =>
  Object.fromEntries(
    (response.body.nodes as PlanNodeView[]).map(({ resource_id, action, changes }) => [
      resource_id,
      { action, changes },
    ]),
  );

async function apply(id: string, resources: Resources): Promise<string> {
  const response = await api.post('/deploy/apply', { config: config(resources, {}, id), mode: 'FULL', wait: 30 });
  expect(response.body.status).toBe('completed');
  return response.body.run_id as string;
}

const applied = {
  build: delay({ duration_ms: 10 }),
  release: delay({ duration_ms: 10 }, { depends_on: ['build'] }),
  notify: delay({ duration_ms: 10 }, { depends_on: ['release'] }),
};

it('plans every node as a create when the deployment was never applied', async () => {
  const answer = await plan(uniqueId('never'), applied);
  expect(answer.body.compared_with).toBeNull();
  expect(answer.body.removed).toEqual([]);
  expect(Object.values(byResource(answer))).toEqual(Array(3).fill({ action: 'create', changes: [] }));
  expect(answer.body.counts).toEqual({ create: 3 });
});

it('compares a plan with the last apply: no-op, update with its changes, create, removed; nothing once destroyed', async () => {
  const id = uniqueId('compared');
  const runId = await apply(id, applied);

  const same = await plan(id, applied);
  expect(same.body.compared_with).toEqual({ run_id: runId, version: 'v1', applied_at: expect.any(String) });
  expect(Object.values(byResource(same))).toEqual(Array(3).fill({ action: 'no-op', changes: [] }));
  expect(same.body.counts).toEqual({ 'no-op': 3 });

  const changed = await plan(id, {
    build: delay({ duration_ms: 10 }),
    release: delay({ duration_ms: 25 }, { depends_on: ['build'] }),
    lint: delay({ duration_ms: 1 }),
  });
  expect(byResource(changed)).toEqual({
    build: { action: 'no-op', changes: [] },
    release: { action: 'update', changes: [{ path: 'properties.duration_ms', before: 10, after: 25 }] },
    lint: { action: 'create', changes: [] },
  });
  expect(changed.body.operations).toContainEqual(expect.objectContaining({ resource: 'release', action: 'update' }));
  expect(changed.body.counts).toEqual({ 'no-op': 1, update: 1, create: 1 });
  expect(changed.body.removed).toEqual([expect.objectContaining({ resource_id: 'notify', type: 'core:delay' })]);
  expect(changed.body.warnings).toContainEqual(
    expect.stringMatching(/^notify was applied and is no longer in the config/),
  );

  const deleting = await plan(id, { ...applied, notify: { ...applied.notify, operation: 'delete' } });
  expect(byResource(deleting)['notify']).toEqual({
    action: 'delete',
    changes: [{ path: 'operation', before: 'create', after: 'delete' }],
  });

  const destroy = await api.post('/deploy/destroy', { deployment_id: id });
  expect((await waitForRun(api, destroy.body.status_url as string, finished)).status).toBe('completed');
  const afresh = await plan(id, applied);
  expect(afresh.body.compared_with).toBeNull();
  expect(afresh.body.counts).toEqual({ create: 3 });
});
