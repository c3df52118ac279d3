/**
 * Issue 6, acceptance 5, over REST on moto_server and the GitHub surrogate with a real worker:
 * POST /deploy/move us-east-1 → eu-west-1 of seed 001's example (role → Lambda → a secret holding
 * the Lambda's ARN) ends with the function only in eu-west-1 and the secret holding its new ARN;
 * a failure injected after the create in the new region (the secret's switch is refused) rolls
 * back: us-east-1 intact, eu-west-1 clean, the secret still the old ARN. A failed delete of the
 * old region is past the point of no return: the run halts for a decision instead.
 */
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, TagResourceCommand } from '@aws-sdk/client-lambda';
import { uniqueId } from '../../support/temporal';
import { finished, waitForRun } from '../api/helpers/runs';
import type { Repository } from '../surrogates/github/state';
import { useAwsApi } from './helpers/aws-api';

const EMPTY_ZIP = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';
const aws = useAwsApi({ github: true });

const arnIn = (region: string, name: string) => `arn:aws:lambda:${region}:123456789012:function:${name}`;
const functionIn = (region: string, name: string) =>
  aws.bed.clients.forRegion(region, null).lambda.send(new GetFunctionCommand({ FunctionName: name }));

/** Seed 001's example in us-east-1, applied over REST; returns its names and the repository of the secret. */
async function deploySeedExample(
  extra: (owner: string) => Record<string, unknown> = () => ({}),
): Promise<{ id: string; fn: string; role: string; repo: Repository }> {
  const id = uniqueId('move');
  const account = aws.surrogate.addAccount(uniqueId('org'), { scopes: ['repo'] });
  const repo = aws.surrogate.addRepo(account, 'my-app');
  const names = { fn: `${id}-api`, role: `${id}-role` };
  const config = {
    deployment_id: id,
    targets: [{ provider: 'aws', regions: ['us-east-1'] }, { provider: 'github' }],
    credentials: { github: { encrypted_pat: await aws.bed.seal(account.token) } },
    settings: { retry: { max_attempts: 2, initial_interval: '100ms' } },
    resources: {
      'execution-role': { type: 'aws:iam:role', properties: { role_name: names.role } },
      'api-lambda': {
        type: 'aws:lambda:function',
        properties: { function_name: names.fn, runtime: 'python3.12', handler: 'app.run', zip_file: EMPTY_ZIP },
        references: { role: 'execution-role' },
      },
      'lambda-arn-secret': {
        type: 'github:secret:repo',
        properties: { owner: account.login, repo: 'my-app', secret_name: 'LAMBDA_ARN' },
        references: { value_from: 'api-lambda[us-east-1].arn' },
      },
      ...extra(account.login),
    },
  };
  const started = await aws.api.post('/deploy/apply', { config });
  expect((await waitForRun(aws.api, started.body.status_url as string, finished)).status).toBe('completed');
  expect(aws.surrogate.secretValue(repo, 'LAMBDA_ARN')).toBe(arnIn('us-east-1', names.fn));
  return { id, ...names, repo };
}

/** A move us-east-1 → eu-west-1 of deployment `id` whose first write of secret `name` GitHub refuses; the run as it ended. */
async function moveRefusingSecret(id: string, name: string) {
  aws.surrogate.inject({
    kind: 'status',
    status: 422,
    method: 'PUT',
    path: new RegExp(`/actions/secrets/${name}$`),
    count: 1,
  });
  const started = await aws.api.post('/deploy/move', {
    deployment_id: id,
    from_region: 'us-east-1',
    to_region: 'eu-west-1',
  });
  return waitForRun(aws.api, started.body.status_url as string, finished);
}

it('moves us-east-1 → eu-west-1: created and verified there, the secret switched, the old region deleted', async () => {
  const app = await deploySeedExample();
  const started = await aws.api.post('/deploy/move', {
    deployment_id: app.id,
    from_region: 'us-east-1',
    to_region: 'eu-west-1',
  });
  expect([started.status, started.body.action]).toEqual([202, 'apply']);
  const run = await waitForRun(aws.api, started.body.status_url as string, finished);
  expect(run.status).toBe('completed');

  await expect(functionIn('eu-west-1', app.fn)).resolves.toMatchObject({
    Configuration: { FunctionArn: arnIn('eu-west-1', app.fn) },
  });
  await expect(functionIn('us-east-1', app.fn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(
    aws.bed.clients.forRegion('us-east-1', null).iam.send(new GetRoleCommand({ RoleName: app.role })),
  ).resolves.toBeDefined();
  expect(aws.surrogate.secretValue(app.repo, 'LAMBDA_ARN')).toBe(arnIn('eu-west-1', app.fn));
  const created = run.nodes.find((n) => n.resource_id === 'api-lambda' && n.region === 'eu-west-1');
  expect(created).toMatchObject({ status: 'completed', drift: [] });

  // What the move left behind is the deployment now: a verify of it is all in sync.
  const verify = await aws.api.post('/deploy/verify', { deployment_id: app.id });
  const report = await waitForRun(aws.api, verify.body.status_url as string, finished);
  expect(report.nodes.map((n) => `${n.resource_id}@${n.region ?? '-'}:${n.action ?? ''}`).sort()).toEqual([
    'api-lambda@eu-west-1:in-sync',
    'execution-role@-:in-sync',
    'lambda-arn-secret@-:in-sync',
  ]);
});

it('a failure after the create in the new region rolls back: us-east-1 untouched, eu-west-1 clean', async () => {
  const app = await deploySeedExample();
  const run = await moveRefusingSecret(app.id, 'LAMBDA_ARN');

  expect(run.status).toBe('rolled_back');
  expect(Object.fromEntries(run.nodes.map((n) => [`${n.resource_id}@${n.region ?? '-'}`, n.status]))).toMatchObject({
    'api-lambda@eu-west-1': 'compensated',
    'lambda-arn-secret@-': 'failed',
    'api-lambda@us-east-1': 'blocked',
  });
  await expect(functionIn('eu-west-1', app.fn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(functionIn('us-east-1', app.fn)).resolves.toMatchObject({
    Configuration: { FunctionArn: arnIn('us-east-1', app.fn) },
  });
  expect(aws.surrogate.secretValue(app.repo, 'LAMBDA_ARN')).toBe(arnIn('us-east-1', app.fn));
});

it("a failure after the secret switched rolls the switch back: the secret holds the old region's ARN again", async () => {
  // A second secret, written after the switch: the move's write of it is refused.
  const app = await deploySeedExample((owner) => ({
    'arn-copy': {
      type: 'github:secret:repo',
      properties: { owner, repo: 'my-app', secret_name: 'LAMBDA_ARN_COPY' },
      references: { value_from: 'api-lambda[us-east-1].arn' },
      depends_on: ['lambda-arn-secret'],
    },
  }));
  expect(aws.surrogate.secretValue(app.repo, 'LAMBDA_ARN_COPY')).toBe(arnIn('us-east-1', app.fn));
  const run = await moveRefusingSecret(app.id, 'LAMBDA_ARN_COPY');

  expect(run.status).toBe('rolled_back');
  const secret = run.nodes.find((n) => n.resource_id === 'lambda-arn-secret');
  expect(secret).toMatchObject({
    status: 'compensated',
    compensation: 'compensated (the value from before the move is back)',
  });
  expect(aws.surrogate.secretValue(app.repo, 'LAMBDA_ARN')).toBe(arnIn('us-east-1', app.fn));
  await expect(functionIn('eu-west-1', app.fn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

it('a delete of the old region that fails halts instead of rolling back (the point of no return), and a retry finishes the move', async () => {
  const app = await deploySeedExample();
  const lambda = aws.bed.clients.forRegion('us-east-1', null).lambda;
  const oldArn = arnIn('us-east-1', app.fn);
  const nodeId = (await lambda.send(new GetFunctionCommand({ FunctionName: app.fn }))).Tags?.['mgraph:node-id'] ?? '';
  await lambda.send(new TagResourceCommand({ Resource: oldArn, Tags: { 'mgraph:node-id': 'someone-else' } }));

  const started = await aws.api.post('/deploy/move', {
    deployment_id: app.id,
    from_region: 'us-east-1',
    to_region: 'eu-west-1',
  });
  const halted = await waitForRun(aws.api, started.body.status_url as string, (r) => r.status === 'awaiting_decision');
  const deleteNode = halted.nodes.find((n) => n.resource_id === 'api-lambda' && n.region === 'us-east-1');
  expect(deleteNode).toMatchObject({ status: 'failed', error_type: 'conflict' });
  await expect(functionIn('eu-west-1', app.fn)).resolves.toBeDefined();
  expect(aws.surrogate.secretValue(app.repo, 'LAMBDA_ARN')).toBe(arnIn('eu-west-1', app.fn));
  const rollback = await aws.api.post('/deploy/rollback', { deployment_id: app.id });
  expect([rollback.status, rollback.body.error.message]).toEqual([
    409,
    expect.stringContaining('a rollback now would leave the deployment in neither region'),
  ]);

  await lambda.send(new TagResourceCommand({ Resource: oldArn, Tags: { 'mgraph:node-id': nodeId } }));
  expect((await aws.api.post('/deploy/retry', { deployment_id: app.id })).status).toBe(200);
  expect((await waitForRun(aws.api, started.body.status_url as string, finished)).status).toBe('completed');
  await expect(functionIn('us-east-1', app.fn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

it('refuses a move to a region the deployment is in, or of one it has never applied, naming the field', async () => {
  const app = await deploySeedExample();
  const there = await aws.api.post('/deploy/move', {
    deployment_id: app.id,
    from_region: 'us-east-1',
    to_region: 'us-east-1',
  });
  expect([there.status, there.body.error.details.issues]).toEqual([
    400,
    [{ path: 'to_region', message: 'is the same as from_region' }],
  ]);
  const absent = await aws.api.post('/deploy/move', {
    deployment_id: app.id,
    from_region: 'eu-west-1',
    to_region: 'eu-central-1',
  });
  expect(absent.body.error.details.issues).toEqual([
    { path: 'from_region', message: `deployment ${app.id} has no resources in eu-west-1 (its regions: us-east-1)` },
  ]);
  const never = await aws.api.post('/deploy/move', {
    deployment_id: uniqueId('never'),
    from_region: 'us-east-1',
    to_region: 'eu-west-1',
  });
  expect(never.status).toBe(404);
  const stale = await aws.api.post('/deploy/move', {
    deployment_id: app.id,
    from_region: 'us-east-1',
    to_region: 'eu-west-1',
    graph_id: '0000000000000000',
  });
  expect([stale.status, stale.body.error.type]).toEqual([409, 'wrong_state']);
});
