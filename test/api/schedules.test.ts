/**
 * Schedules over REST with a real Temporal server: fires on its interval, pause stops it, trigger fires once, delete removes it.
 * Scheduled runs are `deploy-<deployment_id>` (started by the schedule's trigger), so they take the same one-run lock as an apply.
 */
import type { ScheduledRunResult } from '../../src/workflows/scheduled-run';
import { deploymentIdKey } from '../../src/workflows/search-attributes';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RecentRun {
  workflow_id: string;
  run_id: string;
}

/** What the trigger workflow of one schedule action reported. */
const triggerResult = (run: RecentRun): Promise<ScheduledRunResult> =>
  temporal.client.workflow.getHandle(run.workflow_id, run.run_id).result() as Promise<ScheduledRunResult>;

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
  const created = await api.post('/schedules', { config: cfg, interval: '1m', note: 'every minute' });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    deployment_id: deploymentId,
    action: 'apply',
    interval: '1m',
    cron: null,
    overlap: 'skip',
    paused: false,
    note: 'every minute',
  });
  const next = (created.body.next_runs as string[]).map((at) => Date.parse(at));
  expect(next.slice(1).map((at, i) => at - (next[i] ?? 0))).toEqual(next.slice(1).map(() => 60_000));
  const id = created.body.schedule_id as string;
  // The shortest interval a schedule may have is a minute: the first action comes within one.
  expect(await recentRuns(id, 1, 75_000)).toBeGreaterThanOrEqual(1);
  const trigger = (await api.get(`/schedules/${id}`)).body.recent_runs[0] as RecentRun;
  expect(trigger.workflow_id).toMatch(new RegExp(`^schedule-${id}-`));
  const triggered = await triggerResult(trigger);
  expect(triggered).toEqual({
    started: true,
    workflow_id: `deploy-${deploymentId}`,
    run_id: expect.any(String),
    status: 'completed',
  });
  const run = await waitForRun(api, `/deploy/status/${deploymentId}`, finished);
  expect([run.status, run.workflow_id]).toEqual(['completed', `deploy-${deploymentId}`]);
  const described = await temporal.client.workflow.getHandle(run.workflow_id, run.run_id).describe();
  expect([
    described.memo?.['deployment_id'],
    described.memo?.['nodes'],
    described.typedSearchAttributes.get(deploymentIdKey),
  ]).toEqual([deploymentId, 1, deploymentId]);
  const history = (await api.get(`/deploy/history/${deploymentId}`)).body.runs as RecentRun[];
  expect(history.map((r) => r.workflow_id)).toEqual(history.map(() => `deploy-${deploymentId}`));
  expect(history.map((r) => r.run_id)).toContain(triggered.started && triggered.run_id);
  expect((await api.get('/schedules')).body.schedules.map((s: { schedule_id: string }) => s.schedule_id)).toContain(id);

  expect((await api.post(`/schedules/${id}/pause`)).body).toEqual({ schedule_id: id, done: 'paused' });
  const whenPaused = await recentRuns(id, 0);
  await sleep(4_500);
  expect(await recentRuns(id, 0)).toBe(whenPaused);
  // Paused, it keeps the note its owner wrote (Temporal's pause would replace it).
  expect((await api.get(`/schedules/${id}`)).body).toMatchObject({ paused: true, note: 'every minute' });

  expect((await api.post(`/schedules/${id}/trigger`)).status).toBe(200);
  expect(await recentRuns(id, whenPaused + 1)).toBe(whenPaused + 1);
  expect((await api.post(`/schedules/${id}/unpause`)).body.done).toBe('unpaused');
  expect((await api.get(`/schedules/${id}`)).body).toMatchObject({ paused: false, note: 'every minute' });

  expect((await api.delete(`/schedules/${id}`)).body.done).toBe('deleted');
  expect((await api.get(`/schedules/${id}`)).status).toBe(404);
}, 180_000);

it('refuses a schedule with both or neither of interval and cron, or without a config to run', async () => {
  const cfg = config({ a: delay() });
  const both = await api.post('/schedules', { config: cfg, interval: '1h', cron: '0 3 * * *' });
  expect([both.status, both.body.error.details.issues]).toEqual([
    400,
    [{ path: 'interval', message: 'give exactly one of interval or cron' }],
  ]);
  const nothing = await api.post('/schedules', { interval: 'often' });
  expect(nothing.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['interval', 'deployment_id']);
  expect((await api.post('/schedules', { deployment_id: 'never-applied', interval: '1h' })).status).toBe(404);
  expect((await api.post('/schedules/sched-unknown-1/trigger')).status).toBe(404);
});

it('schedules verify runs of the stored config of the last apply, on a cron', async () => {
  const cfg = config({ a: delay() });
  const id = String(cfg['deployment_id']);
  const applied = (await api.post('/deploy/apply', { config: cfg })).body.run_id as string;
  await waitForRun(api, `/deploy/status/${id}`, finished);
  const created = await api.post('/schedules', { deployment_id: id, action: 'verify', cron: '0 3 * * *' });
  expect(created.body).toMatchObject({ action: 'verify', cron: '0 3 * * *', interval: null });
  expect(created.body.next_runs[0]).toMatch(/T03:00:00/);
  await api.post(`/schedules/${String(created.body.schedule_id)}/trigger`);
  const verify = await waitForRun(api, `/deploy/status/${id}`, (run) => finished(run) && run.run_id !== applied);
  expect(verify.workflow_id).toBe(`deploy-${id}`);
  expect(verify.nodes[0]?.action).toBe('in-sync');
  await api.delete(`/schedules/${String(created.body.schedule_id)}`);
});

const pausing = () => config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) });

it('never starts a second run while a run of the deployment is active: the trigger says so and the paused apply goes on', async () => {
  const cfg = pausing();
  const deploymentId = String(cfg['deployment_id']);
  const manual = await api.post('/deploy/apply', { config: cfg });
  await waitForRun(api, `/deploy/status/${deploymentId}`, (run) => run.status === 'paused');
  const created = await api.post('/schedules', { config: cfg, cron: '0 3 * * *', paused: true });
  const id = created.body.schedule_id as string;
  expect((await api.post(`/schedules/${id}/trigger`)).status).toBe(200);
  expect(await recentRuns(id, 1)).toBe(1);

  const trigger = (await api.get(`/schedules/${id}`)).body.recent_runs[0] as RecentRun;
  expect(await triggerResult(trigger)).toEqual({
    started: false,
    workflow_id: `deploy-${deploymentId}`,
    reason: `a run of ${deploymentId} is already active`,
  });
  const runs: { runId: string; status: { name: string } }[] = [];
  for await (const info of temporal.client.workflow.list({
    query: `WorkflowType = "deploymentWorkflow" AND DeploymentId = "${deploymentId}"`,
  }))
    runs.push(info);
  expect(runs.map((r) => [r.runId, r.status.name])).toEqual([[manual.body.run_id, 'RUNNING']]);
  expect((await api.get(`/deploy/status/${deploymentId}`)).body).toMatchObject({
    run_id: manual.body.run_id,
    status: 'paused',
  });

  expect((await api.post('/deploy/continue', { deployment_id: deploymentId })).status).toBe(200);
  expect((await waitForRun(api, `/deploy/status/${deploymentId}`, finished)).status).toBe('completed');
  await api.delete(`/schedules/${id}`);
});

it('a scheduled run outlives its terminated trigger and takes decisions by deployment id', async () => {
  const cfg = pausing();
  const deploymentId = String(cfg['deployment_id']);
  const id = (await api.post('/schedules', { config: cfg, cron: '0 3 * * *', paused: true })).body
    .schedule_id as string;
  await api.post(`/schedules/${id}/trigger`);
  const atPause = await waitForRun(api, `/deploy/status/${deploymentId}`, (run) => run.status === 'paused');
  expect(atPause.workflow_id).toBe(`deploy-${deploymentId}`);
  const trigger = (await api.get(`/schedules/${id}`)).body.recent_runs[0] as RecentRun;
  await temporal.client.workflow
    .getHandle(trigger.workflow_id, trigger.run_id)
    .terminate('test: the trigger goes, the run stays');

  expect((await api.get(`/deploy/status/${deploymentId}`)).body).toMatchObject({
    run_id: atPause.run_id,
    status: 'paused',
    execution_status: 'RUNNING',
  });
  expect((await api.post('/deploy/continue', { deployment_id: deploymentId })).status).toBe(200);
  expect(await waitForRun(api, `/deploy/status/${deploymentId}`, finished)).toMatchObject({
    run_id: atPause.run_id,
    status: 'completed',
  });
  await api.delete(`/schedules/${id}`);
});
