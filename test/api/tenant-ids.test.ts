/**
 * Deployment ids are per tenant (issue 23, finding 2): the run lock and the record carry the
 * tenant (`deploy-<tenant>.<id>`, `record-<tenant>.<id>`), so tenant B can neither lock tenant A's
 * deployment id nor replay A's Idempotency-Key, nor report into A's record. Runs and records made
 * before ids carried the tenant still lock and are moved. A real Temporal server and worker.
 */
import type { Client } from '@temporalio/client';
import { startDeployment } from '../../src/client/start-deployment';
import { RECORD_WORKFLOW, RUN_REPORT_SIGNAL, recordIdFor } from '../../src/model/deployment-record';
import { DEPLOYMENT_WORKFLOW, workflowIdFor } from '../../src/workflows/messages';
import { recordQuery } from '../../src/workflows/record-messages';
import { runMemo, runSearchAttributes } from '../../src/workflows/run-start-options';
import { config, delay, deploymentInput } from '../../support/deployments';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { eventually } from '../helpers/eventually';
import { API_KEYS, KEYS, testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

let worker: TestWorker;
let client: Client;
let closeClient: () => Promise<void>;
let api: Http;
const started: string[] = [];

beforeAll(async () => {
  worker = await startTestWorker();
  ({ client, close: closeClient } = await testClient());
  api = testApi({ client, taskQueue: worker.taskQueue, keys: API_KEYS });
});
afterAll(async () => {
  for (const workflowId of started) {
    await client?.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
  }
  await worker?.stop();
  await closeClient?.();
});

/** A config that pauses after its first node, so its run stays active until continued or aborted. */
const pausing = (id: string) =>
  config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) }, {}, id);

async function apply(cfg: Record<string, unknown>, key: string, headers: Record<string, string> = {}) {
  const response = await api.post('/deploy/apply', { config: cfg }, { key, headers });
  if (response.status === 202) started.push(response.body.workflow_id as string);
  return response;
}

describe('one deployment id, two tenants', () => {
  it("lets each tenant run, see and abort its own run of the same id, and never answers with the other's", async () => {
    const id = uniqueId('shared');
    const b = await apply(pausing(id), KEYS.bOperate);
    const a = await apply(pausing(id), KEYS.aOperate);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect([a.body.workflow_id, b.body.workflow_id]).toEqual([`deploy-tenant-a.${id}`, `deploy-tenant-b.${id}`]);
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'paused', KEYS.aRead);

    expect((await api.get(`/deploy/status/${id}`, { key: KEYS.bOperate })).body.run_id).toBe(b.body.run_id);
    expect(
      (await api.post('/deploy/abort', { deployment_id: id, reason: 'mine' }, { key: KEYS.aOperate })).status,
    ).toBe(200);
    expect((await waitForRun(api, `/deploy/status/${id}`, finished, KEYS.aRead)).status).toBe('aborted');
    expect((await api.get(`/deploy/status/${id}`, { key: KEYS.bOperate })).body.status).toBe('paused');

    // A's second apply meets its own lock only: 409 naming its own run, not B's.
    const again = await apply(pausing(id), KEYS.aOperate);
    expect(again.status).toBe(202);
    const locked = await apply(pausing(id), KEYS.aOperate);
    expect([locked.status, locked.body.error.details.run_id]).toEqual([409, again.body.run_id]);
  });

  it('keeps each tenant to its own record: runs of the same id never land in the other tenant’s history', async () => {
    const id = uniqueId('records');
    const one = await apply(config({ a: delay() }, {}, id), KEYS.aOperate);
    await waitForRun(api, one.body.status_url as string, finished, KEYS.aRead);
    const other = await apply(config({ a: delay() }, {}, id), KEYS.bOperate);
    await waitForRun(api, other.body.status_url as string, finished, KEYS.bOperate);
    const runsOf = async (key: string) =>
      (await api.get(`/deploy/history/${id}`, { key })).body.runs.map((run: { run_id: string }) => run.run_id);
    expect(await runsOf(KEYS.aRead)).toEqual([one.body.run_id]);
    expect(await runsOf(KEYS.bOperate)).toEqual([other.body.run_id]);
    const record = await client.workflow.getHandle(recordIdFor(id, 'tenant-a')).query(recordQuery);
    expect([record.tenant, record.runs.map((run) => run.run_id)]).toEqual(['tenant-a', [one.body.run_id]]);
  });
});

describe('Idempotency-Key', () => {
  it("replays only the caller's tenant's run: the same key from another tenant starts that tenant's own", async () => {
    const id = uniqueId('idem');
    const headers = { 'idempotency-key': uniqueId('key') };
    const a = await apply(config({ a: delay() }, {}, id), KEYS.aOperate, headers);
    const b = await apply(config({ a: delay() }, {}, id), KEYS.bOperate, headers);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.body.run_id).not.toBe(a.body.run_id);
    expect(b.body.workflow_id).toBe(`deploy-tenant-b.${id}`);
    expect((await apply(config({ a: delay() }, {}, id), KEYS.aOperate, headers)).body.run_id).toBe(a.body.run_id);
  });
});

describe('ids made before they carried the tenant', () => {
  it("still lock: a tenant's active run under `deploy-<id>` refuses its tenant's new apply, not another's", async () => {
    const id = uniqueId('legacy');
    const input = deploymentInput(pausing(id), { tenant: 'tenant-a' });
    const legacyId = workflowIdFor(id, null);
    await client.workflow.start(DEPLOYMENT_WORKFLOW, {
      workflowId: legacyId,
      taskQueue: worker.taskQueue,
      args: [input],
      typedSearchAttributes: runSearchAttributes(input),
      memo: runMemo(input),
    });
    started.push(legacyId);
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'paused', KEYS.aRead);
    const refused = await apply(pausing(id), KEYS.aOperate);
    expect([refused.status, refused.body.error.type, refused.body.error.details.workflow_id]).toEqual([
      409,
      'run_active',
      legacyId,
    ]);
    expect((await apply(pausing(id), KEYS.bOperate)).status).toBe(202);
    // The client's lock says the same to any other caller of startDeployment.
    await expect(startDeployment(client, { input, taskQueue: worker.taskQueue })).rejects.toThrow(legacyId);
  });

  it("move a tenant's `record-<id>` to `record-<tenant>.<id>` when the API starts, keeping its runs", async () => {
    const id = uniqueId('oldrec');
    const legacyId = recordIdFor(id, null);
    const run = {
      workflow_id: workflowIdFor(id, null),
      run_id: '00000000-0000-4000-8000-000000000001',
      action: 'apply' as const,
      mode: 'NORMAL' as const,
      version: 'v1',
      graph_id: 'g',
      status: 'completed',
      started_at: '2026-01-01T00:00:00.000Z',
      closed_at: '2026-01-01T00:01:00.000Z',
      counts: null,
    };
    await client.workflow.signalWithStart(RECORD_WORKFLOW, {
      workflowId: legacyId,
      taskQueue: worker.taskQueue,
      args: [{ deployment_id: id, tenant: 'tenant-a' }],
      signal: RUN_REPORT_SIGNAL,
      signalArgs: [{ deployment_id: id, tenant: 'tenant-a', run }],
    });
    started.push(legacyId, recordIdFor(id, 'tenant-a'));
    await eventually(async () =>
      expect((await client.workflow.count(`WorkflowId = "${legacyId}" AND DeploymentTenant = "tenant-a"`)).count).toBe(
        1,
      ),
    );
    testApi({ client, taskQueue: worker.taskQueue, keys: API_KEYS, importRecords: true });

    const moved = await eventually(() => client.workflow.getHandle(recordIdFor(id, 'tenant-a')).query(recordQuery));
    expect([moved.tenant, moved.state, moved.runs.map((r) => r.run_id)]).toEqual([
      'tenant-a',
      'DEPLOYED',
      [run.run_id],
    ]);
    await eventually(async () =>
      expect((await client.workflow.getHandle(legacyId).describe()).status.name).toBe('TERMINATED'),
    );
    const deployment = await api.get(`/deployments/${id}`, { key: KEYS.aRead });
    expect([deployment.status, deployment.body.deployment_status]).toEqual([200, 'DEPLOYED']);
    // To another tenant the id is a deployment of its own that never ran.
    expect((await api.get(`/deployments/${id}`, { key: KEYS.bOperate })).body).toMatchObject({
      deployment_status: 'UNDEPLOYED',
      runs_total: 0,
    });
  });
});
