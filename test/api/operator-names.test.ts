/**
 * Issue 14, points 1 and 2: operators name nodes as the config does (resource id, or
 * resource[region]) in REST decisions and in signals, and `waiting_for` says why each paused node
 * waits (approval gate, pause edge, breakpoint) with a gate's deadline. Real Temporal and worker.
 */
import { continueSignal } from '../../src/workflows/messages';
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

interface Wait {
  node_id: string;
  resource_id: string;
  reason: string;
  deadline: string | null;
}

it('says why each node waits, takes a run-wide continue for pause edges only, and continues a gate by its resource id', async () => {
  const cfg = config({
    a: delay(),
    approve: { type: 'core:approval', properties: { timeout: '1h' }, depends_on: ['a'] },
    b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }),
  });
  const started = await api.post('/deploy/apply', { config: cfg, wait: 30 });
  const id = started.body.deployment_id as string;
  expect(started.body.status).toBe('paused');
  const waiting = (await api.get(`/deploy/status/${id}`)).body.waiting_for as { deadline: string; waits: Wait[] };
  const byResource = Object.fromEntries(waiting.waits.map((w) => [w.resource_id, w]));
  expect(byResource['approve']).toMatchObject({ reason: 'approval', deadline: expect.any(String) });
  expect(byResource['b']).toMatchObject({ reason: 'pause_edge', deadline: null });
  // The gate's 1 h timeout, counted from when it started waiting.
  const left = Date.parse(byResource['approve']?.deadline ?? '') - Date.now();
  expect(left).toBeGreaterThan(50 * 60_000);
  expect(left).toBeLessThanOrEqual(60 * 60_000);
  expect(waiting.deadline).toBe(byResource['approve']?.deadline);

  expect((await api.post('/deploy/continue', { deployment_id: id })).status).toBe(200); // releases b only
  await waitForRun(api, `/deploy/status/${id}`, (run) =>
    run.nodes.some((n) => n.resource_id === 'b' && n.status === 'completed'),
  );
  const onlyGate = await api.post('/deploy/continue', { deployment_id: id });
  expect([onlyGate.status, onlyGate.body.error.message]).toEqual([
    409,
    'only approval gates are waiting: continue each by name (node_id): approve',
  ]);
  const unknown = await api.post('/deploy/continue', { deployment_id: id, node_id: 'aprove' });
  expect([unknown.status, unknown.body.error.message]).toEqual([
    409,
    'no node "aprove" in this deployment: name one by its resource id (or resource[region]) or node id',
  ]);
  const gate = await api.post('/deploy/continue', { deployment_id: id, node_id: 'approve' });
  expect([gate.status, gate.body.node_ids]).toEqual([200, [byResource['approve']?.node_id]]);
  expect(gate.body.nodes).toEqual([
    { node_id: byResource['approve']?.node_id, resource_id: 'approve', region: null, name: 'approve' },
  ]);
  expect((await waitForRun(api, `/deploy/status/${id}`, finished)).status).toBe('completed');
});

it('takes a continue signal (Web UI, temporal CLI) naming the gate by resource id', async () => {
  const cfg = config({
    approve: { type: 'core:approval', properties: {} },
    after: delay({}, { depends_on: ['approve'] }),
  });
  const started = await api.post('/deploy/apply', { config: cfg, wait: 30 });
  expect(started.body.status).toBe('paused');
  await temporal.client.workflow
    .getHandle(started.body.workflow_id as string, started.body.run_id as string)
    .signal(continueSignal, { node_id: 'approve' });
  await eventually(async () =>
    expect((await api.get(started.body.status_url as string)).body.status).toBe('completed'),
  );
});

it('retries and skips failed nodes named by resource id', async () => {
  const cfg = config({ bad: delay({ fail_times: 1, non_retryable: true }), after: delay({}, { depends_on: ['bad'] }) });
  const started = await api.post('/deploy/apply', { config: cfg, wait: 30 });
  expect(started.body.status).toBe('awaiting_decision');
  const metadata = await temporal.client.workflow
    .getHandle(started.body.workflow_id as string, started.body.run_id as string)
    .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toMatch(/^halted: bad failed \(\w+\): .*; retry, skip, rollback or abort until /);
  const retried = await api.post('/deploy/retry', { deployment_id: started.body.deployment_id, node_ids: ['bad'] });
  expect([retried.status, retried.body.node_ids]).toEqual([200, [started.body.failed_operation.node_id]]);
  expect((await waitForRun(api, started.body.status_url as string, finished)).status).toBe('completed');
});

it('shows a refused signal in the status and the Web UI’s current details, and says what the run waits for there', async () => {
  const cfg = config({
    approve: { type: 'core:approval', properties: { timeout: '1h' } },
    after: delay({}, { depends_on: ['approve'] }),
  });
  const started = await api.post('/deploy/apply', { config: cfg, wait: 30 });
  const handle = temporal.client.workflow.getHandle(started.body.workflow_id as string, started.body.run_id as string);
  const details = async (): Promise<string> =>
    (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';
  expect(await details()).toMatch(
    /^waiting for approval of approve \(deadline \d{4}-\d\d-\d\d \d\d:\d\d UTC\); continue with the signal continue \{"node_id": "approve"\}/,
  );

  await handle.signal(continueSignal, { node_id: 'aprove' });
  const status = await eventually(async () => {
    const body = (await api.get(started.body.status_url as string)).body;
    expect(body.last_rejected).toMatchObject({
      control: 'continue',
      reason: expect.stringContaining('no node "aprove"'),
    });
    return body;
  });
  expect(status.status).toBe('paused');
  expect(await details()).toContain('last refused: signal continue at');
  const logs = (await api.get(`/deploy/logs/${started.body.deployment_id as string}`)).body.entries as {
    level: string;
    message: string;
  }[];
  expect(logs).toContainEqual(
    expect.objectContaining({ level: 'warn', message: expect.stringContaining('signal continue ignored') }),
  );
  // Entries about a node name it as the config does.
  expect(logs).toContainEqual(expect.objectContaining({ resource: 'approve', message: 'waiting for approval' }));
  await api.post('/deploy/abort', { deployment_id: started.body.deployment_id, reason: 'test over' });
});
