/**
 * Plan, apply, status, decisions, lock and idempotency over REST against a real Temporal server
 * and worker. Every response is checked against /openapi.json by the HTTP helper.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '../../src/runtime/temporal-cli';
import { config, delay } from '../../support/deployments';
import { temporalAddress, uniqueId, useTemporal } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;

beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

/** a → (pause) → b */
const paused = (id = uniqueId('pause')) =>
  config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) }, {}, id);

describe('POST /deploy/plan', () => {
  it('returns the graph in order with groups, pauses and warnings, and starts nothing', async () => {
    const cfg = paused();
    const response = await api.post('/deploy/plan', { config: cfg });
    expect(response.status).toBe(200);
    expect(response.body.nodes.map((n: { resource_id: string }) => n.resource_id)).toEqual(['a', 'b']);
    expect(response.body.parallel_groups).toHaveLength(2);
    expect(response.body.nodes[1]).toMatchObject({
      action: 'create',
      pauses_before: true,
      depends_on: [{ kind: 'pause' }],
    });
    expect(response.body.warnings).toContain('the run pauses before b until a continue');
    expect((await api.get(`/deploy/history/${String(cfg['deployment_id'])}`)).status).toBe(404);
  });
});

describe('apply, pause, continue', () => {
  it('runs to the pause edge, continues over REST, and completes; status, logs, history and list follow', async () => {
    const cfg = paused();
    const id = String(cfg['deployment_id']);
    const started = await api.post('/deploy/apply', { config: cfg });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      deployment_id: id,
      workflow_id: `deploy-${id}`,
      action: 'apply',
      mode: 'FULL',
    });
    expect(started.body.web_ui_url).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/deploy-${id}/${String(started.body.run_id)}`,
    );
    const atPause = await waitForRun(api, started.body.status_url as string, (run) => run.status === 'paused');
    expect(atPause.waiting_for).toMatchObject({ kind: 'continue' });
    const cont = await api.post('/deploy/continue', { deployment_id: id });
    expect(cont.status).toBe(200);
    expect(cont.body).toMatchObject({ accepted: true, action: 'continue', run_id: started.body.run_id });
    const done = await waitForRun(api, `/deploy/status/${id}`, finished);
    expect(done.status).toBe('completed');
    expect(done.nodes.map((n) => n.status)).toEqual(['completed', 'completed']);
    expect((await api.get(`/deploy/status/${String(started.body.run_id)}`)).body.run_id).toBe(started.body.run_id);
    const again = await api.post('/deploy/continue', { deployment_id: id });
    expect([again.status, again.body.error.type]).toEqual([409, 'wrong_state']);
    const logs = await api.get(`/deploy/logs/${id}`);
    expect(logs.body.entries.length).toBeGreaterThan(0);
    expect((await api.get(`/deploy/logs/${id}?since=${String(logs.body.next_since)}`)).body.entries).toEqual([]);
    expect((await api.get(`/deploy/history/${id}`)).body.runs).toHaveLength(1);
    const list = await api.get('/deploy/list?status=completed&page_size=100');
    expect(list.body.deployments.map((d: { deployment_id: string }) => d.deployment_id)).toContain(id);
  });

  it('continues the same kind of run from the Temporal CLI (temporal workflow signal) to completion', async () => {
    const cfg = paused();
    const id = String(cfg['deployment_id']);
    await api.post('/deploy/apply', { config: cfg });
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'paused');
    await promisify(execFile)(resolveTemporalCli(), [
      'workflow',
      'signal',
      '--address',
      temporalAddress(),
      '--workflow-id',
      `deploy-${id}`,
      '--name',
      'continue',
    ]);
    expect((await waitForRun(api, `/deploy/status/${id}`, finished)).status).toBe('completed');
  });

  it('refuses a decision the run cannot take with the reason from the workflow', async () => {
    const cfg = paused();
    const id = String(cfg['deployment_id']);
    await api.post('/deploy/apply', { config: cfg });
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'paused');
    const retry = await api.post('/deploy/retry', { deployment_id: id });
    expect([retry.status, retry.body.error.message]).toEqual([409, 'no node has failed (the run is paused)']);
    const abort = await api.post('/deploy/abort', { deployment_id: id, reason: 'test' });
    expect(abort.status).toBe(200);
    expect((await waitForRun(api, `/deploy/status/${id}`, finished)).status).toBe('aborted');
    expect((await api.post('/deploy/continue', { deployment_id: 'no-such-deployment' })).status).toBe(404);
  });
});

describe('the deployment lock and Idempotency-Key', () => {
  it('starts exactly one run for two concurrent applies; the other gets 409 naming the running one', async () => {
    const cfg = config({ slow: delay({ duration_ms: 1_500 }) });
    const [one, two] = await Promise.all([
      api.post('/deploy/apply', { config: cfg }),
      api.post('/deploy/apply', { config: cfg }),
    ]);
    const statuses = [one.status, two.status].sort();
    expect(statuses).toEqual([202, 409]);
    const [won, lost] = one.status === 202 ? [one, two] : [two, one];
    expect(lost.body.error).toMatchObject({
      type: 'run_active',
      details: { run_id: won.body.run_id, workflow_id: won.body.workflow_id },
    });
    await waitForRun(api, `/deploy/status/${String(cfg['deployment_id'])}`, finished);
    expect((await api.get(`/deploy/history/${String(cfg['deployment_id'])}`)).body.runs).toHaveLength(1);
  });

  it('answers a retried submit with the same Idempotency-Key with the same run', async () => {
    const cfg = config({ slow: delay({ duration_ms: 500 }) });
    const headers = { 'idempotency-key': uniqueId('key') };
    const first = await api.post('/deploy/apply', { config: cfg }, { headers });
    const second = await api.post('/deploy/apply', { config: cfg }, { headers });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toEqual(first.body);
    await waitForRun(api, first.body.status_url as string, finished);
    expect((await api.post('/deploy/apply', { config: cfg }, { headers })).body.run_id).toBe(first.body.run_id);
  });
});
