/**
 * A deployment outlives its runs: its record (a long-lived workflow) keeps what is deployed after
 * Temporal deletes the run histories as retention does, is bounded however many runs report to
 * it, is made from the histories of deployments that predate records, and follows what ran when
 * two API instances race for the same deployment. Real Temporal server, a real worker, over REST.
 */
import {
  recordIdFor,
  RECORD_WORKFLOW,
  RUN_REPORT_SIGNAL,
  RUNS_KEPT,
  type DeploymentRecord,
  type RunReport,
} from '../../src/model/deployment-record';
import { RECORD_HISTORY_EVENTS } from '../../src/workflows/deployment-record';
import { recordQuery } from '../../src/workflows/record-messages';
import type { ApiContext } from '../../src/api/context';
import { recordsAtStart } from '../../src/api/services/records-migration';
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { eventually } from '../helpers/eventually';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;
let other: Http;

beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
  other = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

/** Deletes every execution of a workflow id, as retention does, and waits until visibility forgets them. */
async function deleteHistories(workflowId: string): Promise<number> {
  const { client } = temporal;
  const executions = [];
  for await (const info of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) executions.push(info);
  for (const info of executions) {
    await client.workflowService.deleteWorkflowExecution({
      namespace: client.options.namespace,
      workflowExecution: { workflowId, runId: info.runId },
    });
  }
  await eventually(
    async () => {
      const left = [];
      for await (const info of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) left.push(info);
      expect(left).toEqual([]);
    },
    120_000,
    1_000,
  );
  return executions.length;
}

async function runToEnd(
  path: string,
  body: Record<string, unknown>,
  via = api,
): Promise<{ run_id: string; status: string }> {
  const started = await via.post(path, body);
  expect(started.status).toBe(202);
  const run = await waitForRun(via, started.body.status_url as string, finished);
  return { run_id: started.body.run_id as string, status: run.status };
}

async function deployment(id: string): Promise<Record<string, unknown>> {
  const response = await api.get(`/deployments/${id}`);
  expect(response.status).toBe(200);
  return response.body as Record<string, unknown>;
}

it('keeps a deployment whose run histories retention deleted: DEPLOYED with version, outputs and runs; verify, redeploy and destroy work from the record; destroy leaves a tombstone', async () => {
  const cfg = config({
    role: delay({ outputs: { arn: 'arn:role' } }),
    fn: delay({ outputs: { name: 'fn' } }, { references: { role_arn: 'role.arn' } }),
  });
  const id = String(cfg['deployment_id']);
  const deployed = await runToEnd('/deploy/deploy', { config: cfg });
  expect(deployed.status).toBe('completed');
  const schedule = await api.post('/schedules', { deployment_id: id, action: 'verify', interval: '1h', paused: true });
  expect(schedule.status).toBe(201);
  expect(await deployHistoriesGone(id)).toBeGreaterThan(0);

  expect(await deployment(id)).toMatchObject({
    schedules: [{ schedule_id: schedule.body.schedule_id, action: 'verify', paused: true }],
    deployment_status: 'DEPLOYED',
    version: 'v1',
    runs_total: 1,
    last_run: { run_id: deployed.run_id, status: 'completed' },
  });
  const history = await api.get(`/deploy/history/${id}`);
  expect(history.body).toMatchObject({
    runs_total: 1,
    runs: [{ run_id: deployed.run_id, action: 'apply', history_expired: true }],
  });
  const record = await temporal.client.workflow.getHandle(recordIdFor(id, null)).query(recordQuery);
  expect(Object.values(record.last_apply?.outputs ?? {})).toEqual(
    expect.arrayContaining([{ arn: 'arn:role' }, { name: 'fn' }]),
  );

  const verified = await runToEnd('/deploy/verify', { deployment_id: id });
  expect(verified.status).toBe('completed');
  const redeployed = await runToEnd('/deploy/redeploy', { deployment_id: id, version: 'v2' });
  expect(redeployed.status).toBe('completed');
  expect(await deployment(id)).toMatchObject({ deployment_status: 'DEPLOYED', version: 'v2', runs_total: 3 });

  const destroyed = await runToEnd('/deploy/undeploy', { deployment_id: id });
  expect(destroyed.status).toBe('completed');
  const gone = await deployment(id);
  expect(gone).toMatchObject({
    deployment_status: 'UNDEPLOYED',
    runs_total: 4,
    tombstone: { run_id: destroyed.run_id, version: 'v2' },
  });
  expect((gone['tombstone'] as { node_ids: string[] }).node_ids).toHaveLength(2);
  expect((await api.delete(`/schedules/${String(schedule.body.schedule_id)}`)).status).toBe(200);
  expect((await deployment(id))['schedules']).toEqual([]);
  const runs = (await api.get(`/deploy/history/${id}`)).body.runs as { action: string; history_expired: boolean }[];
  expect(runs.map((r) => [r.action, r.history_expired])).toEqual([
    ['destroy', false],
    ['apply', false],
    ['verify', false],
    ['apply', true],
  ]);
}, 240_000);

/** Waits until the deployment's run has closed (its end reported to the record). */
const closed = (id: string): Promise<unknown> => temporal.client.workflow.getHandle(`deploy-${id}`).result();

const deployHistoriesGone = (id: string): Promise<number> => deleteHistories(`deploy-${id}`);

it('makes a record from the surviving histories of a deployment that has none (as before records existed), once however often it is read', async () => {
  const cfg = config({ a: delay({ outputs: { x: 1 } }) });
  const id = String(cfg['deployment_id']);
  const deployed = await runToEnd('/deploy/deploy', { config: cfg });
  await closed(id);
  await deleteHistories(recordIdFor(id, null));

  const [first, second] = await Promise.all([deployment(id), deployment(id)]);
  expect(first).toMatchObject({ deployment_status: 'DEPLOYED', runs_total: 1, last_run: { run_id: deployed.run_id } });
  expect(second).toMatchObject({ deployment_status: 'DEPLOYED', runs_total: 1 });
  expect((await runToEnd('/deploy/redeploy', { deployment_id: id })).status).toBe('completed');
  expect(await deployment(id)).toMatchObject({ deployment_status: 'DEPLOYED', runs_total: 2 });
}, 240_000);

it('makes records at start for every deployment that has runs and none, once', async () => {
  const cfg = config({ a: delay({ outputs: { y: 2 } }) });
  const id = String(cfg['deployment_id']);
  const deployed = await runToEnd('/deploy/deploy', { config: cfg });
  await closed(id);
  await deleteHistories(recordIdFor(id, null));
  const ctx = {
    client: () => temporal.client,
    namespace: 'default',
    taskQueue: temporal.worker.taskQueue,
  } as ApiContext;

  expect((await recordsAtStart(ctx)).imported).toContain(id);
  // Importing again is harmless (the record takes each run once); once visibility lists the new record, it is skipped.
  await recordsAtStart(ctx);
  await eventually(async () => expect((await recordsAtStart(ctx)).imported).not.toContain(id));
  const record = await temporal.client.workflow.getHandle(recordIdFor(id, null)).query(recordQuery);
  expect(record).toMatchObject({ state: 'DEPLOYED', runs_total: 1, last_apply: { run_id: deployed.run_id } });
  expect(Object.values(record.last_apply?.outputs ?? {})).toEqual([{ y: 2 }]);
}, 240_000);

it("lists deployments from their records, filtered by state, with each one's latest run", async () => {
  const cfg = config({ a: delay() });
  const id = String(cfg['deployment_id']);
  const deployed = await runToEnd('/deploy/deploy', { config: cfg });
  await eventually(async () => {
    const listed = (await api.get('/deployments?status=DEPLOYED')).body.deployments as {
      deployment_id: string;
      last_run: { run_id: string };
    }[];
    expect(listed.find((d) => d.deployment_id === id)?.last_run.run_id).toBe(deployed.run_id);
    const latest = (await api.get('/deploy/list?page_size=100')).body.deployments as {
      deployment_id: string;
      run_id: string;
    }[];
    expect(latest.find((d) => d.deployment_id === id)?.run_id).toBe(deployed.run_id);
  });
  expect(
    ((await api.get('/deployments?status=UNDEPLOYED')).body.deployments as { deployment_id: string }[]).map(
      (d) => d.deployment_id,
    ),
  ).not.toContain(id);
});

it('agrees with what ran when two API instances start the same deployment at once: one run, one record entry', async () => {
  const cfg = config({ a: delay({ duration_ms: 300 }) });
  const id = String(cfg['deployment_id']);
  const [one, two] = await Promise.all([
    api.post('/deploy/apply', { config: cfg }),
    other.post('/deploy/apply', { config: cfg }),
  ]);
  expect([one.status, two.status].sort()).toEqual([202, 409]);
  const winner = one.status === 202 ? one : two;
  await waitForRun(api, winner.body.status_url as string, finished);
  const record = await temporal.client.workflow.getHandle(recordIdFor(id, null)).query(recordQuery);
  expect([record.runs_total, record.runs.map((r) => [r.run_id, r.status])]).toEqual([
    1,
    [[winner.body.run_id, 'completed']],
  ]);
});

it(`stays bounded over 1,000 runs: it lists the latest ${RUNS_KEPT}, counts all, and continues as new to keep its history small`, async () => {
  const id = `bounded-${Date.now()}`;
  const workflowId = recordIdFor(id, null);
  const { client } = temporal;
  for (let i = 0; i < 1_000; i += 1) {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString();
    const report: RunReport = {
      deployment_id: id,
      tenant: null,
      run: {
        workflow_id: `deploy-${id}`,
        run_id: `run-${i}`,
        action: 'verify',
        mode: 'FULL',
        version: 'v1',
        graph_id: 'g',
        status: 'completed',
        started_at: at,
        closed_at: at,
        counts: null,
      },
    };
    await client.workflow.signalWithStart(RECORD_WORKFLOW, {
      workflowId,
      taskQueue: temporal.worker.taskQueue,
      args: [{ deployment_id: id, tenant: null }],
      signal: RUN_REPORT_SIGNAL,
      signalArgs: [report],
    });
  }
  const record: DeploymentRecord = await eventually(async () => {
    const now = await client.workflow.getHandle(workflowId).query(recordQuery);
    expect(now.runs_total).toBe(1_000);
    return now;
  }, 60_000);
  expect([record.runs.length, record.runs[0]?.run_id]).toEqual([RUNS_KEPT, 'run-999']);
  const executions = await eventually(async () => {
    const statuses = [];
    for await (const info of client.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
      statuses.push(info.status.name);
    expect(statuses).toContain('CONTINUED_AS_NEW');
    return statuses;
  });
  expect(executions.filter((s) => s === 'RUNNING')).toHaveLength(1);
  expect((await client.workflow.getHandle(workflowId).describe()).historyLength).toBeLessThanOrEqual(
    RECORD_HISTORY_EVENTS + 50,
  );
}, 180_000);

it('says what is deployed after a later apply rolls back, and records the end of a run Temporal itself terminated', async () => {
  const v1 = config({ a: delay({ outputs: { v: 1 } }) });
  const id = String(v1['deployment_id']);
  expect((await runToEnd('/deploy/deploy', { config: v1 })).status).toBe('completed');
  const failing = {
    ...config(
      { a: delay({ outputs: { v: 2 } }), b: delay({ fail_times: 9, non_retryable: true }, { depends_on: ['a'] }) },
      { on_failure: 'rollback' },
      id,
    ),
    version: 'v2',
  };
  expect((await runToEnd('/deploy/apply', { config: failing })).status).toBe('rolled_back');
  const record = async (): Promise<DeploymentRecord> =>
    temporal.client.workflow.getHandle(recordIdFor(id, null)).query(recordQuery);
  expect(await deployment(id)).toMatchObject({ deployment_status: 'DEPLOYMENT_FAILED', version: 'v2' });
  const kept = (await record()).last_apply;
  expect([kept?.input.graph.version, Object.values(kept?.outputs ?? {})]).toEqual(['v1', [{ v: 1 }]]);

  const paused = {
    ...config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) }, {}, id),
    version: 'v3',
  };
  const started = await api.post('/deploy/apply', { config: paused });
  await waitForRun(api, started.body.status_url as string, (run) => run.status === 'paused');
  await temporal.client.workflow.getHandle(`deploy-${id}`).terminate('operator gave up');
  const after = await deployment(id);
  expect(after).toMatchObject({
    deployment_status: 'DEPLOYMENT_FAILED',
    last_run: { run_id: started.body.run_id, status: 'terminated', execution_status: 'TERMINATED' },
  });
  expect((await record()).runs[0]).toMatchObject({ run_id: started.body.run_id, status: 'terminated' });
  expect((await record()).last_apply?.input.graph.version).toBe('v1');
});
