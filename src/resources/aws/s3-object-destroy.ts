/**
 * How `aws:s3:object` objects go away and are found: deleting one version of the key (or its
 * current object), deleting every version and delete marker of it so that its bucket can be
 * deleted, and the tag scan of the deployment's buckets that a destroy by scan starts from.
 */
import {
  DeleteObjectCommand,
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { FoundResource } from '../resource-type';
import { aws, awsOrNull } from './errors';
import { call, type Place } from './s3-object-place';
import { DEPLOY_ID_TAG, tagMap } from './tags';

export async function deleteObject(place: Place, versionId: string | null): Promise<void> {
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

/** Deletes every version and delete marker of the key (an unversioned object is its `null` version). */
export async function deleteAll(place: Place): Promise<void> {
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
export async function findObjects(
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
