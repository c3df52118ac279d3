/**
 * What an `aws:s3:object` is declared as and read as: its property schema (the content given
 * exactly one way), the check that its tags fit S3's ten per object beside ours, the object's
 * state as S3 reports it (its content's SHA-256 from the user metadata this service writes, its
 * version, content type and tags), the content drift a plan or verify shows, and the outputs an
 * apply returns.
 */
import { isAbsolute } from 'node:path';
import { GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget } from '../resource-type';
import { fieldDrift } from './drift';
import { aws, awsOrNull } from './errors';
import { contentTypeOf } from './s3-object-body';
import { bucketName, call, type Place } from './s3-object-place';
import { CREATED_BY_TAG, DEPLOY_ID_TAG, GRAPH_ID_TAG, NODE_ID_TAG, RESOURCE_ID_TAG, tagMap, type Tags } from './tags';

/** User metadata (`x-amz-meta-mgraph-sha256`): the hex SHA-256 of the content this service wrote. */
export const SHA256_METADATA = 'mgraph-sha256';
const MAX_OBJECT_TAGS = 10;
const OUR_TAGS = [NODE_ID_TAG, GRAPH_ID_TAG, DEPLOY_ID_TAG, RESOURCE_ID_TAG, CREATED_BY_TAG];
const CONTENT_KEYS = ['content', 'content_base64', 'source_path'] as const;

export const s3ObjectProperties = z
  .object({
    /** The bucket's name or ARN; else the `bucket` reference. */
    bucket: z
      .string()
      .refine((b) => bucketName(b) !== null, 'must be an S3 bucket name or ARN (arn:aws:s3:::<name>)')
      .optional(),
    key: z.string().min(1).max(1024),
    /** Inline text, stored as UTF-8. */
    content: z.string().optional(),
    content_base64: z
      .string()
      .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64')
      .optional(),
    /** A file in the worker's ARTIFACTS_DIR, read by each operation (a live plan reads it in the API process). */
    source_path: z
      .string()
      .min(1)
      .max(1024)
      .refine(
        (f) => !isAbsolute(f) && !f.split(/[\\/]/).includes('..'),
        'must be a relative path inside ARTIFACTS_DIR, without ".."',
      )
      .optional(),
    /** Default: text/plain; charset=utf-8 for `content`, else application/octet-stream. */
    content_type: z.string().min(1).max(255).optional(),
  })
  .strict()
  .refine((p) => CONTENT_KEYS.filter((k) => p[k] !== undefined).length === 1, {
    message: 'give the content as exactly one of content, content_base64 or source_path',
    path: ['content'],
  });

export type S3ObjectProperties = z.output<typeof s3ObjectProperties>;
type Target = NodeTarget<S3ObjectProperties>;

export interface ObjectState {
  readonly etag: string;
  /** As S3 reports it: `null` (the string) for an object written while the bucket was unversioned. */
  readonly version_id: string | null;
  readonly sha256: string | null;
  readonly content_type: string | null;
  readonly tags: Tags;
}

export type Written = Pick<ObjectState, 'etag' | 'version_id'>;

/** A version this service can address apart from the others (an unversioned write has none). */
export const realVersion = (id: string | null): id is string => id !== null && id !== 'null';

/** Throws unless the node's tags fit S3's ten per object, ours included. */
export function checkTagLimit(target: Target, place: Place): void {
  const user = Object.keys(target.node.tags).filter((key) => !OUR_TAGS.includes(key));
  const room = MAX_OBJECT_TAGS - OUR_TAGS.length;
  if (user.length <= room) return;
  throw new OperationError(
    'invalid_input',
    `${place.label}: S3 allows ${MAX_OBJECT_TAGS} tags on an object and this service uses ${OUR_TAGS.length} (${OUR_TAGS.join(', ')}), so at most ${room} user tags; this one has ${user.length} (${user.join(', ')})`,
    { retryable: false },
  );
}

const stripQuotes = (etag: string | undefined): string => (etag ?? '').replace(/"/g, '');

export async function readObject(place: Place): Promise<ObjectState | null> {
  const { s3, bucket: Bucket, key: Key } = place;
  const head = await awsOrNull(call(place, 'read the object'), () => s3.send(new HeadObjectCommand({ Bucket, Key })));
  if (!head) return null;
  const VersionId = head.VersionId;
  const tagging = await aws(call(place, 'read its tags'), () =>
    s3.send(new GetObjectTaggingCommand({ Bucket, Key, ...(VersionId ? { VersionId } : {}) })),
  );
  return {
    etag: head.ETag ?? '',
    version_id: VersionId ?? null,
    sha256: head.Metadata?.[SHA256_METADATA] ?? null,
    content_type: head.ContentType ?? null,
    tags: tagMap(tagging.TagSet),
  };
}

const desiredOf = (target: Target, sha256: string) => ({ sha256, content_type: contentTypeOf(target.properties) });

export const contentDrift = (state: ObjectState, target: Target, sha256: string): DriftItem[] =>
  fieldDrift(desiredOf(target, sha256), { sha256: state.sha256, content_type: state.content_type });

export const outputsOf = (place: Place, sha256: string, version: Written): Record<string, unknown> => ({
  arn: `arn:aws:s3:::${place.bucket}/${place.key}`,
  bucket: place.bucket,
  key: place.key,
  etag: stripQuotes(version.etag),
  sha256,
  s3_uri: `s3://${place.bucket}/${place.key}`,
  ...(realVersion(version.version_id) ? { version_id: version.version_id } : {}),
});
