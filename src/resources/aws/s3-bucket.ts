/**
 * `aws:s3:bucket`: an S3 bucket in each target region. Bucket names are global, so the name is
 * `<name>-<node id>` (seed 001 §7.4: one bucket per region and deployment, no collisions) unless
 * `bucket_name` gives it exactly. Tags and versioning are managed; the bucket's content is not:
 * destroy refuses a bucket that still holds objects, naming it (its objects are other resources').
 * Tags are given at creation (so a crash cannot leave an untagged bucket of ours on AWS) and put
 * again when the endpoint ignored them (moto). A bucket of the wanted name in another region, or
 * in an account we may not read, is a conflict. Found by a tag scan in the region it lives in.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketTaggingCommand,
  GetBucketVersioningCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import { OperationError } from '../../providers/operation-error';
import type { FoundResource, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { fieldDrift, MISSING, updatePlan } from './drift';
import { applyOwned, compensateOwned, destroyOwned, planOwned, prepareOwned, type Update } from './owned';
import { aws, awsError, isNotFound, type AwsCall } from './errors';
import { bucketRegion, bucketTags, taggedBuckets } from './s3-bucket-lookup';
import { bucketNameOf, bucketStem, exactBucketName } from './s3-bucket-names';
import { DEFAULT_AWS_REGION } from '../../model/regions';
import { awsClients, regionOf } from './session';
import {
  assertOurs,
  creationTags,
  previousTagValues,
  restoredTagSet,
  tagDrift,
  tagList,
  tagsToSet,
  type Tags,
} from './tags';

const properties = z
  .object({
    /** The name's stem: the bucket is `<name>-<node id>`. */
    name: bucketStem.optional(),
    /** The exact, globally unique bucket name (no node id appended). */
    bucket_name: exactBucketName.optional(),
    versioning: z.boolean().default(false),
  })
  .strict()
  .refine((p) => (p.name === undefined) !== (p.bucket_name === undefined), {
    message: 'give either name (the node id is appended) or bucket_name, exactly one',
    path: ['name'],
  });

export type S3BucketProperties = z.output<typeof properties>;
type Target = NodeTarget<S3BucketProperties>;

interface BucketState {
  readonly tags: Tags;
  readonly versioning: boolean;
}

const label = (target: Target): string => `S3 bucket ${bucketNameOf(target)}`;
const call = (target: Target, action: string): AwsCall => ({ action, target: label(target) });

async function readBucket(s3: S3Client, target: Target, region: string): Promise<BucketState | null> {
  const Bucket = bucketNameOf(target);
  const where = await bucketRegion(s3, Bucket, call(target, 'read the bucket'));
  if (where === null) return null;
  if (where !== region) {
    throw new OperationError(
      'conflict',
      `${label(target)} already exists in ${where}, not in ${region} (S3 names are global): choose another name, or give name instead of bucket_name for one bucket per region`,
      { retryable: false },
    );
  }
  const tags = await bucketTags(s3, Bucket, call(target, 'read its tags'));
  const versioning = await aws(call(target, 'read its versioning'), () =>
    s3.send(new GetBucketVersioningCommand({ Bucket })),
  );
  return { tags, versioning: versioning.Status === 'Enabled' };
}

const bucketDrift = (state: BucketState, target: Target): DriftItem[] => [
  ...fieldDrift({ versioning: target.properties.versioning }, { versioning: state.versioning }),
  ...tagDrift(state.tags, target),
];

const outputsOf = (target: Target, region: string): Record<string, unknown> => {
  const bucket = bucketNameOf(target);
  return { arn: `arn:aws:s3:::${bucket}`, bucket, name: bucket, region };
};

async function putVersioning(s3: S3Client, target: Target, enabled: boolean): Promise<void> {
  await aws(call(target, 'set its versioning'), () =>
    s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucketNameOf(target),
        VersioningConfiguration: { Status: enabled ? 'Enabled' : 'Suspended' },
      }),
    ),
  );
}

/** S3 replaces the whole tag set at once. */
async function putTags(s3: S3Client, target: Target, tags: Tags): Promise<void> {
  const Bucket = bucketNameOf(target);
  await (Object.keys(tags).length === 0
    ? aws(call(target, 'remove its tags'), () => s3.send(new DeleteBucketTaggingCommand({ Bucket })))
    : aws(call(target, 'tag the bucket'), () =>
        s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tagList(tags) } })),
      ));
}

/** Creates the bucket, tagged; false when it exists already in this account (adopt or refuse it by its tags). */
async function create(s3: S3Client, target: Target, region: string): Promise<boolean> {
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucketNameOf(target),
        CreateBucketConfiguration: {
          ...(region === DEFAULT_AWS_REGION ? {} : { LocationConstraint: region as BucketLocationConstraint }),
          Tags: tagList(creationTags(target)),
        },
      }),
    );
  } catch (err) {
    if ((err as { name?: unknown }).name === 'BucketAlreadyOwnedByYou') return false;
    throw awsError(err, call(target, 'create the bucket'));
  }
  return true;
}

/** Finishes a create: tags where the endpoint ignored them; a bucket that carried tags already (us-east-1 answers 200 for an existing own bucket) must be ours. */
async function completeCreate(s3: S3Client, target: Target, state: BucketState): Promise<void> {
  if (Object.keys(state.tags).length === 0) await putTags(s3, target, creationTags(target));
  else assertOurs(state.tags, target, label(target));
  if (target.properties.versioning && !state.versioning) await putVersioning(s3, target, true);
}

/**
 * Brings a bucket of ours to the desired state; its undo, what it changes, is computed from
 * `state` and recorded before the change (owned.ts).
 */
function update(s3: S3Client, target: Target, region: string, state: BucketState): Update {
  const { versioning } = target.properties;
  const tags = tagsToSet(state.tags, target);
  return {
    undo: {
      ...(state.versioning === versioning ? {} : { versioning_previous: state.versioning }),
      tags_previous: previousTagValues(state.tags, tags),
    },
    async change() {
      if (state.versioning !== versioning) await putVersioning(s3, target, versioning);
      if (Object.keys(tags).length > 0) await putTags(s3, target, { ...state.tags, ...tags });
      return { outputs: outputsOf(target, region) };
    },
  };
}

async function restore(s3: S3Client, target: Target, state: BucketState, undo: Record<string, unknown>): Promise<void> {
  if (typeof undo['versioning_previous'] === 'boolean') await putVersioning(s3, target, undo['versioning_previous']);
  await putTags(s3, target, restoredTagSet(state.tags, undo['tags_previous']));
}

async function deleteBucket(s3: S3Client, target: Target): Promise<void> {
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucketNameOf(target) }));
  } catch (err) {
    if ((err as { name?: unknown }).name === 'BucketNotEmpty') {
      throw new OperationError(
        'conflict',
        `${label(target)} still holds objects (or object versions): delete them (or the aws:s3:object resources that put them there) first`,
        { retryable: false },
      );
    }
    if (!isNotFound(err)) throw awsError(err, call(target, 'delete the bucket'));
  }
}

const s3Of = async (ctx: OperationContext, target: Target): Promise<{ s3: S3Client; region: string }> => {
  const region = regionOf(ctx, target);
  return { s3: (await awsClients(ctx, region)).s3, region };
};

export const awsS3Bucket: ResourceType<S3BucketProperties> = {
  type: 'aws:s3:bucket',
  provider: 'aws',
  description:
    'An S3 bucket per region, named <name>-<node id> unless bucket_name is given; versioning and tags managed, adopted by tag',
  regional: true,
  properties,
  physicalName: (p) => (p.bucket_name === undefined ? null : `s3-bucket:${p.bucket_name}`),

  async plan(ctx, target) {
    const { s3, region } = await s3Of(ctx, target);
    const state = await readBucket(s3, target, region);
    return planOwned({ state, target, label: label(target) }, (s) => updatePlan(bucketDrift(s, target)));
  },

  async prepare(ctx, target) {
    const { s3, region } = await s3Of(ctx, target);
    return prepareOwned(target, {
      read: () => readBucket(s3, target, region),
      update: (state) => update(s3, target, region, state),
    });
  },

  async apply(ctx, target) {
    const { s3, region } = await s3Of(ctx, target);
    return applyOwned(
      ctx,
      { target, label: label(target) },
      {
        read: () => readBucket(s3, target, region),
        async create(readBack) {
          if (!(await create(s3, target, region))) return null;
          await completeCreate(s3, target, await readBack());
          return { outputs: outputsOf(target, region) };
        },
        update: (state) => update(s3, target, region, state),
      },
    );
  },

  async verify(ctx, target) {
    const { s3, region } = await s3Of(ctx, target);
    const state = await readBucket(s3, target, region);
    return { drift: state ? bucketDrift(state, target) : [MISSING] };
  },

  async compensate(ctx, target, undo) {
    const { s3, region } = await s3Of(ctx, target);
    const state = await readBucket(s3, target, region);
    return compensateOwned(
      { state, target, label: label(target), what: 'bucket', undo },
      () => deleteBucket(s3, target),
      (s, u) => restore(s3, target, s, u),
    );
  },

  async destroy(ctx, target) {
    const { s3, region } = await s3Of(ctx, target);
    await destroyOwned({ state: await readBucket(s3, target, region), target, label: label(target) }, () =>
      deleteBucket(s3, target),
    );
  },

  async findTagged(ctx, deploymentId, region) {
    const where = region ?? regionOf(ctx, null);
    return (await taggedBuckets(ctx, deploymentId, where)).map(
      ({ bucket, arn, tags }): FoundResource => ({
        type: 'aws:s3:bucket',
        arn,
        region: where,
        tags,
        properties: { bucket_name: bucket },
      }),
    );
  },
};
