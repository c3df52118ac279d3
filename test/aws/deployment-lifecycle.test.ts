/**
 * Issue 6, acceptance 6, on moto_server: seed 002's lifecycle over REST with real AWS resources:
 * deploy (a role and a function in two regions), DEPLOYED, redeploy under a new version (the same
 * resources, re-tagged with the new graph id), undeploy (everything deleted), UNDEPLOYED.
 */
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../../support/temporal';
import { finished, waitForRun } from '../api/helpers/runs';
import { useAwsApi } from './helpers/aws-api';

const EMPTY_ZIP = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';
const REGIONS = ['us-east-1', 'eu-west-1'];
const aws = useAwsApi();

async function statusBecomes(id: string, wanted: string): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  await eventually(async () => {
    const response = await aws.api.get(`/deployments/${id}`);
    body = response.body as Record<string, unknown>;
    expect([response.status, body['deployment_status']]).toEqual([200, wanted]);
  });
  return body;
}

const functionIn = (region: string, name: string) =>
  aws.bed.clients.forRegion(region, null).lambda.send(new GetFunctionCommand({ FunctionName: name }));

it('deploys, redeploys under a new version and undeploys real resources, with seed 002 statuses throughout', async () => {
  const id = uniqueId('seed2');
  const names = { role: `${id}-role`, fn: `${id}-api` };
  const config = {
    deployment_id: id,
    version: 'v1',
    targets: [{ provider: 'aws', regions: REGIONS }],
    resources: {
      role: { type: 'aws:iam:role', properties: { role_name: names.role } },
      api: {
        type: 'aws:lambda:function',
        properties: { function_name: names.fn, runtime: 'python3.12', handler: 'app.run', zip_file: EMPTY_ZIP },
        references: { role: 'role' },
      },
    },
  };
  await statusBecomes(id, 'UNDEPLOYED');

  const deployed = await aws.api.post('/deploy/deploy', { config });
  expect((await waitForRun(aws.api, deployed.body.status_url as string, finished)).status).toBe('completed');
  expect(await statusBecomes(id, 'DEPLOYED')).toMatchObject({ version: 'v1', is_deployed: true });
  const arns = await Promise.all(
    REGIONS.map(async (region) => (await functionIn(region, names.fn)).Configuration?.FunctionArn),
  );

  const redeployed = await aws.api.post('/deploy/redeploy', { deployment_id: id, version: 'v2' });
  expect((await waitForRun(aws.api, redeployed.body.status_url as string, finished)).status).toBe('completed');
  expect(await statusBecomes(id, 'DEPLOYED')).toMatchObject({ version: 'v2' });
  for (const [i, region] of REGIONS.entries()) {
    const fn = await functionIn(region, names.fn);
    expect(fn.Configuration?.FunctionArn).toBe(arns[i]);
    expect(fn.Tags?.['mgraph:graph-id']).toBe(redeployed.body.graph_id);
  }

  const undeployed = await aws.api.post('/deploy/undeploy', { deployment_id: id });
  expect((await waitForRun(aws.api, undeployed.body.status_url as string, finished)).status).toBe('completed');
  expect(await statusBecomes(id, 'UNDEPLOYED')).toMatchObject({ is_deployed: false });
  for (const region of REGIONS)
    await expect(functionIn(region, names.fn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(
    aws.bed.clients.forRegion('us-east-1', null).iam.send(new GetRoleCommand({ RoleName: names.role })),
  ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
});
