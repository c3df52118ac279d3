import { createHash } from 'node:crypto';
import { GetFunctionCommand, TagResourceCommand } from '@aws-sdk/client-lambda';
import { PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { awsIamRole } from '../../src/resources/aws/iam-role';
import { awsLambdaFunction } from '../../src/resources/aws/lambda-function';
import { useAwsBed } from './helpers/aws-bed';

const bed = useAwsBed();
const BUCKET = 'code-bucket';
/** 300 characters: `s3://code-bucket/<key>` alone is over Lambda's 256 for a tag value. */
const LONG_KEY = `releases/${'x'.repeat(283)}/app.zip`;
const KEYS = [
  ['a short key', 'app/code.zip'],
  ['a 300-character key', LONG_KEY],
] as const;

const zip = (text: string): Buffer => Buffer.from(`PK-test-package:${text}`);
/** Lambda's CodeSha256 of a package. */
const sha256 = (text: string): string => createHash('sha256').update(zip(text)).digest('base64');
const md5 = (text: string): string => createHash('md5').update(zip(text)).digest('hex');

const lambda = () => bed.clients.forRegion('us-east-1', null).lambda;
const s3 = () => bed.clients.forRegion('us-east-1', null).s3;
const deployed = () => lambda().send(new GetFunctionCommand({ FunctionName: 'code-fn' }));

let roleArn: string;
beforeEach(async () => {
  const role = await awsIamRole.apply(bed.ctx(), bed.target(awsIamRole, { role_name: 'code-fn-role' }));
  roleArn = role.outputs['arn'] as string;
});

async function bucket({ versioned }: { versioned: boolean }): Promise<void> {
  await bed.bucket(BUCKET);
  if (versioned)
    await s3().send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
}

/** Puts a package under `key`: its version id in a versioned bucket. */
async function upload(key: string, text: string): Promise<string | undefined> {
  return (await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: zip(text) }))).VersionId;
}

/** The function, its code given by bucket and key, or by the `code` reference to an aws:s3:object (its ARN). */
const fn = (key: string, { byReference = false } = {}) =>
  bed.target(
    awsLambdaFunction,
    {
      function_name: 'code-fn',
      runtime: 'python3.12',
      handler: 'app.run',
      ...(byReference ? {} : { code_s3_bucket: BUCKET, code_s3_key: key }),
    },
    {
      resource_id: 'code-fn',
      refs: { role: roleArn, ...(byReference ? { code: `arn:aws:s3:::${BUCKET}/${key}` } : {}) },
    },
  );

const HASHED_TAG = /^s3-sha256:[0-9a-f]{64}@(version|etag)=[^@]+$/;

describe('aws:lambda:function code identity', () => {
  it('creates a function whose S3 key is 300 characters long with every tag within 256 characters, then plans a no-op', async () => {
    await bucket({ versioned: true });
    const version = await upload(LONG_KEY, 'v1');
    const ctx = bed.ctx();
    const t = fn(LONG_KEY);
    await expect(awsLambdaFunction.apply(ctx, t)).resolves.toMatchObject({ undo: { created: true } });
    const got = await deployed();
    expect(got.Configuration?.CodeSha256).toBe(sha256('v1'));
    const tags = got.Tags ?? {};
    expect(Object.values(tags).filter((value) => value.length > 256)).toEqual([]);
    expect(tags['mgraph:code']).toMatch(HASHED_TAG);
    expect(tags['mgraph:code']).toContain(`@version=${version}`);
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsLambdaFunction.verify(ctx, t, null)).resolves.toEqual({ drift: [] });
  });

  it.each(KEYS)(
    'new content under the same key (%s) plans an update naming the code, applies it, and compensation puts the previous package back',
    async (_name, key) => {
      await bucket({ versioned: true });
      const v1 = await upload(key, 'v1');
      const ctx = bed.ctx();
      const t = fn(key, { byReference: true });
      await awsLambdaFunction.apply(ctx, t);
      const before = (await deployed()).Tags?.['mgraph:code'];
      const v2 = await upload(key, 'v2');
      const [source1, source2] = [`s3://${BUCKET}/${key}@version=${v1}`, `s3://${BUCKET}/${key}@version=${v2}`];
      await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({
        action: 'update',
        diff: [{ property: 'code', desired: source2, actual: source1 }],
        warnings: [],
      });

      const applied = await awsLambdaFunction.apply(ctx, t);
      expect(applied.undo).toEqual({
        created: false,
        code_previous: source1,
        tags_previous: { 'mgraph:code': before },
      });
      const updated = await deployed();
      expect(updated.Configuration?.CodeSha256).toBe(sha256('v2'));
      expect(Object.values(updated.Tags ?? {}).filter((value) => value.length > 256)).toEqual([]);
      await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });

      await expect(awsLambdaFunction.compensate(ctx, t, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
      const restored = await deployed();
      expect(restored.Configuration?.CodeSha256).toBe(sha256('v1'));
      expect(restored.Tags?.['mgraph:code']).toBe(before);
      // The function runs v1 again while the key holds v2: the next plan says so.
      await expect(awsLambdaFunction.plan(ctx, t)).resolves.toMatchObject({
        action: 'update',
        diff: [{ property: 'code', desired: source2, actual: source1 }],
      });
    },
  );

  it.each(KEYS)(
    'an unchanged object (%s) stays a no-op: the tag names its ETag, and plan, verify and a second apply leave the code alone',
    async (_name, key) => {
      await bucket({ versioned: false });
      await upload(key, 'v1');
      const ctx = bed.ctx();
      const t = fn(key);
      await awsLambdaFunction.apply(ctx, t);
      const first = await deployed();
      const tag = first.Tags?.['mgraph:code'] ?? '';
      const source = `s3://${BUCKET}/${key}@etag=${md5('v1')}`;
      expect(tag).toEqual(key === LONG_KEY ? expect.stringMatching(HASHED_TAG) : source);
      expect(tag.endsWith(`@etag=${md5('v1')}`)).toBe(true);

      await upload(key, 'v1'); // the same bytes again: the same ETag
      await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
      await expect(awsLambdaFunction.verify(ctx, t, null)).resolves.toEqual({ drift: [] });
      // No code_previous: the apply made no UpdateFunctionCode (moto leaves LastModified alone either way).
      await expect(awsLambdaFunction.apply(ctx, t)).resolves.toEqual({
        outputs: expect.objectContaining({ function_name: 'code-fn' }),
        undo: { created: false, tags_previous: {} },
      });
      const again = await deployed();
      expect(again.Configuration?.CodeSha256).toBe(first.Configuration?.CodeSha256);
      expect(again.Tags?.['mgraph:code']).toBe(tag);
    },
  );

  it('in an unversioned bucket new content under the same key is an update too, and compensation says the overwritten package cannot be put back', async () => {
    await bucket({ versioned: false });
    await upload('app/code.zip', 'v1');
    const ctx = bed.ctx();
    const t = fn('app/code.zip');
    await awsLambdaFunction.apply(ctx, t);
    await upload('app/code.zip', 'v2');
    const [source1, source2] = [
      `s3://${BUCKET}/app/code.zip@etag=${md5('v1')}`,
      `s3://${BUCKET}/app/code.zip@etag=${md5('v2')}`,
    ];
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'code', desired: source2, actual: source1 }],
      warnings: [],
    });
    const applied = await awsLambdaFunction.apply(ctx, t);
    expect((await deployed()).Configuration?.CodeSha256).toBe(sha256('v2'));
    await expect(awsLambdaFunction.compensate(ctx, t, applied.undo)).resolves.toEqual({
      outcome: `compensated (configuration and tags only: the previous code's S3 object ${source1} no longer holds it)`,
    });
    const after = await deployed();
    expect(after.Configuration?.CodeSha256).toBe(sha256('v2'));
    expect(after.Tags?.['mgraph:code']).toBe(source1);
  });

  it('reads a function tagged s3://bucket/key alone by an earlier release: one code update records the identity, compensation restores from the key, a tag scan finds the key in both forms', async () => {
    await bucket({ versioned: true });
    const version = await upload('app/code.zip', 'v1');
    const ctx = bed.ctx();
    const t = fn('app/code.zip');
    await awsLambdaFunction.apply(ctx, t);
    const { Configuration } = await deployed();
    const old = `s3://${BUCKET}/app/code.zip`;
    await lambda().send(new TagResourceCommand({ Resource: Configuration?.FunctionArn, Tags: { 'mgraph:code': old } }));
    const found = async () =>
      (await awsLambdaFunction.findTagged?.(ctx, 'test-deploy', 'us-east-1'))?.map((f) => f.properties);
    await expect(found()).resolves.toEqual([
      expect.objectContaining({ function_name: 'code-fn', code_s3_bucket: BUCKET, code_s3_key: 'app/code.zip' }),
    ]);

    const source = `${old}@version=${version}`;
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'code', desired: source, actual: old }],
      warnings: [],
    });
    const applied = await awsLambdaFunction.apply(ctx, t);
    expect(applied.undo).toEqual({ created: false, code_previous: old, tags_previous: { 'mgraph:code': old } });
    expect((await deployed()).Tags?.['mgraph:code']).toBe(source);
    await expect(awsLambdaFunction.plan(ctx, t)).resolves.toMatchObject({ action: 'no-op' });
    await expect(found()).resolves.toEqual([expect.objectContaining({ code_s3_key: 'app/code.zip' })]);

    await expect(awsLambdaFunction.compensate(ctx, t, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    const restored = await deployed();
    expect(restored.Configuration?.CodeSha256).toBe(sha256('v1'));
    expect(restored.Tags?.['mgraph:code']).toBe(old);
  });
});
