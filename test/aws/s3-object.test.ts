import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { awsS3Bucket } from '../../src/resources/aws/s3-bucket';
import { awsS3Object } from '../../src/resources/aws/s3-object';
import { tagMap } from '../../src/resources/aws/tags';
import { useAwsBed, type AwsBed } from './helpers/aws-bed';

const MISSING = { property: 'exists', desired: true, actual: false };
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

const bed = useAwsBed();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3-object-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const s3 = (region = 'us-east-1') => bed.clients.forRegion(region, null).s3;
type Options = Parameters<AwsBed['target']>[2];

/** An aws:s3:bucket of the deployment; returns its ARN, what a `bucket` reference resolves to. */
async function bucket(options: Options & { versioning?: boolean } = {}): Promise<string> {
  const { versioning = false, ...rest } = options;
  const applied = await awsS3Bucket.apply(
    bed.ctx(),
    bed.target(awsS3Bucket, { bucket_name: 'assets-bucket', versioning }, { resource_id: 'assets', ...rest }),
  );
  return applied.outputs['arn'] as string;
}
const target = (props: Record<string, unknown> = {}, options: Options = {}) =>
  bed.target(
    awsS3Object,
    { key: 'site/index.html', content: 'v1', ...props },
    { resource_id: 'index', refs: { bucket: 'arn:aws:s3:::assets-bucket' }, ...options },
  );
const body = async (Key = 'site/index.html', VersionId?: string) =>
  (
    await s3().send(new GetObjectCommand({ Bucket: 'assets-bucket', Key, ...(VersionId ? { VersionId } : {}) }))
  ).Body?.transformToString();
const tagsOf = async (Key = 'site/index.html') =>
  tagMap((await s3().send(new GetObjectTaggingCommand({ Bucket: 'assets-bucket', Key }))).TagSet);
const versions = async () =>
  ((await s3().send(new ListObjectVersionsCommand({ Bucket: 'assets-bucket' }))).Versions ?? []).length;

describe('aws:s3:object', () => {
  it('puts the object into the referenced bucket with the four tags and its SHA-256, then plans no-op and verifies without drift', async () => {
    await bucket();
    const ctx = bed.ctx();
    const t = target({}, { tags: { team: 'web' } });
    await expect(awsS3Object.plan(ctx, t)).resolves.toEqual({ action: 'create', diff: [MISSING], warnings: [] });
    const applied = await awsS3Object.apply(ctx, t);
    expect(applied).toEqual({
      outputs: {
        arn: 'arn:aws:s3:::assets-bucket/site/index.html',
        bucket: 'assets-bucket',
        key: 'site/index.html',
        etag: expect.stringMatching(/^[0-9a-f]{32}$/),
        sha256: sha('v1'),
        s3_uri: 's3://assets-bucket/site/index.html',
      },
      undo: { created: true, version_id: null },
    });
    await expect(body()).resolves.toBe('v1');
    const head = await s3().send(new HeadObjectCommand({ Bucket: 'assets-bucket', Key: 'site/index.html' }));
    expect(head).toMatchObject({ ContentType: 'text/plain; charset=utf-8', Metadata: { 'mgraph-sha256': sha('v1') } });
    await expect(tagsOf()).resolves.toEqual({
      'mgraph:node-id': t.node.node_id,
      'mgraph:graph-id': 'graph-1',
      'mgraph:deploy-id': 'test-deploy',
      'mgraph:resource-id': 'index',
      team: 'web',
    });
    await expect(awsS3Object.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsS3Object.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('reads source_path only inside ARTIFACTS_DIR: no absolute path, no "..", no symlink out, none at all without the folder', async () => {
    await bucket();
    const plain = bed.ctx();
    const ctx = { ...plain, clients: { ...plain.clients, artifactsDir: join(dir, 'artifacts') } };
    await mkdir(join(dir, 'artifacts'), { recursive: true });
    await writeFile(join(dir, 'service-key.json'), 'the worker’s own secret');
    await symlink(join(dir, 'service-key.json'), join(dir, 'artifacts', 'escape.json')).catch(() => undefined);
    const schema = (source_path: string) =>
      awsS3Object.properties.safeParse({ key: 'k', source_path }).error?.issues[0]?.message;
    expect(schema('/etc/passwd')).toBe('must be a relative path inside ARTIFACTS_DIR, without ".."');
    expect(schema('../service-key.json')).toBe('must be a relative path inside ARTIFACTS_DIR, without ".."');
    const escape = target(
      { key: 'leak', content: undefined, source_path: 'escape.json', bucket: 'assets-bucket' },
      { refs: {} },
    );
    await expect(awsS3Object.apply(ctx, escape)).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('source_path escape.json: resolves outside ARTIFACTS_DIR'),
    });
    await expect(awsS3Object.apply(plain, escape)).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('this service has no ARTIFACTS_DIR'),
    });
    await expect(s3().send(new HeadObjectCommand({ Bucket: 'assets-bucket', Key: 'leak' }))).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('takes its content as base64 or from a file on the worker, with a content type, the bucket as a name or an ARN, and plans a create before its referenced bucket exists', async () => {
    await bucket();
    const plain = bed.ctx();
    const ctx = { ...plain, clients: { ...plain.clients, artifactsDir: dir } };
    const zip = Buffer.from('PK\u0003\u0004 a code package');
    await writeFile(join(dir, 'package.zip'), zip);
    const fromFile = target(
      {
        key: 'code/app.zip',
        content: undefined,
        source_path: 'package.zip',
        content_type: 'application/zip',
        bucket: 'assets-bucket',
      },
      { refs: {} },
    );
    const applied = await awsS3Object.apply(ctx, fromFile);
    expect(applied.outputs).toMatchObject({
      bucket: 'assets-bucket',
      key: 'code/app.zip',
      sha256: createHash('sha256').update(zip).digest('hex'),
    });
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: 'assets-bucket', Key: 'code/app.zip' })),
    ).resolves.toMatchObject({ ContentType: 'application/zip' });
    const b64 = target(
      {
        key: 'code/same.zip',
        content: undefined,
        content_base64: zip.toString('base64'),
        bucket: 'arn:aws:s3:::assets-bucket',
      },
      { refs: {} },
    );
    await expect(awsS3Object.apply(ctx, b64)).resolves.toMatchObject({
      outputs: { sha256: applied.outputs['sha256'] },
    });
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: 'assets-bucket', Key: 'code/same.zip' })),
    ).resolves.toMatchObject({ ContentType: 'application/octet-stream' });

    await expect(
      awsS3Object.apply(ctx, target({ key: 'x', content: undefined, source_path: 'absent.zip' })),
    ).rejects.toMatchObject({
      type: 'invalid_input',
      retryable: false,
      message: expect.stringContaining(
        'S3 object s3://assets-bucket/x: source_path absent.zip: cannot be read in ARTIFACTS_DIR where this operation runs',
      ),
    });
    await expect(awsS3Object.apply(ctx, target({}, { refs: {} }))).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('neither bucket nor a "bucket" reference is given'),
    });
    const firstDeploy = target({}, { refs: {} });
    const reference = { raw: 'assets', node_id: 'n', resource_id: 'assets', region: 'us-east-1', output: null };
    await expect(
      awsS3Object.plan(ctx, { ...firstDeploy, node: { ...firstDeploy.node, references: { bucket: reference } } }),
    ).resolves.toEqual({
      action: 'create',
      diff: [MISSING],
      warnings: [],
    });
    expect(
      awsS3Object.properties.safeParse({ key: 'k', content: 'a', content_base64: 'YQ==' }).error?.issues[0]?.message,
    ).toContain('exactly one of content, content_base64 or source_path');
    expect(awsS3Object.properties.safeParse({ key: 'k', content: 'a', bucket: 'Not_A_Bucket' }).success).toBe(false);
  });

  it('plans new content as an update of its hash, overwrites it in a versioned bucket, and compensation brings the previous version back', async () => {
    await bucket({ versioning: true });
    const ctx = bed.ctx();
    const first = await awsS3Object.apply(ctx, target());
    expect(first.undo).toEqual({ created: true, version_id: expect.any(String) });
    const v2 = target({ content: 'v2' }, { graph_id: 'graph-2' });
    await expect(awsS3Object.plan(ctx, v2)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'sha256', desired: sha('v2'), actual: sha('v1') }],
      warnings: [],
    });
    const applied = await awsS3Object.apply(ctx, v2);
    expect(applied.undo).toEqual({
      created: false,
      version_id: applied.outputs['version_id'],
      previous_version_id: first.outputs['version_id'],
    });
    expect(applied.outputs['version_id']).not.toBe(first.outputs['version_id']);
    await expect(body()).resolves.toBe('v2');
    await expect(tagsOf()).resolves.toMatchObject({ 'mgraph:graph-id': 'graph-2' });
    await expect(awsS3Object.plan(ctx, v2)).resolves.toMatchObject({ action: 'no-op' });

    await expect(awsS3Object.compensate(ctx, v2, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(body()).resolves.toBe('v1');
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: 'assets-bucket', Key: 'site/index.html' })),
    ).resolves.toMatchObject({ VersionId: first.outputs['version_id'] });
    await expect(awsS3Object.plan(ctx, target())).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
  });

  it("reports an overwrite as irreversible when the previous version is gone meanwhile, and keeps this run's version", async () => {
    await bucket({ versioning: true });
    const ctx = bed.ctx();
    const first = await awsS3Object.apply(ctx, target());
    const v2 = target({ content: 'v2' });
    const applied = await awsS3Object.apply(ctx, v2);
    await s3().send(
      new DeleteObjectCommand({
        Bucket: 'assets-bucket',
        Key: 'site/index.html',
        VersionId: first.outputs['version_id'] as string,
      }),
    );
    await expect(awsS3Object.compensate(ctx, v2, applied.undo)).resolves.toEqual({
      outcome: `irreversible: the previous version ${String(first.outputs['version_id'])} of S3 object s3://assets-bucket/site/index.html no longer exists, so removing this run's version would not bring it back`,
    });
    await expect(body()).resolves.toBe('v2');
  });

  it('warns in the plan that an overwrite in an unversioned bucket is irreversible, and compensation says so', async () => {
    await bucket();
    const ctx = bed.ctx();
    await awsS3Object.apply(ctx, target());
    const v2 = target({ content: 'v2', content_type: 'text/html' });
    await expect(awsS3Object.plan(ctx, v2)).resolves.toEqual({
      action: 'update',
      diff: [
        { property: 'sha256', desired: sha('v2'), actual: sha('v1') },
        { property: 'content_type', desired: 'text/html', actual: 'text/plain; charset=utf-8' },
      ],
      warnings: [
        expect.stringContaining(
          'irreversible: overwriting S3 object s3://assets-bucket/site/index.html in a bucket without versioning',
        ),
      ],
    });
    const applied = await awsS3Object.apply(ctx, v2);
    expect(applied.undo).toEqual({ created: false, overwritten: true });
    await expect(awsS3Object.compensate(ctx, v2, applied.undo)).resolves.toEqual({
      outcome: expect.stringMatching(
        /^irreversible: S3 object s3:\/\/assets-bucket\/site\/index.html was overwritten in a bucket without versioning/,
      ),
    });
    await expect(body()).resolves.toBe('v2');
  });

  it('updates a tag alone without rewriting the object, and compensation restores the tags', async () => {
    await bucket({ versioning: true });
    const ctx = bed.ctx();
    await awsS3Object.apply(ctx, target({}, { tags: { team: 'web' } }));
    const retagged = target({}, { tags: { team: 'platform' } });
    await expect(awsS3Object.plan(ctx, retagged)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'tags.team', desired: 'platform', actual: 'web' }],
      warnings: [],
    });
    const applied = await awsS3Object.apply(ctx, retagged);
    expect(applied.undo).toEqual({ created: false, tags_previous: { team: 'web' } });
    await expect(versions()).resolves.toBe(1);
    await expect(awsS3Object.compensate(ctx, retagged, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(tagsOf()).resolves.toMatchObject({ team: 'web' });
  });

  it('refuses more than five user tags, since S3 allows ten per object and five are ours', async () => {
    await bucket();
    const tags = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, k]));
    await expect(awsS3Object.apply(bed.ctx(), target({}, { tags }))).rejects.toMatchObject({
      type: 'invalid_input',
      retryable: false,
      message: expect.stringContaining('at most 5 user tags; this one has 6 (a, b, c, d, e, f)'),
    });
    await expect(awsS3Object.plan(bed.ctx(), target({}, { tags }))).rejects.toMatchObject({ type: 'invalid_input' });
    const five = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((k) => [k, k]));
    await awsS3Object.apply(
      bed.ctx(),
      target({}, { tags: five, refs: { bucket: 'arn:aws:s3:::assets-bucket', $run_key: 'run-1' } }),
    );
    await expect(tagsOf()).resolves.toMatchObject({ ...five, 'mgraph:created-by': 'run-1' });
  });

  it('adopts its own tagged object on a retried apply of the same run: one write, still counted as created', async () => {
    await bucket({ versioning: true });
    const t = target({}, { refs: { bucket: 'arn:aws:s3:::assets-bucket', $run_key: 'run-1' } });
    const first = await awsS3Object.apply(bed.ctx(), t);
    await expect(awsS3Object.apply(bed.ctx({ attempt: 2 }), t)).resolves.toEqual({
      outputs: first.outputs,
      undo: first.undo,
    });
    await expect(versions()).resolves.toBe(1);
    const later = target({}, { refs: { bucket: 'arn:aws:s3:::assets-bucket', $run_key: 'run-2' } });
    await expect(awsS3Object.apply(bed.ctx(), later)).resolves.toMatchObject({ undo: { created: false } });
  });

  it('refuses a same-keyed object that is not ours, naming it, and leaves it alone', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'assets-bucket' }));
    await s3().send(new PutObjectCommand({ Bucket: 'assets-bucket', Key: 'site/index.html', Body: 'theirs' }));
    const ctx = bed.ctx();
    await expect(awsS3Object.plan(ctx, target())).resolves.toMatchObject({
      action: 'create',
      warnings: [
        expect.stringContaining(
          'S3 object s3://assets-bucket/site/index.html already exists and is not managed by this node (it has no mgraph:node-id tag)',
        ),
      ],
    });
    await expect(awsS3Object.apply(ctx, target())).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: expect.stringContaining('S3 object s3://assets-bucket/site/index.html already exists'),
    });
    await expect(awsS3Object.destroy(ctx, target(), null)).rejects.toMatchObject({ type: 'conflict' });
    await expect(body()).resolves.toBe('theirs');
  });

  it('reports drift after out-of-band changes of its content type and its content, and apply repairs it', async () => {
    await bucket();
    const ctx = bed.ctx();
    const t = target();
    const applied = await awsS3Object.apply(ctx, t);
    await s3().send(
      new CopyObjectCommand({
        Bucket: 'assets-bucket',
        Key: 'site/index.html',
        CopySource: 'assets-bucket/site/index.html',
        MetadataDirective: 'REPLACE',
        ContentType: 'text/html',
        Metadata: { 'mgraph-sha256': sha('v1') },
      }),
    );
    await expect(awsS3Object.verify(ctx, t, applied.outputs)).resolves.toEqual({
      drift: [{ property: 'content_type', desired: 'text/plain; charset=utf-8', actual: 'text/html' }],
    });
    await awsS3Object.apply(ctx, t);
    await expect(awsS3Object.verify(ctx, t, applied.outputs)).resolves.toEqual({ drift: [] });

    const tags = await tagsOf();
    await s3().send(
      new PutObjectCommand({
        Bucket: 'assets-bucket',
        Key: 'site/index.html',
        Body: 'edited',
        ContentType: 'text/plain; charset=utf-8',
        Tagging: new URLSearchParams(tags).toString(),
      }),
    );
    await expect(awsS3Object.verify(ctx, t, applied.outputs)).resolves.toEqual({
      drift: [{ property: 'sha256', desired: sha('v1'), actual: null }],
    });
    await awsS3Object.apply(ctx, t);
    await expect(body()).resolves.toBe('v1');
  });

  it('compensates a create by deleting it; destroy deletes every version, so its bucket can go, and is a no-op when absent', async () => {
    const bucketTarget = bed.target(
      awsS3Bucket,
      { bucket_name: 'assets-bucket', versioning: true },
      { resource_id: 'assets' },
    );
    await bucket({ versioning: true });
    const ctx = bed.ctx();
    const t = target();
    const created = await awsS3Object.apply(ctx, t);
    await expect(awsS3Object.compensate(ctx, t, created.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(versions()).resolves.toBe(0);
    await expect(awsS3Object.compensate(ctx, t, created.undo)).resolves.toEqual({
      outcome: 'compensated (already gone)',
    });
    await expect(awsS3Object.verify(ctx, t, created.outputs)).resolves.toEqual({ drift: [MISSING] });

    await awsS3Object.apply(ctx, t);
    await awsS3Object.apply(ctx, target({ content: 'v2' }));
    await expect(versions()).resolves.toBe(2);
    await awsS3Object.destroy(ctx, t, null);
    await expect(versions()).resolves.toBe(0);
    await awsS3Object.destroy(ctx, t, null);
    await awsS3Bucket.destroy(ctx, bucketTarget, null);
  });

  it("is found by a tag scan in its deployment's buckets of that region, and not another deployment's", async () => {
    await bucket({ tags: { team: 'web' } });
    await awsS3Bucket.apply(
      bed.ctx(),
      bed.target(awsS3Bucket, { bucket_name: 'west-assets' }, { resource_id: 'assets', region: 'eu-west-1' }),
    );
    const ctx = bed.ctx();
    const t = target({}, { tags: { team: 'web' } });
    await awsS3Object.apply(ctx, t);
    await awsS3Object.apply(ctx, target({ key: 'other.txt' }, { deployment_id: 'other-deploy' }));
    const west = target({}, { region: 'eu-west-1', refs: { bucket: 'arn:aws:s3:::west-assets' } });
    await awsS3Object.apply(ctx, west);

    await expect(awsS3Object.findTagged?.(ctx, 'test-deploy', 'us-east-1')).resolves.toEqual([
      {
        type: 'aws:s3:object',
        arn: 'arn:aws:s3:::assets-bucket/site/index.html',
        region: 'us-east-1',
        tags: {
          'mgraph:node-id': t.node.node_id,
          'mgraph:graph-id': 'graph-1',
          'mgraph:deploy-id': 'test-deploy',
          'mgraph:resource-id': 'index',
          team: 'web',
        },
        properties: { bucket: 'assets-bucket', key: 'site/index.html', content: '' },
      },
    ]);
    const found = await awsS3Object.findTagged?.(ctx, 'test-deploy', 'eu-west-1');
    expect(found?.map((f) => f.arn)).toEqual(['arn:aws:s3:::west-assets/site/index.html']);

    const scanned = bed.target(awsS3Object, found?.[0]?.properties, { resource_id: 'index', region: 'eu-west-1' });
    await awsS3Object.destroy(ctx, scanned, null);
    await expect(awsS3Object.findTagged?.(ctx, 'test-deploy', 'eu-west-1')).resolves.toEqual([]);
  });
});
