/**
 * Issue 22: a destroy by scan also finds a deployment's GitHub resources, which carry no tags, by
 * the names its last apply recorded: the secrets that apply wrote, and the repositories it created
 * or named by the naming rule (`{name}__{node_id}`). Secrets go before the function whose ARN they
 * hold; an existing secret `if_absent` left alone, an adopted repository, a secret gone meanwhile
 * and another deployment's secrets are left out. Over REST on moto_server and the GitHub surrogate.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { uniqueId } from '../../support/temporal';
import { finished, waitForRun } from '../api/helpers/runs';
import type { Account } from '../surrogates/github/state';
import { useAwsApi } from './helpers/aws-api';
import { completionOrder } from './helpers/run-logs';

const EMPTY_ZIP = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';
const aws = useAwsApi({ github: true });

const secret = (owner: string, name: string, more: Record<string, unknown> = {}) => ({
  type: 'github:secret:repo',
  properties: { owner, repo: 'my-app', secret_name: name, ...more },
});

async function applied(config: Record<string, unknown>) {
  const started = await aws.api.post('/deploy/apply', { config });
  const run = await waitForRun(aws.api, started.body.status_url as string, finished);
  expect(run.status).toBe('completed');
  return run;
}

/** Another deployment's two secrets in my-app, one of which the deployment under test names with if_absent. */
async function theirs(account: Account, token: string) {
  await applied({
    deployment_id: uniqueId('theirs'),
    targets: [{ provider: 'github' }],
    credentials: { github: { encrypted_pat: token } },
    resources: {
      token: secret(account.login, 'DEPLOY_TOKEN', { encrypted_value: await aws.bed.seal('theirs') }),
      other: secret(account.login, 'OTHER', { encrypted_value: await aws.bed.seal('theirs') }),
    },
  });
}

it("destroys the GitHub secrets and repositories its last apply recorded with its AWS resources, and nothing that is not the deployment's", async () => {
  const id = uniqueId('scan-gh');
  const account = aws.surrogate.addAccount(uniqueId('owner'), { scopes: ['repo'] });
  const repo = aws.surrogate.addRepo(account, 'my-app');
  const token = await aws.bed.seal(account.token);
  await theirs(account, token);
  const fn = `${id}-api`;
  const deployed = await applied({
    deployment_id: id,
    targets: [{ provider: 'aws', regions: ['us-east-1'] }, { provider: 'github' }],
    credentials: { github: { encrypted_pat: token } },
    resources: {
      role: { type: 'aws:iam:role', properties: { role_name: `${id}-role` } },
      api: {
        type: 'aws:lambda:function',
        properties: { function_name: fn, runtime: 'python3.12', handler: 'app.run', zip_file: EMPTY_ZIP },
        references: { role: 'role' },
      },
      'lambda-arn': { ...secret(account.login, 'LAMBDA_ARN'), references: { value_from: 'api.arn' } },
      'deploy-token': secret(account.login, 'DEPLOY_TOKEN', {
        encrypted_value: await aws.bed.seal('mine'),
        if_absent: true,
      }),
      gone: secret(account.login, 'GONE', { encrypted_value: await aws.bed.seal('mine') }),
      preview: { type: 'github:repo', properties: { owner: account.login, name: 'preview', generate_name: true } },
      app: { type: 'github:repo', properties: { owner: account.login, name: 'my-app' } },
    },
  });
  const previewName = `preview__${deployed.nodes.find((n) => n.resource_id === 'preview')?.node_id ?? ''}`;
  repo.secrets.delete('GONE');

  // No credentials in the request: AWS by the API's default chain, GitHub with the last apply's token.
  const started = await aws.api.post('/deploy/destroy', { deployment_id: id, scan: { regions: ['us-east-1'] } });
  expect([started.status, started.body.action]).toEqual([202, 'destroy']);
  const run = await waitForRun(aws.api, started.body.status_url as string, finished);
  expect(run.status).toBe('completed');
  expect(run.nodes.map((n) => `${n.resource_id}:${n.action ?? ''}`).sort()).toEqual([
    'api:destroyed',
    'lambda-arn:destroyed',
    'preview:destroyed',
    'role:destroyed',
  ]);
  const order = await completionOrder(aws.client, run);
  expect(order.indexOf('lambda-arn')).toBeLessThan(order.indexOf('api'));

  expect([...repo.secrets.keys()].sort()).toEqual(['DEPLOY_TOKEN', 'OTHER']);
  expect(aws.surrogate.secretValue(repo, 'DEPLOY_TOKEN')).toBe('theirs');
  expect(repo.archived).toBe(false);
  expect(aws.surrogate.state.repo(account.login, previewName)?.archived).toBe(true);
  await expect(
    aws.bed.clients.forRegion('us-east-1', null).lambda.send(new GetFunctionCommand({ FunctionName: fn })),
  ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

  // Nothing of it is left to find: the archived repository is not found again.
  const again = await aws.api.post('/deploy/destroy', { deployment_id: id, scan: { regions: ['us-east-1'] } });
  expect(again.status).toBe(404);
  expect(again.body.error.message).toContain('GitHub resources its last apply recorded');
});
