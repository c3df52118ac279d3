/**
 * A Lambda function's code named by its content, and the `mgraph:code` tag that keeps the name.
 *
 * Identities:
 * - an inline zip: `sha256:<base64>` of it, the form of Lambda's CodeSha256 (lambda-code.ts);
 * - an S3 object: `s3://<bucket>/<key>@version=<id>` in a versioned bucket, else
 *   `s3://<bucket>/<key>@etag=<etag>`, so new content under the same key is another identity;
 * - `s3://<bucket>/<key>` alone: what tags held before identities named the content. Still read
 *   (restored from, found by a scan), it never equals an identity read now: the content it was
 *   deployed with is unknown, so such a function plans one code update, which records its identity.
 *
 * A Lambda tag value holds at most 256 characters. An identity longer than that (a long key) is
 * tagged `s3-sha256:<hex SHA-256 of s3://bucket/key>@<version=… | etag=…>`: the location hashed,
 * the content readable; were even that too long, `s3-sha256:<hex SHA-256 of the identity>`. Read
 * beside the identity wanted now, a hashed tag of the same location gives the deployed identity in
 * full, so an update's undo keeps the version to restore.
 */
import { shortHash } from '../../model/hash';

/** Lambda's limit on a tag value, in characters. */
const MAX_TAG_VALUE = 256;
/** How a hashed S3 source starts. */
export const HASHED_SOURCE = 's3-sha256:';

/** An S3 object as a function's code was (or is to be) deployed from; version or ETag null when unknown. */
export interface S3Pin {
  readonly bucket: string;
  readonly key: string;
  readonly version: string | null;
  readonly etag: string | null;
}

const LOCATION = /^s3:\/\/([^/]+)\/(.+)$/s;
/** An identity with its content: location, marker kind, marker value. */
const MARKED = /^(.+)@(version|etag)=([^@]+)$/s;
const HASHED_MARKED = /^s3-sha256:([0-9a-f]{64})@(version|etag)=([^@]+)$/;

const sha256Hex = (text: string): string => shortHash(text, 64);

const locationOf = (pin: S3Pin): string => `s3://${pin.bucket}/${pin.key}`;

export function identityOf(pin: S3Pin): string {
  const location = locationOf(pin);
  if (pin.version !== null) return `${location}@version=${pin.version}`;
  return pin.etag === null ? location : `${location}@etag=${pin.etag}`;
}

/** An S3 identity (either form) → the object it names; null for anything else (an inline zip's, a hashed one). */
export function pinOf(identity: unknown): S3Pin | null {
  if (typeof identity !== 'string') return null;
  const marked = MARKED.exec(identity);
  const location = LOCATION.exec(marked?.[1] ?? identity);
  if (location?.[1] === undefined || location[2] === undefined) return null;
  const [kind, value] = marked ? [marked[2], marked[3] ?? null] : [null, null];
  return {
    bucket: location[1],
    key: location[2],
    version: kind === 'version' ? value : null,
    etag: kind === 'etag' ? value : null,
  };
}

/** The `s3://bucket/key` an S3 identity names (either form), without its content; undefined for anything else. */
export function s3SourceOf(identity: unknown): string | undefined {
  const pin = pinOf(identity);
  return pin ? locationOf(pin) : undefined;
}

/** The `mgraph:code` tag value of an identity: itself when it fits, else hashed (the header). */
export function codeTag(identity: string): string {
  if (identity.length <= MAX_TAG_VALUE) return identity;
  const marked = MARKED.exec(identity);
  const located = marked ? `${HASHED_SOURCE}${sha256Hex(marked[1] ?? '')}@${marked[2]}=${marked[3]}` : null;
  return located !== null && located.length <= MAX_TAG_VALUE ? located : `${HASHED_SOURCE}${sha256Hex(identity)}`;
}

/**
 * What a `mgraph:code` tag says is deployed, read beside the identity `wanted` now: `wanted` when
 * the tag is its tag; `wanted`'s location with the tag's content when the tag hashes that location;
 * else the tag as it is (null without one).
 */
export function deployedIdentity(tag: string | undefined, wanted: string): string | null {
  if (tag === undefined) return null;
  if (tag === codeTag(wanted)) return wanted;
  const hashed = HASHED_MARKED.exec(tag);
  const location = MARKED.exec(wanted)?.[1];
  return hashed && location !== undefined && sha256Hex(location) === hashed[1]
    ? `${location}@${hashed[2]}=${hashed[3]}`
    : tag;
}
