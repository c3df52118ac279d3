/**
 * Issue 6, acceptance 2, over REST against moto_server with a real worker: a deployed config plans
 * all no-op; one changed property makes exactly that node an update with that diff (a live plan
 * and a DRY_RUN run alike); a function
 * deleted out of band is reported missing by verify, and the next apply creates it again.
 */
import { DeleteFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { uniqueId } from '../../support/temporal';
import { finished, waitForRun } from '../api/helpers/runs';
import { useAwsApi } from './helpers/aws-api';

const EMPTY_ZIP = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';
const REGIONS = ['us-east-1', 'eu-west-1'];
const aws = useAwsApi();

function appConfig(id: string, memory = 128): Record<string, unknown> {
  return {
    deployment_id: id,
    targets: [{ provider: 'aws', regions: REGIONS }],
    settings: { retry: { max_attempts: 2, initial_interval: '100ms' } },
    resources: {
      role: { type: 'aws:iam:role', properties: { role_name: `${id}-role` } },
      api: {
        type: 'aws:lambda:function',
        properties: {
          function_name: `${id}-api`,
          runtime: 'python3.12',
          handler: 'app.run',
          zip_file: EMPTY_ZIP,
          memory_size: memory,
        },
        references: { role: 'role' },
      },
    },
  };
}

async function apply(config: Record<string, unknown>): Promise<void> {
  const started = await aws.api.post('/deploy/apply', { config });
  expect(started.status).toBe(202);
  expect((await waitForRun(aws.api, started.body.status_url as string, finished)).status).toBe('completed');
}

const planOf = async (config: Record<string, unknown>) => {
  const res = await aws.api.post('/deploy/plan', { config, live: true });
  expect(res.status).toBe(200);
  return res.body as {
    nodes: { resource_id: string; region: string | null; action: string; live: boolean; diff: unknown[] }[];
  };
};
const actions = (plan: Awaited<ReturnType<typeof planOf>>) =>
  plan.nodes.map((n) => `${n.resource_id}@${n.region ?? '-'}:${n.action}`).sort();

it('plans a deployed config as no-op, and a changed property as an update of exactly that node with its diff', async () => {
  const id = uniqueId('drift');
  await apply(appConfig(id));

  const same = await planOf(appConfig(id));
  expect(same.nodes.every((n) => n.live)).toBe(true);
  expect(actions(same)).toEqual(['api@eu-west-1:no-op', 'api@us-east-1:no-op', 'role@-:no-op']);

  const changed = await planOf(appConfig(id, 256));
  expect(actions(changed)).toEqual(['api@eu-west-1:update', 'api@us-east-1:update', 'role@-:no-op']);
  for (const node of changed.nodes.filter((n) => n.resource_id === 'api')) {
    expect(node.diff).toEqual([{ property: 'memory_size', desired: 256, actual: 128 }]);
  }
});

it('a DRY_RUN run of the deployed config plans every node no-op, references resolved from the last apply like a live plan', async () => {
  const id = uniqueId('dry');
  await apply(appConfig(id));
  const started = await aws.api.post('/deploy/apply', { config: appConfig(id, 256), mode: 'DRY_RUN' });
  const run = await waitForRun(aws.api, started.body.status_url as string, finished);
  expect(run.status).toBe('completed');
  expect(run.nodes.map((n) => `${n.resource_id}@${n.region ?? '-'}:${n.action ?? ''}`).sort()).toEqual([
    'api@eu-west-1:update',
    'api@us-east-1:update',
    'role@-:no-op',
  ]);
  for (const node of run.nodes.filter((n) => n.resource_id === 'api'))
    expect(node.drift).toEqual([{ property: 'memory_size', desired: 256, actual: 128 }]);
});

it('verify reports a function deleted out of band as missing, and the next apply creates it again', async () => {
  const id = uniqueId('gone');
  await apply(appConfig(id));
  const lambda = aws.bed.clients.forRegion('eu-west-1', null).lambda;
  await lambda.send(new DeleteFunctionCommand({ FunctionName: `${id}-api` }));

  const verify = await aws.api.post('/deploy/verify', { deployment_id: id });
  expect(verify.status).toBe(202);
  const report = await waitForRun(aws.api, verify.body.status_url as string, finished);
  expect(report.status).toBe('completed');
  const verdicts = report.nodes
    .map((n) => ({ node: `${n.resource_id}@${n.region ?? '-'}`, action: n.action, drift: n.drift }))
    .sort((a, b) => a.node.localeCompare(b.node));
  expect(verdicts).toEqual([
    { node: 'api@eu-west-1', action: 'drifted', drift: [{ property: 'exists', desired: true, actual: false }] },
    { node: 'api@us-east-1', action: 'in-sync', drift: [] },
    { node: 'role@-', action: 'in-sync', drift: [] },
  ]);

  expect(actions(await planOf(appConfig(id)))).toEqual(['api@eu-west-1:create', 'api@us-east-1:no-op', 'role@-:no-op']);
  await apply(appConfig(id));
  await expect(lambda.send(new GetFunctionCommand({ FunctionName: `${id}-api` }))).resolves.toMatchObject({
    Configuration: { FunctionName: `${id}-api`, MemorySize: 128 },
  });
});

it("estimates a plan's time from the deployment's past node durations by type, on the event loop and the offload pool alike", async () => {
  const id = uniqueId('estimate');
  const planned = async (config: Record<string, unknown>): Promise<number> => {
    const res = await aws.api.post('/deploy/plan', { config });
    expect(res.status).toBe(200);
    return res.body.estimated_time as number;
  };
  // Before any run, each type's typical duration: the role (10 s), then a function (30 s) in each region at once.
  expect(await planned(appConfig(id))).toBe(40);

  const started = await aws.api.post('/deploy/apply', { config: appConfig(id) });
  const run = await waitForRun(aws.api, started.body.status_url as string, finished);
  expect(run.status).toBe('completed');
  const mean = (type: string): number => {
    const took = run.nodes.filter((n) => n.type === type).map((n) => n.duration_seconds as number);
    return took.reduce((sum, s) => sum + s, 0) / took.length;
  };
  const expected = mean('aws:iam:role') + mean('aws:lambda:function');

  const large = appConfig(id);
  const resources = large['resources'] as Record<string, { properties: Record<string, unknown> }>;
  resources['api']!.properties['environment'] = { PAD: 'x'.repeat(5_000) };
  expect(JSON.stringify({ config: large }).length).toBeGreaterThan(4 * 1024);
  for (const estimate of [await planned(appConfig(id)), await planned(large)]) {
    expect(Math.abs(estimate - expected)).toBeLessThanOrEqual(0.1);
    expect(estimate).toBeLessThan(40);
  }
});
