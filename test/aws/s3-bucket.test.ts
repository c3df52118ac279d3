import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { awsS3Bucket } from '../../src/resources/aws/s3-bucket';
import { tagList, tagMap } from '../../src/resources/aws/tags';
import { useAwsBed, type AwsBed } from './helpers/aws-bed';

const MISSING = { property: 'exists', desired: true, actual: false };

const bed = useAwsBed();

const s3 = (region = 'us-east-1') => bed.clients.forRegion(region, null).s3;
const target = (
  props: Record<string, unknown> = { name: 'my-app-assets' },
  options: Parameters<AwsBed['target']>[2] = {},
) => bed.target(awsS3Bucket, props, { resource_id: 'assets', ...options });
const tagsOf = async (Bucket: string, region = 'us-east-1') =>
  tagMap((await s3(region).send(new GetBucketTaggingCommand({ Bucket }))).TagSet);
const bucketNames = async () => ((await s3().send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);

describe('aws:s3:bucket', () => {
  it('names the bucket <name>-<node id> (seed 001 §7.4), creates it with the four tags, then plans no-op and verifies without drift', async () => {
    const ctx = bed.ctx();
    const t = target({ name: 'my-app-assets' }, { tags: { team: 'payments' } });
    const name = `my-app-assets-${t.node.node_id}`;
    expect(name).toMatch(/^my-app-assets-[0-9a-f]{12}$/);
    await expect(awsS3Bucket.plan(ctx, t)).resolves.toEqual({ action: 'create', diff: [MISSING], warnings: [] });
    const applied = await awsS3Bucket.apply(ctx, t);
    expect(applied).toEqual({
      outputs: { arn: `arn:aws:s3:::${name}`, bucket: name, name, region: 'us-east-1' },
      undo: { created: true },
    });
    await expect(tagsOf(name)).resolves.toEqual({
      'mgraph:node-id': t.node.node_id,
      'mgraph:graph-id': 'graph-1',
      'mgraph:deploy-id': 'test-deploy',
      'mgraph:resource-id': 'assets',
      team: 'payments',
    });
    await expect(awsS3Bucket.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsS3Bucket.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('keeps an explicit bucket_name as given, and only it is a physical name', async () => {
    const applied = await awsS3Bucket.apply(bed.ctx(), target({ bucket_name: 'exact.assets-name' }));
    expect(applied.outputs).toMatchObject({ bucket: 'exact.assets-name', arn: 'arn:aws:s3:::exact.assets-name' });
    await expect(bucketNames()).resolves.toEqual(['exact.assets-name']);
    expect(
      awsS3Bucket.physicalName?.(awsS3Bucket.properties.parse({ bucket_name: 'exact.assets-name' }), 'us-east-1'),
    ).toBe('s3-bucket:exact.assets-name');
    expect(awsS3Bucket.physicalName?.(awsS3Bucket.properties.parse({ name: 'my-app-assets' }), 'us-east-1')).toBeNull();
  });

  it('validates names so that <name>-<node id> and bucket_name are S3 bucket names of at most 63 characters', () => {
    const parse = (p: Record<string, unknown>) => awsS3Bucket.properties.safeParse(p);
    expect(parse({ name: 'a'.repeat(50) }).success).toBe(true);
    expect(parse({ name: 'a'.repeat(51) }).error?.issues[0]?.message).toContain('at most 50 characters');
    expect(parse({ name: 'xn--assets' }).error?.issues[0]?.message).toContain('must not start with xn--');
    expect(parse({ name: 'My_Assets' }).success).toBe(false);
    expect(parse({ name: 'assets-s3alias' }).success).toBe(true);
    expect(parse({ bucket_name: 'a'.repeat(64) }).error?.issues[0]?.message).toContain('3-63 lowercase letters');
    expect(parse({ bucket_name: '192.168.1.1' }).error?.issues[0]?.message).toContain('IP address');
    expect(parse({ bucket_name: 'a..b' }).error?.issues[0]?.message).toContain('adjacent periods');
    expect(parse({ bucket_name: 'assets-s3alias' }).error?.issues[0]?.message).toContain('must not end with');
    expect(parse({ name: 'a', bucket_name: 'abc' }).error?.issues[0]?.message).toContain('exactly one');
    expect(parse({}).success).toBe(false);
  });

  it('creates the bucket in a region other than us-east-1 with its LocationConstraint, and refuses the same bucket_name for another region', async () => {
    const ctx = bed.ctx();
    const t = target({ name: 'my-app-assets' }, { region: 'eu-west-1' });
    const applied = await awsS3Bucket.apply(ctx, t);
    const name = `my-app-assets-${t.node.node_id}`;
    expect(applied.outputs).toMatchObject({ bucket: name, region: 'eu-west-1' });
    await expect(s3('eu-west-1').send(new GetBucketLocationCommand({ Bucket: name }))).resolves.toMatchObject({
      LocationConstraint: 'eu-west-1',
    });
    await expect(awsS3Bucket.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });

    await awsS3Bucket.apply(ctx, target({ bucket_name: 'global-name' }, { region: 'eu-west-1' }));
    await expect(
      awsS3Bucket.apply(ctx, target({ bucket_name: 'global-name' }, { region: 'us-east-2' })),
    ).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: expect.stringContaining('S3 bucket global-name already exists in eu-west-1, not in us-east-2'),
    });
  });

  it('plans exactly the changed property as an update with its diff, applies it, and compensation restores it', async () => {
    const ctx = bed.ctx();
    await awsS3Bucket.apply(ctx, target());
    const changed = target({ name: 'my-app-assets', versioning: true }, { graph_id: 'graph-2' });
    await expect(awsS3Bucket.plan(ctx, changed)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'versioning', desired: true, actual: false }],
      warnings: [],
    });
    const applied = await awsS3Bucket.apply(ctx, changed);
    expect(applied.undo).toEqual({
      created: false,
      versioning_previous: false,
      tags_previous: { 'mgraph:graph-id': 'graph-1' },
    });
    const Bucket = applied.outputs['bucket'] as string;
    await expect(s3().send(new GetBucketVersioningCommand({ Bucket }))).resolves.toMatchObject({ Status: 'Enabled' });
    await expect(awsS3Bucket.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });

    await expect(awsS3Bucket.compensate(ctx, changed, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(s3().send(new GetBucketVersioningCommand({ Bucket }))).resolves.toMatchObject({ Status: 'Suspended' });
    await expect(tagsOf(Bucket)).resolves.toMatchObject({ 'mgraph:graph-id': 'graph-1' });
    await expect(awsS3Bucket.plan(ctx, target())).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
  });

  it('returns on the retry of an update whose first attempt died after its changes the undo an uninterrupted apply returns, and compensation with it restores the bucket', async () => {
    const ctx = bed.ctx();
    await awsS3Bucket.apply(ctx, target());
    const changed = target({ name: 'my-app-assets', versioning: true }, { graph_id: 'graph-2' });
    const beats: unknown[] = [];
    await awsS3Bucket.apply(
      {
        ...ctx,
        heartbeat: (details) => {
          beats.push(details);
        },
      },
      changed,
    ); // its changes are made, its result dies with the worker
    await expect(awsS3Bucket.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });

    const retried = await awsS3Bucket.apply({ ...ctx, attempt: 2, lastHeartbeat: beats.at(-1) }, changed);
    expect(retried.undo).toEqual({
      created: false,
      versioning_previous: false,
      tags_previous: { 'mgraph:graph-id': 'graph-1' },
    });
    await expect(awsS3Bucket.compensate(ctx, changed, retried.undo)).resolves.toEqual({ outcome: 'compensated' });
    const Bucket = retried.outputs['bucket'] as string;
    await expect(s3().send(new GetBucketVersioningCommand({ Bucket }))).resolves.toMatchObject({ Status: 'Suspended' });
    await expect(tagsOf(Bucket)).resolves.toMatchObject({ 'mgraph:graph-id': 'graph-1' });
    await expect(awsS3Bucket.plan(ctx, target())).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
  });

  it('adopts its own tagged bucket on a retried apply of the same run: exactly one bucket, still counted as created', async () => {
    const t = target({ name: 'my-app-assets' }, { refs: { $run_key: 'run-1' } });
    await awsS3Bucket.apply(bed.ctx(), t);
    await expect(awsS3Bucket.apply(bed.ctx({ attempt: 2 }), t)).resolves.toMatchObject({ undo: { created: true } });
    await expect(bucketNames()).resolves.toEqual([`my-app-assets-${t.node.node_id}`]);
    await expect(
      awsS3Bucket.apply(bed.ctx(), target({ name: 'my-app-assets' }, { refs: { $run_key: 'run-2' } })),
    ).resolves.toMatchObject({ undo: { created: false } });
  });

  it('refuses a same-named bucket that is not ours, naming it, in plan, apply and destroy', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'taken-name' }));
    await s3().send(
      new PutBucketTaggingCommand({
        Bucket: 'taken-name',
        Tagging: { TagSet: [{ Key: 'mgraph:node-id', Value: 'someone-else' }] },
      }),
    );
    const ctx = bed.ctx();
    const t = target({ bucket_name: 'taken-name' });
    await expect(awsS3Bucket.plan(ctx, t)).resolves.toMatchObject({
      action: 'create',
      warnings: [
        expect.stringContaining(
          'S3 bucket taken-name already exists and is not managed by this node (it belongs to node someone-else)',
        ),
      ],
    });
    await expect(awsS3Bucket.apply(ctx, t)).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: expect.stringContaining('S3 bucket taken-name already exists'),
    });
    await expect(awsS3Bucket.destroy(ctx, t, null)).rejects.toMatchObject({ type: 'conflict' });
    await expect(tagsOf('taken-name')).resolves.toEqual({ 'mgraph:node-id': 'someone-else' });
  });

  it('reports drift after out-of-band changes, and apply repairs it', async () => {
    const ctx = bed.ctx();
    const t = target();
    const applied = await awsS3Bucket.apply(ctx, t);
    const Bucket = applied.outputs['bucket'] as string;
    await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const tags = await tagsOf(Bucket);
    await s3().send(
      new PutBucketTaggingCommand({
        Bucket,
        Tagging: { TagSet: tagList({ ...tags, 'mgraph:resource-id': 'renamed' }) },
      }),
    );
    await expect(awsS3Bucket.verify(ctx, t, applied.outputs)).resolves.toEqual({
      drift: [
        { property: 'versioning', desired: false, actual: true },
        { property: 'tags.mgraph:resource-id', desired: 'assets', actual: 'renamed' },
      ],
    });
    await awsS3Bucket.apply(ctx, t);
    await expect(awsS3Bucket.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('compensates a create by deleting the bucket; destroy deletes it, is a no-op when absent, and refuses a bucket still holding objects', async () => {
    const ctx = bed.ctx();
    const t = target();
    const applied = await awsS3Bucket.apply(ctx, t);
    const Bucket = applied.outputs['bucket'] as string;
    await expect(awsS3Bucket.compensate(ctx, t, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(s3().send(new HeadBucketCommand({ Bucket }))).rejects.toMatchObject({ name: 'NotFound' });
    await expect(awsS3Bucket.compensate(ctx, t, applied.undo)).resolves.toEqual({
      outcome: 'compensated (already gone)',
    });
    await expect(awsS3Bucket.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [MISSING] });

    await awsS3Bucket.apply(ctx, t);
    await s3().send(new PutObjectCommand({ Bucket, Key: 'left/behind.txt', Body: 'x' }));
    await expect(awsS3Bucket.destroy(ctx, t, null)).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: expect.stringContaining(`S3 bucket ${Bucket} still holds objects`),
    });
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'left/behind.txt' }));
    await awsS3Bucket.destroy(ctx, t, null);
    await awsS3Bucket.destroy(ctx, t, null);
    await expect(bucketNames()).resolves.toEqual([]);
  });

  it("is found by a tag scan once, in the region it lives in, and not another deployment's", async () => {
    const ctx = bed.ctx();
    const east = target({ name: 'my-app-assets' }, { tags: { team: 'payments' } });
    const west = target({ name: 'my-app-assets' }, { region: 'eu-west-1' });
    await awsS3Bucket.apply(ctx, east);
    await awsS3Bucket.apply(ctx, west);
    await awsS3Bucket.apply(ctx, target({ name: 'other-assets' }, { deployment_id: 'other-deploy' }));
    const eastName = `my-app-assets-${east.node.node_id}`;
    await expect(awsS3Bucket.findTagged?.(ctx, 'test-deploy', 'us-east-1')).resolves.toEqual([
      {
        type: 'aws:s3:bucket',
        arn: `arn:aws:s3:::${eastName}`,
        region: 'us-east-1',
        properties: { bucket_name: eastName },
        tags: {
          'mgraph:node-id': east.node.node_id,
          'mgraph:graph-id': 'graph-1',
          'mgraph:deploy-id': 'test-deploy',
          'mgraph:resource-id': 'assets',
          team: 'payments',
        },
      },
    ]);
    const found = await awsS3Bucket.findTagged?.(ctx, 'test-deploy', 'eu-west-1');
    expect(found?.map((f) => [f.arn, f.region])).toEqual([
      [`arn:aws:s3:::my-app-assets-${west.node.node_id}`, 'eu-west-1'],
    ]);

    const scanned = bed.target(awsS3Bucket, found?.[0]?.properties, { resource_id: 'assets', region: 'eu-west-1' });
    await awsS3Bucket.destroy(ctx, scanned, null);
    await expect(awsS3Bucket.findTagged?.(ctx, 'test-deploy', 'eu-west-1')).resolves.toEqual([]);
  });
});
