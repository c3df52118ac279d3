import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, ListFunctionsCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { awsIamRole } from '../../src/resources/aws/iam-role';
import { awsLambdaFunction } from '../../src/resources/aws/lambda-function';
import { startAwsBed, type AwsBed } from './helpers/aws-bed';

const zip = (text: string): string => Buffer.from(`PK-test-package:${text}`).toString('base64');
const MISSING = { property: 'exists', desired: true, actual: false };

let bed: AwsBed;
let roleArn: string;
beforeAll(async () => {
  bed = await startAwsBed();
});
afterAll(async () => {
  await bed.finish();
});
beforeEach(async () => {
  await bed.moto.reset();
  const role = await awsIamRole.apply(bed.ctx(), bed.target(awsIamRole, { role_name: 'fn-role' }, { resource_id: 'execution-role' }));
  roleArn = role.outputs['arn'] as string;
});

const lambda = (region = 'us-east-1') => bed.clients.forRegion(region, null).lambda;
const props = (extra: Record<string, unknown> = {}) =>
  ({ function_name: 'my-app-api', runtime: 'python3.12', handler: 'lambda_handler.run', zip_file: zip('v1'), memory_size: 256, timeout: 30, environment: { STAGE: 'prod' }, ...extra });
const target = (extra: Record<string, unknown> = {}, options: Parameters<AwsBed['target']>[2] = {}) =>
  bed.target(awsLambdaFunction, props(extra), { resource_id: 'api-lambda', refs: { role: roleArn }, ...options });

describe('aws:lambda:function', () => {
  it('creates the function with the role from its reference and the four tags, outputs arn/function_name/version, then plans no-op', async () => {
    const ctx = bed.ctx();
    const t = target({}, { region: 'eu-west-1', tags: { team: 'payments' } });
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({ action: 'create', diff: [MISSING], warnings: [] });
    const applied = await awsLambdaFunction.apply(ctx, t);
    expect(applied).toEqual({
      outputs: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:my-app-api', function_name: 'my-app-api', version: '$LATEST' },
      undo: { created: true },
    });
    const got = await lambda('eu-west-1').send(new GetFunctionCommand({ FunctionName: 'my-app-api' }));
    expect(got.Configuration).toMatchObject({ Role: roleArn, Runtime: 'python3.12', Handler: 'lambda_handler.run', MemorySize: 256, Timeout: 30, Environment: { Variables: { STAGE: 'prod' } } });
    expect(got.Tags).toMatchObject({
      'mgraph:node-id': t.node.node_id, 'mgraph:graph-id': 'graph-1', 'mgraph:deploy-id': 'test-deploy', 'mgraph:resource-id': 'api-lambda', team: 'payments',
    });
    await expect(lambda('us-east-1').send(new GetFunctionCommand({ FunctionName: 'my-app-api' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsLambdaFunction.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('takes its code from S3, and a new key is an update of the code', async () => {
    const s3 = bed.clients.forRegion('us-east-1', null).s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'deploy-bucket' }));
    for (const key of ['app/v1/code.zip', 'app/v2/code.zip']) await s3.send(new PutObjectCommand({ Bucket: 'deploy-bucket', Key: key, Body: Buffer.from(key) }));
    const ctx = bed.ctx();
    const s3Props = (key: string) => ({ zip_file: undefined, code_s3_bucket: 'deploy-bucket', code_s3_key: key });
    await awsLambdaFunction.apply(ctx, target(s3Props('app/v1/code.zip')));
    const v2 = target(s3Props('app/v2/code.zip'));
    await expect(awsLambdaFunction.plan(ctx, v2)).resolves.toEqual({
      action: 'update', diff: [{ property: 'code', desired: 's3://deploy-bucket/app/v2/code.zip', actual: 's3://deploy-bucket/app/v1/code.zip' }], warnings: [],
    });
    const applied = await awsLambdaFunction.apply(ctx, v2);
    expect(applied.undo).toEqual({ created: false, code_previous: 's3://deploy-bucket/app/v1/code.zip', tags_previous: { 'mgraph:code': 's3://deploy-bucket/app/v1/code.zip' } });
    await expect(awsLambdaFunction.plan(ctx, v2)).resolves.toMatchObject({ action: 'no-op' });
    await expect(awsLambdaFunction.compensate(ctx, v2, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(awsLambdaFunction.plan(ctx, target(s3Props('app/v1/code.zip')))).resolves.toMatchObject({ action: 'no-op' });
  });

  it('plans exactly the changed property as an update with its diff, applies it, and compensation restores it', async () => {
    const ctx = bed.ctx();
    await awsLambdaFunction.apply(ctx, target());
    const changed = target({ memory_size: 512 }, { graph_id: 'graph-2' });
    await expect(awsLambdaFunction.plan(ctx, changed)).resolves.toEqual({ action: 'update', diff: [{ property: 'memory_size', desired: 512, actual: 256 }], warnings: [] });
    const applied = await awsLambdaFunction.apply(ctx, changed);
    expect(applied.undo).toMatchObject({ created: false, config_previous: { memory_size: 256 }, tags_previous: { 'mgraph:graph-id': 'graph-1' } });
    await expect(awsLambdaFunction.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });
    await expect(awsLambdaFunction.compensate(ctx, changed, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(awsLambdaFunction.plan(ctx, target())).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
  });

  it('adopts its own tagged function on a retried apply of the same run: exactly one function, still counted as created', async () => {
    const t = target({}, { refs: { role: roleArn, $run_key: 'run-1' } });
    await awsLambdaFunction.apply(bed.ctx(), t);
    await expect(awsLambdaFunction.apply(bed.ctx({ attempt: 2 }), t)).resolves.toMatchObject({ undo: { created: true } });
    const listed = await lambda().send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toEqual(['my-app-api']);
  });

  it('refuses a same-named function that is not ours, naming it, and a missing role reference', async () => {
    await lambda().send(new CreateFunctionCommand({ FunctionName: 'my-app-api', Runtime: 'python3.12', Handler: 'x.y', Role: roleArn, Code: { ZipFile: Buffer.from('other') } }));
    const ctx = bed.ctx();
    await expect(awsLambdaFunction.plan(ctx, target())).resolves.toMatchObject({ warnings: [expect.stringContaining('Lambda function my-app-api (us-east-1) already exists and is not managed by this node')] });
    await expect(awsLambdaFunction.apply(ctx, target())).rejects.toMatchObject({ type: 'conflict', retryable: false, message: expect.stringContaining('Lambda function my-app-api (us-east-1) already exists') });
    await expect(awsLambdaFunction.destroy(ctx, target(), null)).rejects.toMatchObject({ type: 'conflict' });
    await expect(awsLambdaFunction.apply(ctx, target({ function_name: 'other' }, { refs: {} }))).rejects.toMatchObject({
      type: 'invalid_input', message: expect.stringContaining('neither role_arn nor a "role" reference is given'),
    });
  });

  it('reports drift per property and a function deleted out of band; apply repairs both; destroy and compensate delete', async () => {
    const ctx = bed.ctx();
    const t = target();
    const applied = await awsLambdaFunction.apply(ctx, t);
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'my-app-api', Timeout: 60 }));
    await expect(awsLambdaFunction.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [{ property: 'timeout', desired: 30, actual: 60 }] });
    await awsLambdaFunction.apply(ctx, t);
    await expect(awsLambdaFunction.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });

    await lambda().send(new DeleteFunctionCommand({ FunctionName: 'my-app-api' }));
    await expect(awsLambdaFunction.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [MISSING] });
    const again = await awsLambdaFunction.apply(ctx, t);
    expect(again.undo).toEqual({ created: true });
    await expect(awsLambdaFunction.compensate(ctx, t, again.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(awsLambdaFunction.compensate(ctx, t, again.undo)).resolves.toEqual({ outcome: 'compensated (already gone)' });
    await awsLambdaFunction.apply(ctx, t);
    await awsLambdaFunction.destroy(ctx, t, null);
    await awsLambdaFunction.destroy(ctx, t, null);
    await expect(awsLambdaFunction.verify(ctx, t, null)).resolves.toEqual({ drift: [MISSING] });
  });
});
