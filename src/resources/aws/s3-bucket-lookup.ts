/**
 * Looking S3 buckets up: where a bucket lives (or that it is absent, or another account's), its
 * tags, and a deployment's buckets in one region found by a tag scan, which the tag scans of
 * `aws:s3:bucket` and of `aws:s3:object` (objects are looked for in the deployment's buckets) share.
 */
import { GetBucketTaggingCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { OperationError } from '../../providers/operation-error';
import type { OperationContext } from '../resource-type';
import { awsError, awsOrNull, isNotFound, type AwsCall } from './errors';
import { bucketOfArn } from './s3-bucket-names';
import { awsClients } from './session';
import { taggedArns } from './tagged';
import { DEPLOY_ID_TAG, tagMap, type Tags } from './tags';

interface RedirectShape {
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly headers?: Readonly<Record<string, string | undefined>> };
}

/**
 * Where a bucket lives, asked with `s3` (a client of one region), or null when it is absent. AWS
 * answers a bucket in another region with a 301 naming its region; moto answers with the region.
 * 403: it exists in an account we may not read, a conflict.
 */
export async function bucketRegion(s3: S3Client, Bucket: string, where: AwsCall): Promise<string | null> {
  try {
    return (await s3.send(new HeadBucketCommand({ Bucket }))).BucketRegion ?? (await s3.config.region());
  } catch (err) {
    const shape = err as RedirectShape;
    if (shape.$metadata?.httpStatusCode === 301)
      return shape.$response?.headers?.['x-amz-bucket-region'] ?? 'another region';
    if (isNotFound(err)) return null;
    const failure = awsError(err, where);
    if (failure.type !== 'permission') throw failure;
    throw new OperationError(
      'conflict',
      `${where.target} exists and this account may not read it (S3 names are global: another account owns it?): choose another name`,
      { retryable: false },
    );
  }
}

export const bucketTags = async (s3: S3Client, Bucket: string, where: AwsCall): Promise<Tags> =>
  tagMap((await awsOrNull(where, () => s3.send(new GetBucketTaggingCommand({ Bucket }))))?.TagSet);

export interface TaggedBucket {
  readonly bucket: string;
  readonly arn: string;
  readonly tags: Tags;
}

/** The lookups in flight, per context: the bucket and object scans of one tag scan run together and share one. */
const inFlight = new WeakMap<OperationContext, Map<string, Promise<TaggedBucket[]>>>();

/**
 * A deployment's buckets in `region`, each with its tags read from the bucket itself. The tagging
 * API is asked in `region`, but may answer with buckets of every region (moto does), so only the
 * buckets that live in `region` are kept: each bucket is found once, in its own region. Asked
 * again with the same context while the first lookup is in flight (the object scan beside the
 * bucket scan), shares its answer; once answered, a new ask looks again.
 */
export function taggedBuckets(ctx: OperationContext, deploymentId: string, region: string): Promise<TaggedBucket[]> {
  const lookups = inFlight.get(ctx) ?? new Map<string, Promise<TaggedBucket[]>>();
  inFlight.set(ctx, lookups);
  const key = `${deploymentId} ${region}`;
  const pending = lookups.get(key);
  if (pending) return pending;
  const lookup = lookUpTaggedBuckets(ctx, deploymentId, region).finally(() => lookups.delete(key));
  lookups.set(key, lookup);
  return lookup;
}

async function lookUpTaggedBuckets(
  ctx: OperationContext,
  deploymentId: string,
  region: string,
): Promise<TaggedBucket[]> {
  const { s3 } = await awsClients(ctx, region);
  const found = await Promise.all(
    (await taggedArns(ctx, region, deploymentId, 's3')).map(async ({ arn }): Promise<TaggedBucket[]> => {
      const bucket = bucketOfArn(arn);
      const where: AwsCall = { action: 'read a tagged bucket', target: arn };
      if (bucket === null || (await bucketRegion(s3, bucket, where)) !== region) return [];
      const tags = await bucketTags(s3, bucket, where);
      return tags[DEPLOY_ID_TAG] === deploymentId ? [{ bucket, arn, tags }] : [];
    }),
  );
  return found.flat();
}
