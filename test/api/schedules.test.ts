/** Schedules over REST with a real Temporal server: fires on its interval, pause stops it, trigger fires once, delete removes it. */
import { config, delay } from '../helpers/deployments';
import { useTemporal } from '../helpers/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;

beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function recentRuns(id: string, atLeast: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = ((await api.get(`/schedules/${id}`)).body.recent_runs as unknown[]).length;
    if (count >= atLeast || Date.now() > deadline) return count;
    await sleep(250);
  }
}

it('fires every interval and starts runs; pause stops it, trigger fires once, delete removes it', async () => {
  const cfg = config({ a: delay() });
  const deploymentId = String(cfg['deployment_id']);
  const created = await api.post('/schedules', { config: cfg, interval: '2s', note: 'every two seconds' });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ deployment_id: deploymentId, action: 'apply', interval: '2s', cron: null, overlap: 'skip', paused: false, note: 'every two seconds' });
  const id = created.body.schedule_id as string;
  expect(await recentRuns(id, 2)).toBeGreaterThanOrEqual(2);
  const run = await waitForRun(api, `/deploy/status/${deploymentId}`, finished);
  expect([run.status, run.workflow_id.startsWith(`deploy-${deploymentId}-`)]).toEqual(['completed', true]);
  expect((await api.get('/schedules')).body.schedules.map((s: { schedule_id: string }) => s.schedule_id)).toContain(id);

  expect((await api.post(`/schedules/${id}/pause`)).body).toEqual({ schedule_id: id, done: 'paused' });
  const whenPaused = await recentRuns(id, 0);
  await sleep(4_500);
  expect(await recentRuns(id, 0)).toBe(whenPaused);
  expect((await api.get(`/schedules/${id}`)).body.paused).toBe(true);

  expect((await api.post(`/schedules/${id}/trigger`)).status).toBe(200);
  expect(await recentRuns(id, whenPaused + 1)).toBe(whenPaused + 1);
  expect((await api.post(`/schedules/${id}/unpause`)).body.done).toBe('unpaused');

  expect((await api.delete(`/schedules/${id}`)).body.done).toBe('deleted');
  expect((await api.get(`/schedules/${id}`)).status).toBe(404);
});

it('refuses a schedule with both or neither of interval and cron, or without a config to run', async () => {
  const cfg = config({ a: delay() });
  const both = await api.post('/schedules', { config: cfg, interval: '1h', cron: '0 3 * * *' });
  expect([both.status, both.body.error.details.issues]).toEqual([400, [{ path: 'interval', message: 'give exactly one of interval or cron' }]]);
  const nothing = await api.post('/schedules', { interval: 'often' });
  expect(nothing.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['interval', 'deployment_id']);
  expect((await api.post('/schedules', { deployment_id: 'never-applied', interval: '1h' })).status).toBe(404);
  expect((await api.post('/schedules/sched-unknown-1/trigger')).status).toBe(404);
});

it('schedules verify runs of the stored config of the last apply, on a cron', async () => {
  const cfg = config({ a: delay() });
  const id = String(cfg['deployment_id']);
  await api.post('/deploy/apply', { config: cfg });
  await waitForRun(api, `/deploy/status/${id}`, finished);
  const created = await api.post('/schedules', { deployment_id: id, action: 'verify', cron: '0 3 * * *' });
  expect(created.body).toMatchObject({ action: 'verify', cron: '0 3 * * *', interval: null });
  expect(created.body.next_runs[0]).toMatch(/T03:00:00/);
  await api.post(`/schedules/${String(created.body.schedule_id)}/trigger`);
  const verify = await waitForRun(api, `/deploy/status/${id}`, (run) => finished(run) && run.workflow_id !== `deploy-${id}`);
  expect(verify.nodes[0]?.action).toBe('in-sync');
  await api.delete(`/schedules/${String(created.body.schedule_id)}`);
});
