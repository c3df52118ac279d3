/**
 * S3 bucket names, as `aws:s3:bucket` and `aws:s3:object` use them: S3's rules for a general
 * purpose bucket's name, the property schemas of a bucket's name (`name`, the stem to which the
 * node id is appended, or `bucket_name`, exact), the name a bucket node gets from them, and a
 * bucket's ARN read back as its name.
 */
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget } from '../resource-type';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_PREFIX = /^(?:xn--|sthree-|amzn-s3-demo-)/;
const BUCKET_NAME_RULE = 'must be 3-63 lowercase letters, digits, . or -, starting and ending with a letter or digit';

/** The rules for a general purpose bucket name beyond its characters and length. */
function reservedNameProblem(name: string): string | null {
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not look like an IP address';
  if (RESERVED_PREFIX.test(name)) return 'must not start with xn--, sthree- or amzn-s3-demo-';
  if (/(?:-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name))
    return 'must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3';
  return null;
}

/** S3's rules for a general purpose bucket name; why `name` breaks them, or null. */
export const bucketNameProblem = (name: string): string | null =>
  BUCKET_NAME.test(name) ? reservedNameProblem(name) : BUCKET_NAME_RULE;

/** A bucket's ARN (`arn:aws:s3:::<name>`, what a reference to a bucket resolves to) → its name. */
export const bucketOfArn = (arn: string): string | null => /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn)?.[1] ?? null;

/** Node ids are 12 characters (build-graph.ts `nodeIdOf`): `<name>-<node id>` stays within S3's 63. */
const MAX_STEM = 63 - 1 - 12;

/** The name's stem, `name`: the bucket is `<name>-<node id>`. */
export const bucketStem = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    'must be lowercase letters, digits or -, starting with a letter or digit (the node id is appended)',
  )
  .max(MAX_STEM, `must be at most ${MAX_STEM} characters: "-" and the 12-character node id are appended`)
  .refine((stem) => !RESERVED_PREFIX.test(stem), { message: 'must not start with xn--, sthree- or amzn-s3-demo-' });

/** The exact, globally unique bucket name, `bucket_name` (no node id appended). */
export const exactBucketName = z
  .string()
  .regex(BUCKET_NAME, BUCKET_NAME_RULE)
  .superRefine((name, ctx) => {
    const problem = BUCKET_NAME.test(name) ? reservedNameProblem(name) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The properties that name a bucket (S3BucketProperties). */
interface BucketNaming {
  readonly name?: string | undefined;
  readonly bucket_name?: string | undefined;
}

/** The bucket's physical name: `bucket_name`, else `<name>-<node id>`, checked against S3's rules. */
export function bucketNameOf(target: NodeTarget<BucketNaming>): string {
  const { bucket_name: exact, name } = target.properties;
  if (exact !== undefined) return exact;
  const generated = `${name ?? ''}-${target.node.node_id}`;
  const problem = bucketNameProblem(generated);
  if (problem)
    throw new OperationError(
      'invalid_input',
      `the bucket name ${generated} (name, "-", node id) ${problem}: shorten name or set bucket_name`,
      { retryable: false },
    );
  return generated;
}
