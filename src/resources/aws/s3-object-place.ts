/**
 * Where an S3 object's operations work: its bucket, `bucket` (a name or an S3 ARN) or the `bucket`
 * reference (an aws:s3:bucket's ARN), its key, the client of the node's region, and how messages name it.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext } from '../resource-type';
import type { AwsCall } from './errors';
import { bucketNameProblem, bucketOfArn } from './s3-bucket-names';
import { awsClients, regionOf } from './session';

/** The properties that place an object (S3ObjectProperties). */
interface ObjectAddress {
  readonly bucket?: string | undefined;
  readonly key: string;
}
type Target = NodeTarget<ObjectAddress>;

/** A bucket name, or an S3 bucket ARN, as a name; null for anything else. */
export const bucketName = (b: string): string | null => bucketOfArn(b) ?? (bucketNameProblem(b) === null ? b : null);

/** Where one operation works: the region's client, the bucket and key, and how messages name them. */
export interface Place {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly label: string;
}

/** A call on the object, as error messages name it. */
export const call = (place: Place, action: string): AwsCall => ({ action, target: place.label });

/** The bucket's name, from `bucket` or the `bucket` reference. */
function bucketOf(target: Target): string {
  const given = target.properties.bucket ?? target.refs['bucket'];
  const name = typeof given === 'string' ? bucketName(given) : null;
  if (name !== null) return name;
  const why =
    given === undefined
      ? 'neither bucket nor a "bucket" reference is given'
      : `the bucket ${JSON.stringify(given)} is not an S3 bucket name or ARN`;
  throw new OperationError(
    'invalid_input',
    `S3 object ${target.properties.key}: ${why}; set properties.bucket or references.bucket to an aws:s3:bucket resource`,
    { retryable: false },
  );
}

export async function placeOf(ctx: OperationContext, target: Target): Promise<Place> {
  const bucket = bucketOf(target);
  const { key } = target.properties;
  return {
    s3: (await awsClients(ctx, regionOf(ctx, target))).s3,
    bucket,
    key,
    label: `S3 object s3://${bucket}/${key}`,
  };
}
