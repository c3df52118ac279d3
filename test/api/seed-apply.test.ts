/**
 * Seed 001's apply and status answers (§13.2): the apply carries success, cache_id, status,
 * operation counts, the failed operation, outputs and the next operation, and can wait for the
 * run to complete, fail or pause (`wait`, or `Prefer: wait=N`); the status carries created_at,
 * operations and spec_graph_ref. A real Temporal server and worker.
 */
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

describe('POST /deploy/apply, seed fields', () => {
  it('answers at once with every operation pending when not asked to wait', async () => {
    const response = await api.post('/deploy/apply', {
      config: config({ a: delay({ duration_ms: 500 }), b: delay({}, { depends_on: ['a'] }) }),
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      success: true,
      cache_id: response.body.run_id,
      status: 'running',
      operations_completed: 0,
      operations_failed: 0,
      operations_pending: 2,
      failed_operation: null,
      outputs: {},
      next_operation: null,
    });
    await waitForRun(api, response.body.status_url as string, finished);
  });

  it('waits for a run to complete and answers 200 with its outputs', async () => {
    const response = await api.post('/deploy/apply', {
      config: config({ a: delay({ outputs: { arn: 'arn:a' } }), b: delay({}, { depends_on: ['a'] }) }),
      mode: 'FULL',
      wait: 30,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      success: true,
      status: 'completed',
      operations_completed: 2,
      operations_failed: 0,
      operations_pending: 0,
      failed_operation: null,
      next_operation: null,
    });
    expect(Object.values(response.body.outputs as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ arn: 'arn:a' }),
    );
  });

  it('waits (Prefer: wait=N) until a run pauses and names the next operation', async () => {
    const response = await api.post(
      '/deploy/apply',
      { config: config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) }) },
      { headers: { prefer: 'respond-async, wait=30' } },
    );
    expect([response.status, response.headers['preference-applied']]).toEqual([200, 'wait=30']);
    expect(response.body).toMatchObject({
      success: true,
      status: 'paused',
      operations_completed: 1,
      operations_pending: 1,
      next_operation: { resource_id: 'b', status: 'paused' },
    });
    await api.post('/deploy/abort', { deployment_id: response.body.deployment_id, reason: 'test over' });
  });

  it('waits until a run fails and names the failed operation', async () => {
    const response = await api.post('/deploy/apply', {
      config: config({ bad: delay({ fail_times: 5, non_retryable: true }) }, { on_failure: 'halt' }),
      wait: 30,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      success: false,
      status: 'awaiting_decision',
      operations_failed: 1,
      failed_operation: {
        resource_id: 'bad',
        status: 'failed',
        error_type: 'operation_failed',
        error_name: 'server_error',
      },
    });
    await api.post('/deploy/abort', { deployment_id: response.body.deployment_id, reason: 'test over' });
  });

  it('answers 202 with the state as of then when the run outlasts the wait', async () => {
    const response = await api.post('/deploy/apply', {
      config: config({ slow: delay({ duration_ms: 4_000 }) }),
      wait: 1,
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ success: true, status: 'running', operations_pending: 1 });
    await waitForRun(api, response.body.status_url as string, finished);
  });

  it('refuses a wait beyond its bound, naming the field', async () => {
    const response = await api.post('/deploy/apply', { config: config({ a: delay() }), wait: 301 });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error.details)).toContain('wait');
  });
});

describe('verify, destroy (and move) wait too', () => {
  it('answers 200 with the outcome of a verify and a destroy asked to wait, 202 without', async () => {
    const applied = await api.post('/deploy/apply', { config: config({ a: delay({ outputs: { v: 1 } }) }), wait: 30 });
    const id = applied.body.deployment_id as string;
    const verify = await api.post('/deploy/verify', { deployment_id: id }, { headers: { prefer: 'wait=30' } });
    expect([verify.status, verify.headers['preference-applied'], verify.body.status, verify.body.success]).toEqual([
      200,
      'wait=30',
      'completed',
      true,
    ]);
    const destroy = await api.post('/deploy/destroy', { deployment_id: id, wait: 30 });
    expect([destroy.status, destroy.body.action, destroy.body.status, destroy.body.operations_completed]).toEqual([
      200,
      'destroy',
      'completed',
      1,
    ]);
  });
});

describe('GET /deploy/status, seed fields', () => {
  it('carries created_at, operations and spec_graph_ref', async () => {
    const started = await api.post('/deploy/apply', { config: config({ a: delay() }), wait: 30 });
    const status = await api.get(started.body.status_url as string);
    expect(status.body).toMatchObject({
      created_at: status.body.started_at,
      operations: [{ resource_id: 'a', type: 'core:delay', status: 'completed', region: null }],
      spec_graph_ref: { graph_id: started.body.graph_id, deployment_id: started.body.deployment_id, version: 'v1' },
    });
  });
});
