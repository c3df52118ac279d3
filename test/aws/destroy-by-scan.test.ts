/**
 * Issue 6, acceptance 4 (second half): POST /deploy/destroy with `scan` deletes everything tagged
 * with one deployment's id, found by a tag scan of the given regions and IAM, with no run history
 * at all (the resources are created by the types' own apply, outside any workflow), dependents
 * before what they use, and leaves another deployment's resources alone. Issue 22: the object scan
 * looks in the buckets the bucket scan found instead of scanning for them again.
 */
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { createAwsClients } from '../../src/providers/aws';
import { awsIamRole } from '../../src/resources/aws/iam-role';
import { awsLambdaFunction } from '../../src/resources/aws/lambda-function';
import { awsS3Bucket } from '../../src/resources/aws/s3-bucket';
import { awsS3Object } from '../../src/resources/aws/s3-object';
import { uniqueId } from '../../support/temporal';
import { testApi } from '../api/helpers/app';
import { finished, waitForRun } from '../api/helpers/runs';
import { holdingProxy } from '../helpers/holding-proxy';
import { useAwsApi } from './helpers/aws-api';
import { completionOrder } from './helpers/run-logs';

const REGIONS = ['us-east-1', 'eu-west-1'];
const EMPTY_ZIP = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';
const aws = useAwsApi();

/** A role and, in each region, a function using it: deployed by the types' apply, no workflow. */
async function deployOutsideAnyRun(
  deploymentId: string,
  regions: readonly string[],
): Promise<{ role: string; fn: string }> {
  const { bed } = aws;
  const names = { role: `${deploymentId}-role`, fn: `${deploymentId}-api` };
  const role = await awsIamRole.apply(
    bed.ctx(),
    bed.target(awsIamRole, { role_name: names.role }, { deployment_id: deploymentId, resource_id: 'role' }),
  );
  for (const region of regions) {
    const fn = bed.target(
      awsLambdaFunction,
      { function_name: names.fn, runtime: 'python3.12', handler: 'app.run', zip_file: EMPTY_ZIP },
      { deployment_id: deploymentId, resource_id: 'api', region, refs: { role: role.outputs['arn'] } },
    );
    await awsLambdaFunction.apply(bed.ctx(), fn);
  }
  return names;
}

const functionIn = (region: string, name: string) =>
  aws.bed.clients.forRegion(region, null).lambda.send(new GetFunctionCommand({ FunctionName: name }));
const role = (name: string) =>
  aws.bed.clients.forRegion('us-east-1', null).iam.send(new GetRoleCommand({ RoleName: name }));

it('destroys everything tagged with one deployment, functions before their role, and nothing of another', async () => {
  const [a, b] = [uniqueId('scan-a'), uniqueId('scan-b')];
  const mine = await deployOutsideAnyRun(a, REGIONS);
  const theirs = await deployOutsideAnyRun(b, ['us-east-1']);

  const started = await aws.api.post('/deploy/destroy', { deployment_id: a, scan: { regions: REGIONS } });
  expect([started.status, started.body.action]).toEqual([202, 'destroy']);
  const run = await waitForRun(aws.api, started.body.status_url as string, finished);
  expect(run.status).toBe('completed');
  expect(run.nodes.map((n) => `${n.resource_id}:${n.action ?? ''}`).sort()).toEqual([
    'api:destroyed',
    'api:destroyed',
    'role:destroyed',
  ]);

  await expect(completionOrder(aws.client, run)).resolves.toEqual(['api', 'api', 'role']);

  for (const region of REGIONS)
    await expect(functionIn(region, mine.fn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(role(mine.role)).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  await expect(functionIn('us-east-1', theirs.fn)).resolves.toMatchObject({
    Configuration: { FunctionName: theirs.fn },
  });
  await expect(role(theirs.role)).resolves.toMatchObject({ Role: { RoleName: theirs.role } });
});

it('answers 404 naming the tag when the scan finds nothing, and starts nothing', async () => {
  const id = uniqueId('scan-none');
  const res = await aws.api.post('/deploy/destroy', { deployment_id: id, scan: { regions: ['us-east-1'] } });
  expect(res.status).toBe(404);
  expect(res.body.error.message).toContain(`mgraph:deploy-id=${id}`);
  expect((await aws.api.get(`/deploy/status/${id}`)).status).toBe(404);
});

it('rejects a scan without deployment_id, with a config as well, or of a bad region, naming the field', async () => {
  const issues = async (body: unknown) => {
    const res = await aws.api.post('/deploy/destroy', body);
    expect(res.status).toBe(400);
    return (res.body.error.details.issues as { path: string; message: string }[]).map((i) => `${i.path}: ${i.message}`);
  };
  await expect(issues({ scan: { regions: ['us-east-1'] } })).resolves.toEqual(['deployment_id: is required with scan']);
  const config = { deployment_id: 'x', resources: { a: { type: 'core:delay' } } };
  await expect(issues({ deployment_id: 'x', scan: { regions: ['us-east-1'] }, config })).resolves.toEqual([
    'config: give scan or config, not both',
  ]);
  await expect(issues({ deployment_id: 'x', scan: { regions: ['mars-1'] } })).resolves.toEqual([
    'scan.regions[0]: must be an AWS region such as us-east-1',
  ]);
});

it("scans for a deployment's buckets once: the object scan reuses the bucket scan's answer", async () => {
  const id = uniqueId('scan-s3');
  const { bed } = aws;
  const bucket = await awsS3Bucket.apply(
    bed.ctx(),
    bed.target(awsS3Bucket, { bucket_name: `${id}-assets` }, { deployment_id: id, resource_id: 'assets' }),
  );
  await awsS3Object.apply(
    bed.ctx(),
    bed.target(
      awsS3Object,
      { key: 'index.html', content: 'hello' },
      { deployment_id: id, resource_id: 'index', refs: { bucket: bucket.outputs['arn'] } },
    ),
  );
  // Every request of the API's scan passes this proxy; none is held, each is counted.
  const seen = { bucketScans: 0, bucketReads: 0 };
  const proxy = await holdingProxy(bed.moto.endpoint, [
    (req, body) => {
      if (String(req.headers['x-amz-target']).endsWith('.GetResources') && body.includes('"s3"')) seen.bucketScans++;
      if (req.method === 'HEAD' && req.url === `/${id}-assets/`) seen.bucketReads++;
      return false;
    },
  ]);
  try {
    const api = testApi({
      client: aws.client,
      taskQueue: aws.worker.taskQueue,
      operations: { clients: { aws: createAwsClients({ endpoint: proxy.url, maxAttempts: 1 }) }, secrets: bed.keyring },
    });
    const started = await api.post('/deploy/destroy', { deployment_id: id, scan: { regions: ['us-east-1'] } });
    expect(started.status).toBe(202);
    const run = await waitForRun(api, started.body.status_url as string, finished);
    expect([run.status, run.nodes.map((n) => `${n.resource_id}:${n.action ?? ''}`).sort()]).toEqual([
      'completed',
      ['assets:destroyed', 'index:destroyed'],
    ]);
    expect(seen).toEqual({ bucketScans: 1, bucketReads: 1 });
  } finally {
    await proxy.close();
  }
});
