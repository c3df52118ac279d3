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
import {
  GetBucketVersioningCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, ResourceType } from '../resource-type';
import { createPlan, MISSING, updatePlan } from './drift';
import { type Applied, applyOwned, compensateOwned, destroyOwned, planOwned, updatable } from './owned';
import { aws, awsError, awsOrNull } from './errors';
import { taggedBuckets } from './s3-bucket-lookup';
import { bodyOf, contentTypeOf, sha256Of } from './s3-object-body';
import { deleteAll, deleteObject, findObjects } from './s3-object-destroy';
import { bucketName, call, type Place, placeOf } from './s3-object-place';
import {
  checkTagLimit,
  contentDrift,
  type ObjectState,
  outputsOf,
  readObject,
  realVersion,
  s3ObjectProperties,
  type S3ObjectProperties,
  SHA256_METADATA,
  type Written,
} from './s3-object-state';
import { awsClients, regionOf } from './session';
import { creationTags, previousTagValues, restoredTagSet, tagDrift, tagList, tagsToSet, type Tags } from './tags';

export type { S3ObjectProperties };
type Target = NodeTarget<S3ObjectProperties>;

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

/** The object as `prepare` read it before the apply (the workflow's history keeps it): its version, etag and tags. */
interface Before {
  readonly version_before: string | null;
  readonly etag_before: string;
  readonly tags_before: Tags;
}

const beforeOf = (prepared: Record<string, unknown> | null | undefined): Before | null =>
  typeof prepared?.['etag_before'] === 'string' ? (prepared as unknown as Before) : null;

/**
 * What an earlier attempt of this apply (or an operator's retried one) already wrote, told from the
 * object as it was before the run: this run's version (the current one, when another than before),
 * or `overwritten` in a bucket without versions; null when the content is still the one from before.
 */
function writtenEarlier(state: ObjectState, before: Before | null): Record<string, unknown> | null {
  if (!before || state.etag === before.etag_before) return null;
  return realVersion(state.version_id) && state.version_id !== before.version_before
    ? { version_id: state.version_id, previous_version_id: before.version_before }
    : { overwritten: true };
}

/**
 * Brings an object of ours to the desired state. A new content or type is a new write (of the
 * version read, else retried); its undo is the version it wrote, or `overwritten` when the bucket
 * keeps no versions: known only once written, so what `prepare` recorded before (the version and
 * tags there were) tells a retry what an earlier attempt wrote. A tag change alone retags the
 * current version; its undo holds the tags from before the run.
 */
async function update(
  place: Place,
  target: Target,
  body: Buffer,
  state: ObjectState,
  before: Before | null,
): Promise<Applied> {
  const toSet = tagsToSet(state.tags, target);
  const tags = { ...state.tags, ...toSet };
  const tagsBefore = before?.tags_before ?? state.tags;
  const tagUndo = { tags_previous: previousTagValues(tagsBefore, tagsToSet(tagsBefore, target)) };
  if (contentDrift(state, target, sha256Of(body)).length > 0) {
    const version = await putObject(place, target, body, tags, { IfMatch: state.etag });
    if (!version)
      throw new OperationError('unavailable', `${place.label} changed while it was being updated: retrying`);
    return appliedOf(
      place,
      body,
      version,
      realVersion(version.version_id)
        ? { version_id: version.version_id, previous_version_id: before?.version_before ?? state.version_id }
        : { overwritten: true },
    );
  }
  if (Object.keys(toSet).length > 0) await putTags(place, tags, state.version_id);
  return appliedOf(place, body, state, writtenEarlier(state, before) ?? tagUndo);
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

export const awsS3Object: ResourceType<S3ObjectProperties> = {
  type: 'aws:s3:object',
  provider: 'aws',
  description:
    'An S3 object per region: content inline, base64 or from a file on the worker, content type, tags; compared by SHA-256, adopted by tag',
  regional: true,
  properties: s3ObjectProperties,
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

  async prepare(ctx, target) {
    const state = await readObject(await placeOf(ctx, target));
    if (!updatable(state, target)) return null;
    return { version_before: state.version_id, etag_before: state.etag, tags_before: state.tags } satisfies Before;
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
        update: (state) => ({ change: () => update(place, target, body, state, beforeOf(ctx.prepared)) }),
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
