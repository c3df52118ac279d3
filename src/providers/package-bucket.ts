/**
 * The shared step-package store of a fleet in S3 (PACKAGES_S3_URI=s3://bucket/prefix): text
 * objects under the prefix, read with their ETag so an unchanged index costs a 304 and no body.
 * The service's own AWS identity (default credential chain, AWS_REGION, AWS_ENDPOINT_URL) is used.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface BucketText {
  readonly text: string;
  readonly etag: string;
}

/** The object was changed by someone else since it was read (a conditional write's 412). */
export class BucketConflict extends Error {
  override readonly name = 'BucketConflict';
}

/** Write only over the object as read (its ETag), or only where there is none (`absent`). */
export type WriteCondition = { readonly etag: string } | { readonly absent: true };

export interface PackageBucket {
  /** `s3://bucket/prefix`, for messages. */
  readonly uri: string;
  /** The object's text; null when there is none; 'unchanged' when its ETag is still `etag`. */
  get(key: string, etag?: string): Promise<BucketText | null | 'unchanged'>;
  /** Answers the new ETag; with a condition that no longer holds, rejects with BucketConflict. */
  put(key: string, text: string, condition?: WriteCondition): Promise<string>;
  /** The keys (relative to the prefix) under `folder`. */
  list(folder: string): Promise<string[]>;
}

export interface PackageBucketOptions {
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

const statusOf = (err: unknown): number | undefined =>
  (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;

export function packageBucket(uri: string, options: PackageBucketOptions = {}): PackageBucket {
  const [bucket = '', ...rest] = uri.replace(/^s3:\/\//, '').split('/');
  const prefix = rest.filter(Boolean).join('/');
  const keyOf = (key: string): string => (prefix ? `${prefix}/${key}` : key);
  const s3 = new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
  return {
    uri,
    async get(key, etag) {
      try {
        const answer = await s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: keyOf(key), ...(etag ? { IfNoneMatch: etag } : {}) }),
        );
        return { text: (await answer.Body?.transformToString('utf8')) ?? '', etag: answer.ETag ?? '' };
      } catch (err) {
        if (statusOf(err) === 304) return 'unchanged';
        // A missing bucket is a 404 too, and an error: only a missing object is "none".
        if (statusOf(err) === 404 && (err as { name?: string }).name === 'NoSuchKey') return null;
        throw err;
      }
    },
    async put(key, text, condition) {
      const when =
        condition === undefined ? {} : 'etag' in condition ? { IfMatch: condition.etag } : { IfNoneMatch: '*' };
      try {
        const answer = await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: keyOf(key),
            Body: text,
            ContentType: 'application/json',
            ...when,
          }),
        );
        return answer.ETag ?? '';
      } catch (err) {
        if (statusOf(err) === 412) throw new BucketConflict(`${uri}/${key} was changed by another process`);
        throw err;
      }
    },
    async list(folder) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: keyOf(`${folder}/`), ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key.slice(prefix ? prefix.length + 1 : 0));
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    },
  };
}
