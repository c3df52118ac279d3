/**
 * Tenant isolation: tenant B can neither read, list, control nor see in history anything of
 * tenant A; every route answers as if the run did not exist. A real Temporal server and worker.
 */
import type { Client } from '@temporalio/client';
import { config, delay } from '../../support/deployments';
import { startTestWorker, testClient, type TestWorker } from '../../support/temporal';
import { API_KEYS, KEYS, testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { waitForRun } from './helpers/runs';

let worker: TestWorker;
let client: Client;
let closeClient: () => Promise<void>;
let api: Http;
let id: string;
let runId: string;
let scheduleId: string;

beforeAll(async () => {
  worker = await startTestWorker();
  ({ client, close: closeClient } = await testClient());
  api = testApi({ client, taskQueue: worker.taskQueue, keys: API_KEYS });
  const cfg = config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) });
  id = String(cfg['deployment_id']);
  const started = await api.post('/deploy/apply', { config: cfg }, { key: KEYS.aOperate });
  runId = started.body.run_id as string;
  await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'paused', KEYS.aRead);
  const schedule = await api.post(
    '/schedules',
    { deployment_id: id, action: 'verify', interval: '1h', paused: true },
    { key: KEYS.aAdmin },
  );
  expect(schedule.status).toBe(201);
  scheduleId = schedule.body.schedule_id as string;
});
afterAll(async () => {
  await client?.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await client?.workflow
    .getHandle(`deploy-tenant-a.${id}`)
    .terminate('test over')
    .catch(() => undefined);
  await worker?.stop();
  await closeClient?.();
});

const notFound = (response: { status: number; body: { error?: { type: string } } }) => [
  response.status,
  response.body.error?.type,
];

describe("another tenant's deployment", () => {
  it('cannot be read: status, logs, events, history answer 404 like an unknown id', async () => {
    for (const path of [
      `/deploy/status/${id}`,
      `/deploy/status/${runId}`,
      `/deploy/status/${id}?run_id=${runId}`,
      `/deploy/logs/${id}`,
      `/deploy/events/${id}`,
      `/deploy/history/${id}`,
    ]) {
      expect([path, ...notFound(await api.get(path, { key: KEYS.bOperate }))]).toEqual([path, 404, 'not_found']);
    }
    expect((await api.get(`/deploy/status/${id}`, { key: KEYS.aRead })).status).toBe(200);
  });

  it('is not listed', async () => {
    const listOf = async (key: string) =>
      (await api.get('/deploy/list?page_size=100', { key })).body.deployments.map(
        (d: { deployment_id: string }) => d.deployment_id,
      );
    expect(await listOf(KEYS.aRead)).toContain(id);
    expect(await listOf(KEYS.bOperate)).not.toContain(id);
  });

  it('cannot be controlled, verified, destroyed or applied over', async () => {
    for (const decision of ['continue', 'retry', 'skip', 'rollback', 'abort']) {
      expect([
        decision,
        ...notFound(await api.post(`/deploy/${decision}`, { deployment_id: id }, { key: KEYS.bAdmin })),
      ]).toEqual([decision, 404, 'not_found']);
    }
    expect(notFound(await api.post('/deploy/verify', { deployment_id: id }, { key: KEYS.bAdmin }))).toEqual([
      404,
      'not_found',
    ]);
    expect(notFound(await api.post('/deploy/destroy', { deployment_id: id }, { key: KEYS.bAdmin }))).toEqual([
      404,
      'not_found',
    ]);
    // The same deployment id is B's own deployment (tenant-ids.test.ts): its run neither waits for nor touches A's.
    const own = await api.post('/deploy/apply', { config: config({ a: delay() }, {}, id) }, { key: KEYS.bOperate });
    expect([own.status, JSON.stringify(own.body).includes(runId)]).toEqual([202, false]);
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed', KEYS.bOperate);
    expect((await api.get(`/deploy/status/${id}`, { key: KEYS.aRead })).body).toMatchObject({
      run_id: runId,
      status: 'paused',
    });
  });

  it('keeps its schedules to itself: not listed, read, paused, triggered or deleted by another tenant', async () => {
    expect(
      (await api.get('/schedules', { key: KEYS.bOperate })).body.schedules.map(
        (s: { schedule_id: string }) => s.schedule_id,
      ),
    ).not.toContain(scheduleId);
    expect(
      (await api.get('/schedules', { key: KEYS.aRead })).body.schedules.map(
        (s: { schedule_id: string }) => s.schedule_id,
      ),
    ).toContain(scheduleId);
    expect(notFound(await api.get(`/schedules/${scheduleId}`, { key: KEYS.bOperate }))).toEqual([404, 'not_found']);
    for (const action of ['pause', 'unpause', 'trigger']) {
      expect([
        action,
        ...notFound(await api.post(`/schedules/${scheduleId}/${action}`, undefined, { key: KEYS.bAdmin })),
      ]).toEqual([action, 404, 'not_found']);
    }
    expect(notFound(await api.delete(`/schedules/${scheduleId}`, { key: KEYS.bAdmin }))).toEqual([404, 'not_found']);
    expect((await api.get(`/schedules/${scheduleId}`, { key: KEYS.aRead })).status).toBe(200);
  });

  it('is continued by its own tenant', async () => {
    expect((await api.post('/deploy/continue', { deployment_id: id }, { key: KEYS.aOperate })).status).toBe(200);
    expect(
      (await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed', KEYS.aRead)).status,
    ).toBe('completed');
  });
});
