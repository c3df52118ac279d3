/**
 * Issue 6, acceptance 1: seed 001's example (IAM role → Lambda → GitHub secret of one region's
 * Lambda ARN) deployed to three regions by the real workflow on the real Temporal server, with
 * AWS on moto_server and GitHub on the surrogate (PAT sealed to the service keyring). Every
 * resource exists in every region with the four mgraph tags, and the secret holds the ARN. With
 * on_failure continue, a region that fails leaves the other regions' nodes to complete.
 */
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import type { Client } from '@temporalio/client';
import { createAwsClients } from '../../src/providers/aws';
import { createGitHubClients } from '../../src/providers/github';
import { abortUpdate } from '../../src/workflows/messages';
import { startDeployment } from '../../src/client/start-deployment';
import { config, deploymentInput, node, result, start, waitFor } from '../../support/deployments';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { GitHubSurrogate } from '../surrogates/github/server';
import type { Repository } from '../surrogates/github/state';
import { startAwsBed, type AwsBed } from './helpers/aws-bed';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
/** An empty zip archive: the end-of-central-directory record alone. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]).toString('base64');

let bed: AwsBed;
let surrogate: GitHubSurrogate;
let repo: Repository;
let pat: string;
let worker: TestWorker;
let connected: Awaited<ReturnType<typeof testClient>>;
let client: Client;

beforeAll(async () => {
  bed = await startAwsBed();
  surrogate = await GitHubSurrogate.start({ seed: 3 });
  const account = surrogate.addAccount('my-org', { scopes: ['repo'] });
  pat = account.token;
  repo = surrogate.addRepo(account, 'my-app');
  worker = await startTestWorker({
    deps: {
      clients: {
        aws: createAwsClients({ endpoint: bed.moto.endpoint }),
        github: createGitHubClients({ baseUrl: surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 }),
      },
      secrets: bed.keyring,
    },
  });
  connected = await testClient();
  client = connected.client;
});
afterAll(async () => {
  await worker.stop();
  await connected.close();
  await surrogate.close();
  await bed.finish();
  surrogate.expectNoViolations();
});

it("deploys seed 001's role → Lambda → GitHub secret to three regions: every resource tagged, the secret holds the chosen region's ARN", async () => {
  const roleName = uniqueId('my-app-lambda-role');
  const cfg = {
    ...config({
      'execution-role': {
        type: 'aws:iam:role',
        properties: {
          role_name: roleName,
          managed_policies: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
      },
      'api-lambda': {
        type: 'aws:lambda:function',
        properties: {
          function_name: 'my-app-api',
          runtime: 'python3.12',
          handler: 'lambda_handler.run',
          zip_file: EMPTY_ZIP,
          memory_size: 256,
          timeout: 30,
        },
        references: { role: 'execution-role' },
        depends_on: ['execution-role'],
        tags: { app: 'my-app' },
      },
      'lambda-arn-secret': {
        type: 'github:secret:repo',
        properties: { owner: 'my-org', repo: 'my-app', secret_name: 'LAMBDA_ARN' },
        references: { value_from: 'api-lambda[eu-west-1].arn' },
        depends_on: ['api-lambda'],
      },
    }),
    targets: [{ provider: 'aws', regions: REGIONS }, { provider: 'github' }],
  };
  const input = { ...deploymentInput(cfg), credentials: { github: { encrypted_pat: await bed.seal(pat) } } };
  const { workflowId, runId } = await startDeployment(client, { input, taskQueue: worker.taskQueue });
  const final = await result(client.workflow.getHandle(workflowId, runId));

  expect(final.status).toBe('completed');
  expect(final.nodes.map((n) => `${n.resource_id}@${n.region ?? '-'}:${n.status}`).sort()).toEqual([
    'api-lambda@ap-southeast-2:completed',
    'api-lambda@eu-west-1:completed',
    'api-lambda@us-east-1:completed',
    'execution-role@-:completed',
    'lambda-arn-secret@-:completed',
  ]);
  const nodeId = (resourceId: string, region: string | null): string => {
    const found = final.nodes.find((n) => n.resource_id === resourceId && n.region === region);
    if (!found) throw new Error(`no node ${resourceId} in ${region ?? 'no region'}`);
    return found.node_id;
  };
  const ours = (resourceId: string, region: string | null) => ({
    'mgraph:node-id': nodeId(resourceId, region),
    'mgraph:graph-id': input.graph.graph_id,
    'mgraph:deploy-id': input.graph.deployment_id,
    'mgraph:resource-id': resourceId,
  });

  const role = (await bed.clients.forRegion('us-east-1', null).iam.send(new GetRoleCommand({ RoleName: roleName })))
    .Role;
  expect(Object.fromEntries((role?.Tags ?? []).map((t) => [t.Key, t.Value]))).toMatchObject(
    ours('execution-role', null),
  );

  for (const region of REGIONS) {
    const fn = await bed.clients
      .forRegion(region, null)
      .lambda.send(new GetFunctionCommand({ FunctionName: 'my-app-api' }));
    expect(fn.Configuration).toMatchObject({
      FunctionArn: `arn:aws:lambda:${region}:123456789012:function:my-app-api`,
      Role: role?.Arn,
      MemorySize: 256,
      Timeout: 30,
    });
    expect(fn.Tags).toMatchObject({ ...ours('api-lambda', region), app: 'my-app' });
  }
  expect(surrogate.secretValue(repo, 'LAMBDA_ARN')).toBe('arn:aws:lambda:eu-west-1:123456789012:function:my-app-api');
});

it('with on_failure continue, one region failing (a foreign function of the same name) leaves the other regions completed', async () => {
  const name = uniqueId('regional');
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const created = await bed.clients
    .forRegion('us-east-1', null)
    .iam.send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: trust }));
  const roleArn = created.Role?.Arn ?? '';
  await bed.clients.forRegion('eu-west-1', null).lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'python3.12',
      Handler: 'app.run',
      Role: roleArn,
      Code: { ZipFile: Buffer.from(EMPTY_ZIP, 'base64') },
    }),
  );
  const cfg = {
    ...config(
      {
        fn: {
          type: 'aws:lambda:function',
          properties: {
            function_name: name,
            runtime: 'python3.12',
            handler: 'app.run',
            zip_file: EMPTY_ZIP,
            role_arn: roleArn,
          },
        },
        after: { type: 'core:delay', properties: {}, depends_on: ['fn'] },
      },
      { on_failure: 'continue' },
    ),
    targets: [{ provider: 'aws', regions: REGIONS }],
  };
  const handle = await start(client, worker.taskQueue, cfg);
  const halted = await waitFor(handle, (s) => s.status === 'awaiting_decision');
  expect(Object.fromEntries(halted.nodes.map((n) => [`${n.resource_id}@${n.region ?? '-'}`, n.status]))).toEqual({
    'fn@us-east-1': 'completed',
    'fn@ap-southeast-2': 'completed',
    'fn@eu-west-1': 'failed',
    'after@-': 'blocked',
  });
  expect(node(halted, 'fn', 'eu-west-1')).toMatchObject({
    error_type: 'conflict',
    error: expect.stringContaining(
      `Lambda function ${name} (eu-west-1) already exists and is not managed by this node`,
    ),
  });
  await handle.executeUpdate(abortUpdate, { args: [{ reason: 'test over' }] });
});
