/**
 * `aws:s3:object`: one object (a key in a bucket) in each target region. The bucket is `bucket`
 * (a name or an S3 ARN) or the `bucket` reference to an aws:s3:bucket resource (its ARN). The
 * content is inline text (`content`), base64 (`content_base64`) or a file the worker reads at
 * apply time (`source_path`, e.g. a code package): a relative path inside the worker's
 * ARTIFACTS_DIR, and nothing outside it (no absolute paths, no `..`, no symlink out), so a
 * deployment cannot upload the worker's own files (its service key) anywhere. Tags are S3 object tags: at most 10, so
 * besides the five mgraph tags at most five user tags. The content's SHA-256 (hex) is kept in
 * the object's user metadata `mgraph-sha256` (not a tag: that would leave four user tags, and
 * metadata keys cannot hold ':'); plan and verify compare it and the content type, without
 * downloading anything. Writes are conditional: a create only while the key is absent, an
 * overwrite only of the version read. Compensate deletes the version this run wrote: in a
 * versioned bucket that brings the previous one back; in an unversioned bucket an overwrite
 * cannot be undone, which the plan warns of and compensate reports (`irreversible`). There is no
 * `irreversible()`: whether an apply overwrites, and in which kind of bucket, is only known live.
 * Destroy deletes every version of the key, so its bucket can be deleted. Not managed: ACLs,
 * storage class, encryption, object lock. The bucket must live in the node's region. A tag scan
 * finds objects only in the deployment's own buckets (those a scan of aws:s3:bucket finds), not
 * ones put into other buckets, and reads the tags of every object there.
 */
import { isAbsolute } from 'node:path';
import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import { OperationError } from '../../providers/operation-error';
import type { FoundResource, NodeTarget, ResourceType } from '../resource-type';
import { createPlan, fieldDrift, MISSING, updatePlan } from './drift';
import { type Applied, applyOwned, compensateOwned, destroyOwned, planOwned } from './owned';
import { aws, awsError, awsOrNull, type AwsCall } from './errors';
import { restoredTagSet, taggedBuckets } from './s3-bucket';
import { bodyOf, contentTypeOf, sha256Of } from './s3-object-body';
import { bucketName, type Place, placeOf } from './s3-object-place';
import { awsClients, regionOf } from './session';
import {
  CREATED_BY_TAG,
  creationTags,
  DEPLOY_ID_TAG,
  GRAPH_ID_TAG,
  NODE_ID_TAG,
  previousTagValues,
  RESOURCE_ID_TAG,
  tagDrift,
  tagList,
  tagMap,
  tagsToSet,
  type Tags,
} from './tags';

/** User metadata (`x-amz-meta-mgraph-sha256`): the hex SHA-256 of the content this service wrote. */
const SHA256_METADATA = 'mgraph-sha256';
const MAX_OBJECT_TAGS = 10;
const OUR_TAGS = [NODE_ID_TAG, GRAPH_ID_TAG, DEPLOY_ID_TAG, RESOURCE_ID_TAG, CREATED_BY_TAG];
const CONTENT_KEYS = ['content', 'content_base64', 'source_path'] as const;

const properties = z
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

export type S3ObjectProperties = z.output<typeof properties>;
type Target = NodeTarget<S3ObjectProperties>;

interface ObjectState {
  readonly etag: string;
  /** As S3 reports it: `null` (the string) for an object written while the bucket was unversioned. */
  readonly version_id: string | null;
  readonly sha256: string | null;
  readonly content_type: string | null;
  readonly tags: Tags;
}

type Written = Pick<ObjectState, 'etag' | 'version_id'>;

const call = (place: Place, action: string): AwsCall => ({ action, target: place.label });

/** A version this service can address apart from the others (an unversioned write has none). */
const realVersion = (id: string | null): id is string => id !== null && id !== 'null';

/** Throws unless the node's tags fit S3's ten per object, ours included. */
function checkTagLimit(target: Target, place: Place): void {
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

async function readObject(place: Place): Promise<ObjectState | null> {
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

const contentDrift = (state: ObjectState, target: Target, sha256: string): DriftItem[] =>
  fieldDrift(desiredOf(target, sha256), { sha256: state.sha256, content_type: state.content_type });

const outputsOf = (place: Place, sha256: string, version: Written): Record<string, unknown> => ({
  arn: `arn:aws:s3:::${place.bucket}/${place.key}`,
  bucket: place.bucket,
  key: place.key,
  etag: stripQuotes(version.etag),
  sha256,
  s3_uri: `s3://${place.bucket}/${place.key}`,
  ...(realVersion(version.version_id) ? { version_id: version.version_id } : {}),
});

/** S3 takes an object's tags on a write as a URL query string. */
const taggingHeader = (tags: Tags): string =>
  Object.entries(tags)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');

const preconditionFailed = (err: unknown): boolean =>
  ['PreconditionFailed', 'ConditionalRequestConflict'].includes(String((err as { name?: unknown }).name));

/** A conditional write; null when its condition failed (the key appeared, or changed since it was read). */
async function putObject(
  place: Place,
  target: Target,
  body: Buffer,
  tags: Tags,
  condition: { IfNoneMatch: '*' } | { IfMatch: string },
): Promise<Written | null> {
  try {
    const put = await place.s3.send(
      new PutObjectCommand({
        Bucket: place.bucket,
        Key: place.key,
        Body: body,
        ContentType: contentTypeOf(target.properties),
        Metadata: { [SHA256_METADATA]: sha256Of(body) },
        Tagging: taggingHeader(tags),
        ...condition,
      }),
    );
    return { etag: put.ETag ?? '', version_id: put.VersionId ?? null };
  } catch (err) {
    if (preconditionFailed(err)) return null;
    throw awsError(err, call(place, 'write the object'));
  }
}

async function putTags(place: Place, tags: Tags, versionId: string | null): Promise<void> {
  await aws(call(place, 'tag the object'), () =>
    place.s3.send(
      new PutObjectTaggingCommand({
        Bucket: place.bucket,
        Key: place.key,
        Tagging: { TagSet: tagList(tags) },
        ...(versionId === null ? {} : { VersionId: versionId }),
      }),
    ),
  );
}

/** What a write or retag left: the outputs, and the version compensate deletes when this run created the object. */
const appliedOf = (place: Place, body: Buffer, version: Written, undo?: Record<string, unknown>): Applied => ({
  outputs: outputsOf(place, sha256Of(body), version),
  undo,
  createdUndo: { version_id: version.version_id },
});

/**
 * Brings an object of ours to the desired state. A new content or type is a new write (of the
 * version read, else retried); its undo is the version it wrote, or `overwritten` when the bucket
 * keeps no versions: known only once written, so nothing is recorded before (owned.ts). A tag
 * change alone retags the current version.
 */
async function update(place: Place, target: Target, body: Buffer, state: ObjectState): Promise<Applied> {
  const toSet = tagsToSet(state.tags, target);
  const tags = { ...state.tags, ...toSet };
  if (contentDrift(state, target, sha256Of(body)).length > 0) {
    const version = await putObject(place, target, body, tags, { IfMatch: state.etag });
    if (!version)
      throw new OperationError('unavailable', `${place.label} changed while it was being updated: retrying`);
    return appliedOf(
      place,
      body,
      version,
      realVersion(version.version_id)
        ? { version_id: version.version_id, previous_version_id: state.version_id }
        : { overwritten: true },
    );
  }
  if (Object.keys(toSet).length > 0) await putTags(place, tags, state.version_id);
  return appliedOf(place, body, state, { tags_previous: previousTagValues(state.tags, toSet) });
}

async function deleteObject(place: Place, versionId: string | null): Promise<void> {
  await awsOrNull(call(place, versionId === null ? 'delete the object' : `delete version ${versionId}`), () =>
    place.s3.send(
      new DeleteObjectCommand({
        Bucket: place.bucket,
        Key: place.key,
        ...(versionId === null ? {} : { VersionId: versionId }),
      }),
    ),
  );
}

/** Undoes an overwrite in a versioned bucket: without this run's version, the previous one is current again, if it still exists. */
async function removeOurVersion(place: Place, versionId: string, previous: unknown): Promise<string> {
  if (typeof previous === 'string') {
    const { s3, bucket: Bucket, key: Key } = place;
    const kept = await awsOrNull(call(place, `read version ${previous}`), () =>
      s3.send(new HeadObjectCommand({ Bucket, Key, VersionId: previous })),
    );
    if (!kept)
      return `irreversible: the previous version ${previous} of ${place.label} no longer exists, so removing this run's version would not bring it back`;
  }
  await deleteObject(place, versionId);
  return 'compensated';
}

async function restore(place: Place, state: ObjectState, undo: Record<string, unknown>): Promise<string> {
  if (typeof undo['version_id'] === 'string')
    return removeOurVersion(place, undo['version_id'], undo['previous_version_id']);
  if (undo['overwritten'] === true)
    return `irreversible: ${place.label} was overwritten in a bucket without versioning: its previous content cannot be restored`;
  await putTags(place, restoredTagSet(state.tags, undo['tags_previous']), state.version_id);
  return 'compensated';
}

/** Deletes every version and delete marker of the key (an unversioned object is its `null` version). */
async function deleteAll(place: Place): Promise<void> {
  const { s3, bucket: Bucket, key: Key } = place;
  const versions: string[] = [];
  let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await aws(call(place, 'list its versions'), () =>
      s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: Key, ...marker })),
    );
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])])
      if (v.Key === Key && v.VersionId) versions.push(v.VersionId);
    if (!page.IsTruncated || page.NextKeyMarker === undefined) break;
    marker = {
      KeyMarker: page.NextKeyMarker,
      ...(page.NextVersionIdMarker === undefined ? {} : { VersionIdMarker: page.NextVersionIdMarker }),
    };
  }
  for (const versionId of versions) await deleteObject(place, versionId);
}

/** The deployment's objects in one of its buckets, by their own tags. */
async function findObjects(
  s3: S3Client,
  bucket: string,
  deploymentId: string,
  region: string,
): Promise<FoundResource[]> {
  const found: FoundResource[] = [];
  await aws(
    { action: `scan for objects tagged ${DEPLOY_ID_TAG}=${deploymentId}`, target: `S3 bucket ${bucket}` },
    async () => {
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
        for (const { Key: key } of page.Contents ?? []) {
          if (key === undefined) continue;
          const tags = tagMap((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet);
          if (tags[DEPLOY_ID_TAG] !== deploymentId) continue;
          found.push({
            type: 'aws:s3:object',
            arn: `arn:aws:s3:::${bucket}/${key}`,
            region,
            tags,
            properties: { bucket, key, content: '' },
          });
        }
      }
    },
  );
  return found;
}

export const awsS3Object: ResourceType<S3ObjectProperties> = {
  type: 'aws:s3:object',
  provider: 'aws',
  description:
    'An S3 object per region: content inline, base64 or from a file on the worker, content type, tags; compared by SHA-256, adopted by tag',
  regional: true,
  properties,
  physicalName: (p) => (p.bucket === undefined ? null : `s3-object:${bucketName(p.bucket) ?? p.bucket}/${p.key}`),

  async plan(ctx, target) {
    // A first deploy: the referenced bucket has no outputs yet, so neither can the object exist.
    if (
      target.properties.bucket === undefined &&
      target.refs['bucket'] === undefined &&
      target.node.references['bucket']
    )
      return createPlan();
    const place = await placeOf(ctx, target);
    checkTagLimit(target, place);
    return planOwned({ state: await readObject(place), target, label: place.label }, async (state) => {
      const content = contentDrift(state, target, sha256Of(await bodyOf(ctx, target.properties, place.label)));
      if (content.length === 0) return updatePlan(tagDrift(state.tags, target));
      const versioning = await aws(call(place, "read its bucket's versioning"), () =>
        place.s3.send(new GetBucketVersioningCommand({ Bucket: place.bucket })),
      );
      const warnings =
        versioning.Status === 'Enabled'
          ? []
          : [
              `irreversible: overwriting ${place.label} in a bucket without versioning: a rollback cannot restore its previous content`,
            ];
      return updatePlan([...content, ...tagDrift(state.tags, target)], warnings);
    });
  },

  async apply(ctx, target) {
    const place = await placeOf(ctx, target);
    checkTagLimit(target, place);
    const body = await bodyOf(ctx, target.properties, place.label);
    return applyOwned(
      ctx,
      { target, label: place.label },
      {
        read: () => readObject(place),
        async create() {
          const created = await putObject(place, target, body, creationTags(target), { IfNoneMatch: '*' });
          return created && appliedOf(place, body, created);
        },
        update: (state) => ({ change: () => update(place, target, body, state) }),
      },
    );
  },

  async verify(ctx, target) {
    const place = await placeOf(ctx, target);
    const state = await readObject(place);
    if (!state) return { drift: [MISSING] };
    return {
      drift: [
        ...contentDrift(state, target, sha256Of(await bodyOf(ctx, target.properties, place.label))),
        ...tagDrift(state.tags, target),
      ],
    };
  },

  async compensate(ctx, target, undo) {
    const place = await placeOf(ctx, target);
    return compensateOwned(
      { state: await readObject(place), target, label: place.label, what: 'object', undo },
      async (_state, u) => {
        const version = u['version_id'];
        await deleteObject(place, typeof version === 'string' && realVersion(version) ? version : null);
      },
      (state, u) => restore(place, state, u),
    );
  },

  async destroy(ctx, target) {
    const place = await placeOf(ctx, target);
    await destroyOwned({ state: await readObject(place), target, label: place.label }, () => deleteAll(place));
  },

  async findTagged(ctx, deploymentId, region) {
    const where = region ?? regionOf(ctx, null);
    const { s3 } = await awsClients(ctx, where);
    const buckets = await taggedBuckets(ctx, deploymentId, where);
    return (await Promise.all(buckets.map(({ bucket }) => findObjects(s3, bucket, deploymentId, where)))).flat();
  },
};
