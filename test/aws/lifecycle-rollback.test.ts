/**
 * Rollback on real AWS semantics (moto_server) and a real Temporal worker: a failure at the last
 * node with on_failure=rollback deletes every resource the run created, newest first along each
 * dependency; the order is read from the run's own log and checked against moto's state.
 */
import { GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import type { Client } from '@temporalio/client';
import { config, delay, result, start } from '../../support/deployments';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { runLogs } from './helpers/run-logs';
import { startAwsBed, type AwsBed } from './helpers/aws-bed';

let bed: AwsBed;
let worker: TestWorker;
let connected: Awaited<ReturnType<typeof testClient>>;
let client: Client;

beforeAll(async () => {
  bed = await startAwsBed();
  worker = await startTestWorker({ deps: { clients: { aws: bed.clients } } });
  connected = await testClient();
  client = connected.client;
});
afterAll(async () => {
  await worker.stop();
  await connected.close();
  await bed.finish();
});

const role = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws:iam:role',
  properties: { role_name: name },
  ...extra,
});

it('rolls back a failure at the last node: every created role deleted, in reverse dependency order', async () => {
  const suffix = uniqueId('rb');
  const names = { base: `${suffix}-base`, mid: `${suffix}-mid`, top: `${suffix}-top`, side: `${suffix}-side` };
  const cfg = config(
    {
      base: role(names.base),
      mid: role(names.mid, { depends_on: ['base'] }),
      top: role(names.top, { depends_on: ['mid'] }),
      side: role(names.side, { depends_on: ['base'] }),
      last: delay(
        { fail_times: 1, non_retryable: true, fail_message: 'injected failure at the last node' },
        { depends_on: ['top', 'side'] },
      ),
    },
    { on_failure: 'rollback' },
  );
  const handle = await start(client, worker.taskQueue, cfg);
  const final = await result(handle);

  expect(final.status).toBe('rolled_back');
  const byId = new Map(final.nodes.map((n) => [n.node_id, n.resource_id]));
  expect(Object.fromEntries(final.nodes.map((n) => [n.resource_id, n.status]))).toEqual({
    base: 'compensated',
    mid: 'compensated',
    top: 'compensated',
    side: 'compensated',
    last: 'failed',
  });

  const compensated = (await runLogs(handle))
    .filter((e) => e.message === 'compensation: compensated' && e.node_id !== null)
    .map((e) => byId.get(e.node_id as string));
  expect([...compensated].sort()).toEqual(['base', 'mid', 'side', 'top']);
  const at = (id: string): number => compensated.indexOf(id);
  expect(at('top')).toBeLessThan(at('mid'));
  expect(at('mid')).toBeLessThan(at('base'));
  expect(at('side')).toBeLessThan(at('base'));
  expect(at('base')).toBe(3);

  const iam = bed.clients.forRegion('us-east-1', null).iam;
  const left = (await iam.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName) ?? [];
  expect(left.filter((name) => name?.startsWith(suffix))).toEqual([]);
  await expect(iam.send(new GetRoleCommand({ RoleName: names.base }))).rejects.toMatchObject({
    name: 'NoSuchEntityException',
  });
});
