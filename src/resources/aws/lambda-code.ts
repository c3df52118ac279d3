/**
 * What Lambda functions and layers share in their properties: the runtime enum, and the code,
 * given either from S3 (`code_s3_bucket` + `code_s3_key`) or as an inline base64 zip
 * (`zip_file`), exactly one of them (a function may instead take it from a reference, which its
 * properties cannot see). The code's source, as layers record it, is `s3://<bucket>/<key>` or
 * `sha256:<base64>` of the zip (the form of Lambda's CodeSha256); a function names S3 code by its
 * content too (lambda-code-identity.ts).
 */
import { createHash } from 'node:crypto';
import { Runtime } from '@aws-sdk/client-lambda';
import { z } from 'zod';

export const runtimeSchema = z.enum(Runtime, { error: 'must be a Lambda runtime such as python3.12 or nodejs20.x' });

export const codeFields = {
  code_s3_bucket: z.string().min(3).max(63).optional(),
  code_s3_key: z.string().min(1).max(1024).optional(),
  /** The package, a zip file, base64-encoded (at most 50 MB decoded). */
  zip_file: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be a base64-encoded zip file')
    .optional(),
};

export interface CodeProperties {
  readonly code_s3_bucket?: string | undefined;
  readonly code_s3_key?: string | undefined;
  readonly zip_file?: string | undefined;
}

/**
 * The schemas' refinement: both S3 fields or the zip, not both ways; and one of them unless
 * `orReference` (the code may then come from a reference, which the operations check).
 */
export function checkCode(p: CodeProperties, ctx: z.RefinementCtx, { orReference = false } = {}): void {
  const s3 = p.code_s3_bucket !== undefined || p.code_s3_key !== undefined;
  if (s3 && (p.code_s3_bucket === undefined || p.code_s3_key === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [p.code_s3_bucket === undefined ? 'code_s3_bucket' : 'code_s3_key'],
      message: 'code from S3 needs both code_s3_bucket and code_s3_key',
    });
  }
  const zip = p.zip_file !== undefined;
  if (s3 && zip)
    ctx.addIssue({
      code: 'custom',
      path: ['zip_file'],
      message: 'give the code either as code_s3_bucket and code_s3_key or as zip_file, not both',
    });
  if (!s3 && !zip && !orReference)
    ctx.addIssue({
      code: 'custom',
      path: ['zip_file'],
      message: 'give the code either as code_s3_bucket and code_s3_key or as zip_file',
    });
}

export const zipOf = (p: CodeProperties): Buffer | null =>
  p.zip_file === undefined ? null : Buffer.from(p.zip_file, 'base64');

/** How the source of an inline zip starts. */
export const ZIP_SOURCE = 'sha256:';

/** The code's source: `sha256:<base64>` of the zip, else `s3://bucket/key`. */
export function codeSource(p: CodeProperties): string {
  const zip = zipOf(p);
  return zip
    ? `${ZIP_SOURCE}${createHash('sha256').update(zip).digest('base64')}`
    : `s3://${p.code_s3_bucket}/${p.code_s3_key}`;
}

/** The code as Lambda's create/update/publish calls take it. */
export function codeOf(
  p: CodeProperties,
): { ZipFile: Buffer } | { S3Bucket: string | undefined; S3Key: string | undefined } {
  const zip = zipOf(p);
  return zip ? { ZipFile: zip } : { S3Bucket: p.code_s3_bucket, S3Key: p.code_s3_key };
}

/**
 * `s3://bucket/key`, or an S3 object's ARN `arn:aws:s3:::bucket/key` (what a reference to an
 * aws:s3:object resolves to) → its parts; null for anything else (an inline zip's hash, a bucket, nothing).
 */
export function s3Location(source: unknown): { readonly bucket: string; readonly key: string } | null {
  const match = typeof source === 'string' ? /^(?:s3:\/\/|arn:aws[a-z-]*:s3:::)([^/]+)\/(.+)$/s.exec(source) : null;
  return match?.[1] !== undefined && match[2] !== undefined ? { bucket: match[1], key: match[2] } : null;
}

/** An empty zip: a found resource's code when it came inline (its delete needs only the name). */
const EMPTY_ZIP = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';

/** Code properties a tag scan's find can give, from its recorded source: the S3 location, else an empty zip. */
export function foundCode(source: string | undefined): CodeProperties {
  const s3 = s3Location(source);
  return s3 ? { code_s3_bucket: s3.bucket, code_s3_key: s3.key } : { zip_file: EMPTY_ZIP };
}
