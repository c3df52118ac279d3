import { createHash } from 'node:crypto';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
  PublishLayerVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { awsIamRole } from '../../src/resources/aws/iam-role';
import { awsLambdaFunction } from '../../src/resources/aws/lambda-function';
import { awsLambdaLayer } from '../../src/resources/aws/lambda-layer';
import { awsS3Object } from '../../src/resources/aws/s3-object';
import type { NodeTarget } from '../../src/resources/resource-type';
import { startAwsBed, type AwsBed } from './helpers/aws-bed';

const zip = (text: string): string => Buffer.from(`PK-test-package:${text}`).toString('base64');
/** Lambda's CodeSha256 of a package. */
const sha256 = (text: string): string =>
  createHash('sha256')
    .update(Buffer.from(zip(text), 'base64'))
    .digest('base64');
const MISSING = { property: 'exists', desired: true, actual: false };
/** The code's identity of an object in an unversioned bucket: its location and ETag (the MD5 of its body). */
const s3Code = (bucket: string, key: string, body: string | Buffer): string =>
  `s3://${bucket}/${key}@etag=${createHash('md5').update(body).digest('hex')}`;

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
  const role = await awsIamRole.apply(
    bed.ctx(),
    bed.target(awsIamRole, { role_name: 'fn-role' }, { resource_id: 'execution-role' }),
  );
  roleArn = role.outputs['arn'] as string;
});

const lambda = (region = 'us-east-1') => bed.clients.forRegion(region, null).lambda;
const props = (extra: Record<string, unknown> = {}) => ({
  function_name: 'my-app-api',
  runtime: 'python3.12',
  handler: 'lambda_handler.run',
  zip_file: zip('v1'),
  memory_size: 256,
  timeout: 30,
  environment: { STAGE: 'prod' },
  ...extra,
});
const target = (extra: Record<string, unknown> = {}, options: Parameters<AwsBed['target']>[2] = {}) =>
  bed.target(awsLambdaFunction, props(extra), { resource_id: 'api-lambda', refs: { role: roleArn }, ...options });
/** Properties without code of their own: it comes from the `code` reference. */
const byReference = { zip_file: undefined };

/** The node declares these references as a built graph would (`name: "resource[.output]"`); the bed's nodes declare none, and its `refs` are the resolved ones. */
function declaring<P>(t: NodeTarget<P>, references: Record<string, string>): NodeTarget<P> {
  const declared = Object.fromEntries(
    Object.entries(references).map(([name, raw]) => {
      const [resource, output] = raw.split('.');
      return [
        name,
        { raw, node_id: 'not-applied', resource_id: resource ?? raw, region: t.node.region, output: output ?? null },
      ];
    }),
  );
  return { ...t, node: { ...t.node, references: declared } };
}

/** A bucket in the region and a zip put into it as an aws:s3:object; the object's ARN, what a reference to it resolves to. */
async function codeObject(region: string, bucket: string, key: string, text: string): Promise<string> {
  await bed.bucket(bucket, { region });
  const object = await awsS3Object.apply(
    bed.ctx(),
    bed.target(awsS3Object, { bucket, key, content_base64: zip(text) }, { resource_id: `zip-${key}`, region }),
  );
  return object.outputs['arn'] as string;
}

/** A layer version published by an aws:lambda:layer node; its `version_arn`. */
async function layerVersion(name: string, text: string, region = 'us-east-1'): Promise<string> {
  const layer = await awsLambdaLayer.apply(
    bed.ctx(),
    bed.target(
      awsLambdaLayer,
      { layer_name: name, compatible_runtimes: ['python3.12'], zip_file: zip(text) },
      { resource_id: name, region },
    ),
  );
  return layer.outputs['version_arn'] as string;
}

const layersOf = async (region = 'us-east-1'): Promise<(string | undefined)[]> =>
  ((await lambda(region).send(new GetFunctionCommand({ FunctionName: 'my-app-api' }))).Configuration?.Layers ?? []).map(
    (l) => l.Arn,
  );

describe('aws:lambda:function', () => {
  it('creates the function with the role from its reference and the four tags, outputs arn/function_name/version, then plans no-op', async () => {
    const ctx = bed.ctx();
    const t = target({}, { region: 'eu-west-1', tags: { team: 'payments' } });
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({ action: 'create', diff: [MISSING], warnings: [] });
    const applied = await awsLambdaFunction.apply(ctx, t);
    expect(applied).toEqual({
      outputs: {
        arn: 'arn:aws:lambda:eu-west-1:123456789012:function:my-app-api',
        function_name: 'my-app-api',
        version: '$LATEST',
      },
      undo: { created: true },
    });
    const got = await lambda('eu-west-1').send(new GetFunctionCommand({ FunctionName: 'my-app-api' }));
    expect(got.Configuration).toMatchObject({
      Role: roleArn,
      Runtime: 'python3.12',
      Handler: 'lambda_handler.run',
      MemorySize: 256,
      Timeout: 30,
      Environment: { Variables: { STAGE: 'prod' } },
    });
    expect(got.Tags).toMatchObject({
      'mgraph:node-id': t.node.node_id,
      'mgraph:graph-id': 'graph-1',
      'mgraph:deploy-id': 'test-deploy',
      'mgraph:resource-id': 'api-lambda',
      team: 'payments',
    });
    await expect(
      lambda('us-east-1').send(new GetFunctionCommand({ FunctionName: 'my-app-api' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsLambdaFunction.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('takes its code from S3, and a new key is an update of the code', async () => {
    await bed.bucket('deploy-bucket', { keys: ['app/v1/code.zip', 'app/v2/code.zip'] });
    const ctx = bed.ctx();
    const s3Props = (key: string) => ({ zip_file: undefined, code_s3_bucket: 'deploy-bucket', code_s3_key: key });
    await awsLambdaFunction.apply(ctx, target(s3Props('app/v1/code.zip')));
    const v2 = target(s3Props('app/v2/code.zip'));
    await expect(awsLambdaFunction.plan(ctx, v2)).resolves.toEqual({
      action: 'update',
      diff: [
        {
          property: 'code',
          desired: s3Code('deploy-bucket', 'app/v2/code.zip', 'app/v2/code.zip'),
          actual: s3Code('deploy-bucket', 'app/v1/code.zip', 'app/v1/code.zip'),
        },
      ],
      warnings: [],
    });
    const applied = await awsLambdaFunction.apply(ctx, v2);
    const v1 = s3Code('deploy-bucket', 'app/v1/code.zip', 'app/v1/code.zip');
    expect(applied.undo).toEqual({ created: false, code_previous: v1, tags_previous: { 'mgraph:code': v1 } });
    await expect(awsLambdaFunction.plan(ctx, v2)).resolves.toMatchObject({ action: 'no-op' });
    await expect(awsLambdaFunction.compensate(ctx, v2, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(awsLambdaFunction.plan(ctx, target(s3Props('app/v1/code.zip')))).resolves.toMatchObject({
      action: 'no-op',
    });
  });

  it('plans exactly the changed property as an update with its diff, applies it, and compensation restores it', async () => {
    const ctx = bed.ctx();
    await awsLambdaFunction.apply(ctx, target());
    const changed = target({ memory_size: 512 }, { graph_id: 'graph-2' });
    await expect(awsLambdaFunction.plan(ctx, changed)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'memory_size', desired: 512, actual: 256 }],
      warnings: [],
    });
    const applied = await awsLambdaFunction.apply(ctx, changed);
    expect(applied.undo).toMatchObject({
      created: false,
      config_previous: { memory_size: 256 },
      tags_previous: { 'mgraph:graph-id': 'graph-1' },
    });
    await expect(awsLambdaFunction.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });
    await expect(awsLambdaFunction.compensate(ctx, changed, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(awsLambdaFunction.plan(ctx, target())).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
  });

  it('returns on the retry of an update whose first attempt died after its changes the undo an uninterrupted apply returns, and compensation with it restores the configuration, code and tags', async () => {
    const ctx = bed.ctx();
    const [v1, v2] = [
      await codeObject('us-east-1', 'deploy-bucket', 'app/v1/code.zip', 'v1'),
      await codeObject('us-east-1', 'deploy-bucket', 'app/v2/code.zip', 'v2'),
    ];
    const t = (code: string, extra: Record<string, unknown> = {}, graph_id = 'graph-1') =>
      target({ ...byReference, ...extra }, { refs: { role: roleArn, code }, graph_id });
    await awsLambdaFunction.apply(ctx, t(v1));
    const changed = t(v2, { memory_size: 512 }, 'graph-2');
    const beats: unknown[] = [];
    await awsLambdaFunction.apply(
      {
        ...ctx,
        heartbeat: (details) => {
          beats.push(details);
        },
      },
      changed,
    ); // its changes are made, its result dies with the worker
    await expect(awsLambdaFunction.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });

    const retried = await awsLambdaFunction.apply({ ...ctx, attempt: 2, lastHeartbeat: beats.at(-1) }, changed);
    const source = s3Code('deploy-bucket', 'app/v1/code.zip', Buffer.from(zip('v1'), 'base64'));
    expect(retried.undo).toEqual({
      created: false,
      code_previous: source,
      tags_previous: { 'mgraph:graph-id': 'graph-1', 'mgraph:code': source },
      config_previous: {
        runtime: 'python3.12',
        handler: 'lambda_handler.run',
        description: '',
        role: roleArn,
        memory_size: 256,
        timeout: 30,
        environment: { STAGE: 'prod' },
        layers: [],
      },
    });
    await expect(awsLambdaFunction.compensate(ctx, changed, retried.undo)).resolves.toEqual({ outcome: 'compensated' });
    const got = await lambda().send(new GetFunctionCommand({ FunctionName: 'my-app-api' }));
    expect(got.Configuration).toMatchObject({ CodeSha256: sha256('v1'), MemorySize: 256 });
    expect(got.Tags).toMatchObject({ 'mgraph:graph-id': 'graph-1', 'mgraph:code': source });
    await expect(awsLambdaFunction.plan(ctx, t(v1))).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
  });

  it('adopts its own tagged function on a retried apply of the same run: exactly one function, still counted as created', async () => {
    const t = target({}, { refs: { role: roleArn, $run_key: 'run-1' } });
    await awsLambdaFunction.apply(bed.ctx(), t);
    await expect(awsLambdaFunction.apply(bed.ctx({ attempt: 2 }), t)).resolves.toMatchObject({
      undo: { created: true },
    });
    const listed = await lambda().send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toEqual(['my-app-api']);
  });

  it('refuses a same-named function that is not ours, naming it, and a missing role reference', async () => {
    await lambda().send(
      new CreateFunctionCommand({
        FunctionName: 'my-app-api',
        Runtime: 'python3.12',
        Handler: 'x.y',
        Role: roleArn,
        Code: { ZipFile: Buffer.from('other') },
      }),
    );
    const ctx = bed.ctx();
    await expect(awsLambdaFunction.plan(ctx, target())).resolves.toMatchObject({
      warnings: [
        expect.stringContaining(
          'Lambda function my-app-api (us-east-1) already exists and is not managed by this node',
        ),
      ],
    });
    await expect(awsLambdaFunction.apply(ctx, target())).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: expect.stringContaining('Lambda function my-app-api (us-east-1) already exists'),
    });
    await expect(awsLambdaFunction.destroy(ctx, target(), null)).rejects.toMatchObject({ type: 'conflict' });
    await expect(awsLambdaFunction.apply(ctx, target({ function_name: 'other' }, { refs: {} }))).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('neither role_arn nor a "role" reference is given'),
    });
  });

  it('reports drift per property and a function deleted out of band; apply repairs both; destroy and compensate delete', async () => {
    const ctx = bed.ctx();
    const t = target();
    const applied = await awsLambdaFunction.apply(ctx, t);
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'my-app-api', Timeout: 60 }));
    await expect(awsLambdaFunction.verify(ctx, t, applied.outputs)).resolves.toEqual({
      drift: [{ property: 'timeout', desired: 30, actual: 60 }],
    });
    await awsLambdaFunction.apply(ctx, t);
    await expect(awsLambdaFunction.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });

    await lambda().send(new DeleteFunctionCommand({ FunctionName: 'my-app-api' }));
    await expect(awsLambdaFunction.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [MISSING] });
    const again = await awsLambdaFunction.apply(ctx, t);
    expect(again.undo).toEqual({ created: true });
    await expect(awsLambdaFunction.compensate(ctx, t, again.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(awsLambdaFunction.compensate(ctx, t, again.undo)).resolves.toEqual({
      outcome: 'compensated (already gone)',
    });
    await awsLambdaFunction.apply(ctx, t);
    await awsLambdaFunction.destroy(ctx, t, null);
    await awsLambdaFunction.destroy(ctx, t, null);
    await expect(awsLambdaFunction.verify(ctx, t, null)).resolves.toEqual({ drift: [MISSING] });
  });

  it("takes its code from an aws:s3:object by reference, in each region from that region's bucket; the same as giving that bucket and key", async () => {
    const ctx = bed.ctx();
    for (const region of ['us-east-1', 'eu-west-1']) {
      const t = (refs: Record<string, unknown>) =>
        declaring(target(byReference, { region, refs }), { role: 'execution-role', code: 'code-zip' });
      // A first deploy's live plan: neither the role nor the object has been applied, so neither reference has a value.
      await expect(awsLambdaFunction.plan(ctx, t({}))).resolves.toEqual({
        action: 'create',
        diff: [MISSING],
        warnings: [],
      });
      const arn = await codeObject(region, `code-${region}`, 'app/v1/code.zip', `v1 for ${region}`);
      expect(arn).toBe(`arn:aws:s3:::code-${region}/app/v1/code.zip`);
      const resolved = t({ role: roleArn, code: arn });
      await expect(awsLambdaFunction.plan(ctx, resolved)).resolves.toMatchObject({ action: 'create' });
      await awsLambdaFunction.apply(ctx, resolved);
      await expect(awsLambdaFunction.plan(ctx, resolved)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
      await expect(awsLambdaFunction.verify(ctx, resolved, null)).resolves.toEqual({ drift: [] });
      const same = target(
        { zip_file: undefined, code_s3_bucket: `code-${region}`, code_s3_key: 'app/v1/code.zip' },
        { region },
      );
      await expect(awsLambdaFunction.plan(ctx, same)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    }
    for (const region of ['us-east-1', 'eu-west-1']) {
      const got = await lambda(region).send(new GetFunctionCommand({ FunctionName: 'my-app-api' }));
      expect(got.Configuration?.CodeSha256).toBe(sha256(`v1 for ${region}`));
      expect(got.Tags?.['mgraph:code']).toBe(
        s3Code(`code-${region}`, 'app/v1/code.zip', Buffer.from(zip(`v1 for ${region}`), 'base64')),
      );
    }
  });

  it('a new key of the referenced object is an update of the code, planned even before the object is applied; compensation restores the previous key', async () => {
    const ctx = bed.ctx();
    const v1 = await codeObject('us-east-1', 'deploy-bucket', 'app/v1/code.zip', 'v1');
    const t = (code: string) => target(byReference, { refs: { role: roleArn, code } });
    await awsLambdaFunction.apply(ctx, t(v1));
    const [source1, source2] = ['v1', 'v2'].map((v) =>
      s3Code('deploy-bucket', `app/${v}/code.zip`, Buffer.from(zip(v), 'base64')),
    );
    // A live plan whose v2 object is new: references resolve from the last apply's outputs, and one that cannot resolves none.
    const pending = declaring(target(byReference, { refs: {} }), { role: 'execution-role', code: 'code-v2' });
    await expect(awsLambdaFunction.plan(ctx, pending)).resolves.toEqual({
      action: 'update',
      diff: [
        {
          property: 'role',
          desired: '(references.role "execution-role" is unresolved until execution-role has been applied)',
          actual: roleArn,
        },
        {
          property: 'code',
          desired: '(references.code "code-v2" is unresolved until code-v2 has been applied)',
          actual: source1,
        },
      ],
      warnings: [],
    });
    await expect(awsLambdaFunction.apply(ctx, pending)).rejects.toMatchObject({
      type: 'reference',
      message: expect.stringContaining('references.role "execution-role" is unresolved'),
    });

    const v2 = await codeObject('us-east-1', 'deploy-bucket', 'app/v2/code.zip', 'v2');
    await expect(awsLambdaFunction.plan(ctx, t(v2))).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'code', desired: source2, actual: source1 }],
      warnings: [],
    });
    const applied = await awsLambdaFunction.apply(ctx, t(v2));
    expect(applied.undo).toEqual({ created: false, code_previous: source1, tags_previous: { 'mgraph:code': source1 } });
    expect(
      (await lambda().send(new GetFunctionCommand({ FunctionName: 'my-app-api' }))).Configuration?.CodeSha256,
    ).toBe(sha256('v2'));
    await expect(awsLambdaFunction.plan(ctx, t(v2))).resolves.toMatchObject({ action: 'no-op' });
    await expect(awsLambdaFunction.compensate(ctx, t(v2), applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    expect(
      (await lambda().send(new GetFunctionCommand({ FunctionName: 'my-app-api' }))).Configuration?.CodeSha256,
    ).toBe(sha256('v1'));
    await expect(awsLambdaFunction.plan(ctx, t(v1))).resolves.toMatchObject({ action: 'no-op' });
  });

  it('without zip_file, code_s3_bucket/code_s3_key or a code reference is invalid_input naming them, as are two sources and a code reference that is no object', async () => {
    expect(awsLambdaFunction.properties.safeParse(props(byReference)).success).toBe(true);
    expect(
      awsLambdaFunction.properties.safeParse(props({ code_s3_bucket: 'deploy-bucket', code_s3_key: 'app.zip' }))
        .success,
    ).toBe(false);
    expect(
      awsLambdaFunction.properties.safeParse(props({ zip_file: undefined, code_s3_bucket: 'deploy-bucket' })).success,
    ).toBe(false);
    const ctx = bed.ctx();
    const none = target(byReference);
    const noCode = {
      type: 'invalid_input',
      retryable: false,
      message: expect.stringMatching(
        /no code is given: set properties\.zip_file, or properties\.code_s3_bucket and code_s3_key, or references\.code/,
      ),
    };
    await expect(awsLambdaFunction.plan(ctx, none)).rejects.toMatchObject(noCode);
    await expect(awsLambdaFunction.apply(ctx, none)).rejects.toMatchObject(noCode);
    await expect(
      awsLambdaFunction.apply(ctx, target({}, { refs: { role: roleArn, code: 'arn:aws:s3:::deploy-bucket/app.zip' } })),
    ).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('the code is given twice'),
    });
    await expect(
      awsLambdaFunction.apply(
        ctx,
        target(byReference, { refs: { role: roleArn, code: 'arn:aws:s3:::deploy-bucket' } }),
      ),
    ).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('references.code is "arn:aws:s3:::deploy-bucket", which is not an S3 object'),
    });
    expect((await lambda().send(new ListFunctionsCommand({}))).Functions).toEqual([]);
  });

  it('takes layers from properties, then from the layer… references by name (layer_2 before layer_10), in that order; refuses more than 5, unversioned or other-region ones', async () => {
    const ctx = bed.ctx();
    const published = await lambda().send(
      new PublishLayerVersionCommand({ LayerName: 'vendor-layer', Content: { ZipFile: Buffer.from('vendor') } }),
    );
    const vendor = published.LayerVersionArn ?? '';
    const [shared, extras, tools] = [
      await layerVersion('shared', 's1'),
      await layerVersion('extras', 'e1'),
      await layerVersion('tools', 't1'),
    ];
    expect(shared).toBe('arn:aws:lambda:us-east-1:123456789012:layer:shared:1');
    const t = target(
      { layers: [vendor] },
      { refs: { role: roleArn, layer_10: tools, layer: shared, layer_2: extras } },
    );
    await awsLambdaFunction.apply(ctx, t);
    expect(await layersOf()).toEqual([vendor, shared, extras, tools]);
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsLambdaFunction.verify(ctx, t, null)).resolves.toEqual({ drift: [] });

    const pending = declaring(target({ layers: [vendor] }, { refs: {} }), {
      role: 'execution-role',
      layer: 'shared-layer.version_arn',
    });
    await expect(awsLambdaFunction.plan(ctx, pending)).resolves.toMatchObject({
      action: 'update',
      diff: expect.arrayContaining([
        {
          property: 'layers',
          desired: [
            vendor,
            '(references.layer "shared-layer.version_arn" is unresolved until shared-layer has been applied)',
          ],
          actual: [vendor, shared, extras, tools],
        },
      ]),
    });

    expect(
      awsLambdaFunction.properties.safeParse(props({ layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared'] }))
        .success,
    ).toBe(false);
    const refused = (refs: Record<string, unknown>, layers: string[] = []) =>
      awsLambdaFunction.plan(ctx, target({ layers }, { refs: { role: roleArn, ...refs } }));
    await expect(refused({ layer: 'arn:aws:lambda:us-east-1:123456789012:layer:shared' })).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('"<layer>.version_arn"'),
    });
    await expect(refused({ layer: 'arn:aws:lambda:eu-west-1:123456789012:layer:shared:1' })).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining("layers of the function's own region (us-east-1)"),
    });
    await expect(refused({ layer: shared }, [shared])).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('one version of each layer'),
    });
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => `arn:aws:lambda:us-east-1:123456789012:layer:${name}:1`);
    await expect(refused({ layer: six[5] }, six.slice(0, 5))).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('at most 5 layers'),
    });
  });

  it('reports layers changed out of band as drift, order included, and apply puts them back', async () => {
    const ctx = bed.ctx();
    const [shared, extras] = [await layerVersion('shared', 's1'), await layerVersion('extras', 'e1')];
    const t = target({ layers: [shared, extras] });
    await awsLambdaFunction.apply(ctx, t);
    await lambda().send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'my-app-api', Layers: [extras, shared] }),
    );
    await expect(awsLambdaFunction.verify(ctx, t, null)).resolves.toEqual({
      drift: [{ property: 'layers', desired: [shared, extras], actual: [extras, shared] }],
    });
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'my-app-api', Layers: [] }));
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'layers', desired: [shared, extras], actual: [] }],
      warnings: [],
    });
    await awsLambdaFunction.apply(ctx, t);
    expect(await layersOf()).toEqual([shared, extras]);
    await expect(awsLambdaFunction.verify(ctx, t, null)).resolves.toEqual({ drift: [] });
  });

  it('a new version of a referenced layer is an update; compensation restores the previous layers', async () => {
    const ctx = bed.ctx();
    const v1 = await layerVersion('shared', 's1');
    await awsLambdaFunction.apply(ctx, target({}, { refs: { role: roleArn, layer: v1 } }));
    const v2 = await layerVersion('shared', 's2');
    expect(v2).toBe('arn:aws:lambda:us-east-1:123456789012:layer:shared:2');
    const changed = target({}, { refs: { role: roleArn, layer: v2 } });
    await expect(awsLambdaFunction.plan(ctx, changed)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'layers', desired: [v2], actual: [v1] }],
      warnings: [],
    });
    const applied = await awsLambdaFunction.apply(ctx, changed);
    expect(applied.undo).toMatchObject({ created: false, config_previous: { layers: [v1] } });
    expect(await layersOf()).toEqual([v2]);
    await expect(awsLambdaFunction.compensate(ctx, changed, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    expect(await layersOf()).toEqual([v1]);
    await expect(awsLambdaFunction.plan(ctx, target({}, { refs: { role: roleArn, layer: v1 } }))).resolves.toEqual({
      action: 'no-op',
      diff: [],
      warnings: [],
    });
  });
});
