/**
 * Seed 001's plan (§13.2): validate_only, spec_graph_id, operations, estimated_time,
 * validation_errors; a plan saved with validate_only false is applied exactly by graph id
 * (`plan -out` / `apply <planfile>`), a config that differs is a 409 naming the differences.
 * A real Temporal server and worker.
 */
import { config, delay } from '../../support/deployments';
import { useTemporal, uniqueId } from '../../support/temporal';
import { API_KEYS, KEYS, testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;
let keyed: Http;
beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
  keyed = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue, keys: API_KEYS });
});

const chain = (id: string, second = 2_000) =>
  config({ a: delay({ duration_ms: 1_000 }), b: delay({ duration_ms: second }, { depends_on: ['a'] }) }, {}, id);

describe('POST /deploy/plan, seed fields', () => {
  it('answers spec_graph_id, one operation per node, the critical path in seconds, and saves nothing by default', async () => {
    const plan = await api.post('/deploy/plan', { config: chain(uniqueId('plan')) });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({
      success: true,
      spec_graph_id: plan.body.graph_id,
      saved_plan: null,
      estimated_time: 3,
      validation_errors: [],
      operations: [
        { resource: 'a', type: 'core:delay', action: 'create', region: null, group: 0 },
        { resource: 'b', type: 'core:delay', action: 'create', region: null, group: 1 },
      ],
    });
  });

  it('answers an invalid config with success false and readable validation_errors beside the error object', async () => {
    const bad = config({ a: delay({ duration_ms: 'soon' }) });
    const plan = await api.post('/deploy/plan', { config: bad, validate_only: true });
    expect(plan.status).toBe(400);
    expect(plan.body.success).toBe(false);
    expect(plan.body.error.type).toBe('validation_error');
    expect(plan.body.validation_errors).toEqual([
      expect.stringMatching(/^config\.resources\.a\.properties\.duration_ms: /),
    ]);
  });
});

describe('a saved plan', () => {
  it('is applied exactly by graph id, with its mode, and refuses a config that differs, naming how', async () => {
    const id = uniqueId('saved');
    const saved = await api.post('/deploy/plan', { config: chain(id, 100), mode: 'STEP', validate_only: false });
    const graphId = saved.body.graph_id as string;
    expect(saved.body.saved_plan).toEqual({ graph_id: graphId, expires_at: expect.any(String) });

    const changed = await api.post('/deploy/apply', { config: chain(id, 200), graph_id: graphId });
    expect([changed.status, changed.body.error.type, changed.body.error.details.differences]).toEqual([
      409,
      'plan_mismatch',
      ['changed b'],
    ]);

    const applied = await api.post('/deploy/apply', { graph_id: graphId, wait: 30 });
    expect([applied.status, applied.body.graph_id, applied.body.mode, applied.body.status]).toEqual([
      200,
      graphId,
      'STEP',
      'paused',
    ]);
    await api.post('/deploy/abort', { deployment_id: id, reason: 'test over' });
    await waitForRun(api, applied.body.status_url as string, finished);

    const same = await api.post('/deploy/apply', { config: chain(id, 100), graph_id: graphId, mode: 'FULL', wait: 30 });
    expect([same.status, same.body.graph_id, same.body.status]).toEqual([200, graphId, 'completed']);
  });

  it('is 404 when unknown, and another tenant’s is unknown; saving one needs an operate key', async () => {
    expect((await api.post('/deploy/apply', { graph_id: '0123456789abcdef' })).status).toBe(404);
    const id = uniqueId('tenant-plan');
    const saved = await keyed.post('/deploy/plan', { config: chain(id), validate_only: false }, { key: KEYS.aOperate });
    expect(saved.status).toBe(200);
    const foreign = await keyed.post('/deploy/apply', { graph_id: saved.body.graph_id }, { key: KEYS.bOperate });
    expect([foreign.status, foreign.body.error.type]).toEqual([404, 'not_found']);
    const reader = await keyed.post('/deploy/plan', { config: chain(id), validate_only: false }, { key: KEYS.aRead });
    expect(reader.status).toBe(403);
    expect((await keyed.post('/deploy/plan', { config: chain(id) }, { key: KEYS.aRead })).status).toBe(200);
  });

  it('needs a config or a graph id', async () => {
    const none = await api.post('/deploy/apply', { mode: 'FULL' });
    expect([none.status, none.body.validation_errors]).toEqual([
      400,
      ['config: is required (or graph_id, a saved plan)'],
    ]);
  });
});
