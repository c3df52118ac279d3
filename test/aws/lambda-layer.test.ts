import { createHash } from 'node:crypto';
import {
  DeleteLayerVersionCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { awsLambdaLayer } from '../../src/resources/aws/lambda-layer';
import { useAwsBed, type AwsBed } from './helpers/aws-bed';

const zip = (text: string): string => Buffer.from(`PK-test-layer:${text}`).toString('base64');
const sha = (text: string): string =>
  `sha256:${createHash('sha256')
    .update(Buffer.from(zip(text), 'base64'))
    .digest('base64')}`;
const MISSING = { property: 'exists', desired: true, actual: false };
const ARN = 'arn:aws:lambda:us-east-1:123456789012:layer:shared-deps';

const bed = useAwsBed();

const lambda = (region = 'us-east-1') => bed.clients.forRegion(region, null).lambda;
const props = (extra: Record<string, unknown> = {}) => ({
  layer_name: 'shared-deps',
  description: 'pinned deps',
  compatible_runtimes: ['python3.12'],
  zip_file: zip('v1'),
  ...extra,
});
const target = (extra: Record<string, unknown> = {}, options: Parameters<AwsBed['target']>[2] = {}) =>
  bed.target(awsLambdaLayer, props(extra), { resource_id: 'deps-layer', ...options });
const versions = async (region = 'us-east-1') =>
  (await lambda(region).send(new ListLayerVersionsCommand({ LayerName: 'shared-deps' }))).LayerVersions ?? [];
const publishForeign = (description: string) =>
  lambda().send(
    new PublishLayerVersionCommand({
      LayerName: 'shared-deps',
      Description: description,
      Content: { ZipFile: Buffer.from('other') },
      CompatibleRuntimes: ['python3.12'],
    }),
  );

describe('aws:lambda:layer', () => {
  it('publishes a version whose description carries the marker, outputs arn/version_arn/version/layer_name, then plans no-op and verifies no drift', async () => {
    const ctx = bed.ctx();
    const t = target({ compatible_architectures: ['arm64'], license_info: 'MIT' }, { region: 'eu-west-1' });
    await expect(awsLambdaLayer.plan(ctx, t)).resolves.toEqual({ action: 'create', diff: [MISSING], warnings: [] });
    const applied = await awsLambdaLayer.apply(ctx, t);
    const eu = 'arn:aws:lambda:eu-west-1:123456789012:layer:shared-deps';
    expect(applied).toEqual({
      outputs: { arn: eu, version_arn: `${eu}:1`, version: 1, layer_name: 'shared-deps' },
      undo: { published_version: 1 },
    });
    const [v1] = await versions('eu-west-1');
    expect(v1).toMatchObject({
      Description: `pinned deps [mgraph node=${t.node.node_id} deploy=test-deploy run=- code=${sha('v1')}]`,
      CompatibleRuntimes: ['python3.12'],
      CompatibleArchitectures: ['arm64'],
      LicenseInfo: 'MIT',
    });
    expect(v1?.Description?.length).toBeLessThanOrEqual(256);
    await expect(versions('us-east-1')).resolves.toEqual([]);
    await expect(awsLambdaLayer.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsLambdaLayer.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('takes its code from S3, and a new key is an update that publishes a new version', async () => {
    await bed.bucket('deploy-bucket', { keys: ['deps/v1.zip', 'deps/v2.zip'] });
    const ctx = bed.ctx();
    const s3Props = (key: string) => ({ zip_file: undefined, code_s3_bucket: 'deploy-bucket', code_s3_key: key });
    await awsLambdaLayer.apply(ctx, target(s3Props('deps/v1.zip')));
    const v2 = target(s3Props('deps/v2.zip'));
    await expect(awsLambdaLayer.plan(ctx, v2)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'code', desired: 's3://deploy-bucket/deps/v2.zip', actual: 's3://deploy-bucket/deps/v1.zip' }],
      warnings: [],
    });
    await expect(awsLambdaLayer.apply(ctx, v2)).resolves.toMatchObject({
      outputs: { version: 2 },
      undo: { published_version: 2 },
    });
    await expect(awsLambdaLayer.plan(ctx, v2)).resolves.toMatchObject({ action: 'no-op' });
  });

  it('plans exactly the changed property as an update, publishes a new version for it, and compensation deletes that version only', async () => {
    const ctx = bed.ctx();
    await awsLambdaLayer.apply(ctx, target());
    const changed = target({ compatible_runtimes: ['python3.13', 'python3.12'] }, { graph_id: 'graph-2' });
    await expect(awsLambdaLayer.plan(ctx, changed)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'compatible_runtimes', desired: ['python3.12', 'python3.13'], actual: ['python3.12'] }],
      warnings: [],
    });
    const applied = await awsLambdaLayer.apply(ctx, changed);
    expect(applied).toEqual({
      outputs: { arn: ARN, version_arn: `${ARN}:2`, version: 2, layer_name: 'shared-deps' },
      undo: { published_version: 2 },
    });
    await expect(awsLambdaLayer.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });
    await expect(awsLambdaLayer.compensate(ctx, changed, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    expect((await versions()).map((v) => v.Version)).toEqual([1]);
    await expect(awsLambdaLayer.plan(ctx, target())).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsLambdaLayer.compensate(ctx, changed, applied.undo)).resolves.toEqual({
      outcome: 'compensated (already gone)',
    });
  });

  it('adopts its own version on a retried apply of the same run: one version, still counted as published by this run; another run adopts it without owning it', async () => {
    const t = target({}, { refs: { $run_key: 'run-1' } });
    await awsLambdaLayer.apply(bed.ctx(), t);
    await expect(awsLambdaLayer.apply(bed.ctx({ attempt: 2 }), t)).resolves.toMatchObject({
      outputs: { version: 1 },
      undo: { published_version: 1 },
    });
    const later = target({}, { refs: { $run_key: 'run-2' } });
    await expect(awsLambdaLayer.apply(bed.ctx(), later)).resolves.toMatchObject({
      outputs: { version: 1 },
      undo: { published_version: null },
    });
    await expect(awsLambdaLayer.compensate(bed.ctx(), later, { published_version: null })).resolves.toEqual({
      outcome: 'nothing to undo (this run published no version)',
    });
    expect(await versions()).toHaveLength(1);
  });

  it('refuses a same-named layer whose latest version is not ours, naming it, and its destroy leaves foreign versions alone', async () => {
    await publishForeign('hand-made');
    const ctx = bed.ctx();
    await expect(awsLambdaLayer.plan(ctx, target())).resolves.toMatchObject({
      action: 'create',
      warnings: [
        expect.stringContaining(
          'Lambda layer shared-deps (us-east-1) already exists and is not managed by this node (its latest version 1 has no [mgraph node=…] marker',
        ),
      ],
    });
    await expect(awsLambdaLayer.apply(ctx, target())).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: expect.stringContaining('Lambda layer shared-deps (us-east-1) already exists'),
    });
    await awsLambdaLayer.destroy(ctx, target(), null);
    expect(await versions()).toHaveLength(1);

    await lambda().send(new DeleteLayerVersionCommand({ LayerName: 'shared-deps', VersionNumber: 1 }));
    const other = target({}, { resource_id: 'other-layer' });
    await awsLambdaLayer.apply(ctx, other);
    await expect(awsLambdaLayer.apply(ctx, target())).rejects.toMatchObject({
      type: 'conflict',
      message: expect.stringContaining(
        `its latest version 2 belongs to node ${other.node.node_id} of deployment test-deploy`,
      ),
    });
  });

  it('compensating the first publish deletes it; destroy deletes every version of this node and is a no-op when absent', async () => {
    const ctx = bed.ctx();
    const first = await awsLambdaLayer.apply(ctx, target());
    await expect(awsLambdaLayer.compensate(ctx, target(), first.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(versions()).resolves.toEqual([]);
    await expect(awsLambdaLayer.verify(ctx, target(), null)).resolves.toEqual({ drift: [MISSING] });

    await awsLambdaLayer.apply(ctx, target());
    await awsLambdaLayer.apply(ctx, target({ zip_file: zip('v2') }));
    expect(await versions()).toHaveLength(2);
    await awsLambdaLayer.destroy(ctx, target(), null);
    await expect(versions()).resolves.toEqual([]);
    await awsLambdaLayer.destroy(ctx, target(), null);
    await expect(awsLambdaLayer.plan(ctx, target())).resolves.toEqual({
      action: 'create',
      diff: [MISSING],
      warnings: [],
    });
  });

  it('verify reports drift per property after an out-of-band publish, and a missing layer after its versions are deleted', async () => {
    const ctx = bed.ctx();
    const t = target();
    const applied = await awsLambdaLayer.apply(ctx, t);
    await publishForeign('hand-made');
    await expect(awsLambdaLayer.verify(ctx, t, applied.outputs)).resolves.toEqual({
      drift: [
        { property: 'description', desired: 'pinned deps', actual: 'hand-made' },
        { property: 'code', desired: sha('v1'), actual: null },
        { property: 'owner', desired: t.node.node_id, actual: null },
      ],
    });
    for (const version of [1, 2])
      await lambda().send(new DeleteLayerVersionCommand({ LayerName: 'shared-deps', VersionNumber: version }));
    await expect(awsLambdaLayer.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [MISSING] });
  });

  it("findTagged finds the newest version of each node of the deployment by its marker, with tags from the marker, and not another deployment's", async () => {
    const ctx = bed.ctx();
    const t = target();
    await awsLambdaLayer.apply(ctx, t);
    await awsLambdaLayer.apply(ctx, target({ zip_file: zip('v2') }));
    await awsLambdaLayer.apply(
      ctx,
      bed.target(awsLambdaLayer, props({ layer_name: 'other-deps' }), { deployment_id: 'other-deploy' }),
    );
    const found = await awsLambdaLayer.findTagged?.(ctx, 'test-deploy', 'us-east-1');
    expect(found).toEqual([
      {
        type: 'aws:lambda:layer',
        arn: `${ARN}:2`,
        region: 'us-east-1',
        tags: { 'mgraph:node-id': t.node.node_id, 'mgraph:deploy-id': 'test-deploy' },
        properties: { layer_name: 'shared-deps', compatible_runtimes: ['python3.12'], zip_file: expect.any(String) },
      },
    ]);
    const fromScan = bed.target(awsLambdaLayer, found?.[0]?.properties, { resource_id: 'deps-layer' });
    await awsLambdaLayer.destroy(ctx, fromScan, null);
    await expect(versions()).resolves.toEqual([]);
    await expect(awsLambdaLayer.findTagged?.(ctx, 'test-deploy', 'us-east-1')).resolves.toEqual([]);
  });

  it('validates the code source and the room the marker leaves for the description', () => {
    const parse = (extra: Record<string, unknown>) => awsLambdaLayer.properties.safeParse(props(extra));
    expect(parse({}).success).toBe(true);
    expect(parse({ description: 'x'.repeat(24) }).success).toBe(true);
    expect(parse({ description: 'x'.repeat(25) }).error?.issues).toEqual([
      expect.objectContaining({
        path: ['description'],
        message: expect.stringContaining('must be at most 24 characters'),
      }),
    ]);
    expect(parse({ description: 'see [mgraph node=x]' }).success).toBe(false);
    expect(
      parse({ zip_file: undefined, code_s3_bucket: 'deploy-bucket', code_s3_key: 'k'.repeat(150) }).error?.issues,
    ).toEqual([
      expect.objectContaining({ path: ['code_s3_key'], message: expect.stringContaining('s3://deploy-bucket/kkk') }),
    ]);
    expect(parse({ code_s3_bucket: 'deploy-bucket', code_s3_key: 'deps.zip' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['zip_file'] }),
    ]);
    expect(parse({ compatible_runtimes: ['python3.12', 'python3.12'] }).success).toBe(false);
    expect(parse({ compatible_architectures: ['sparc'] }).success).toBe(false);
  });
});
