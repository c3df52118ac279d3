/**
 * An `aws:lambda:function`'s code by content (lambda-code-identity.ts): the identity a plan or
 * verify compares, read now (an S3 object's version or ETag from HeadObject), the code an apply
 * deploys, pinned to the version it read, and the restore of a compensation, which puts back the
 * exact package the function ran before: the S3 object version it was deployed from, or the
 * unversioned object while its ETag is still the one deployed.
 */
import { type FunctionCode, type LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget } from '../resource-type';
import { aws, awsOrNull } from './errors';
import { type CodeProperties, codeOf, codeSource } from './lambda-code';
import { HASHED_SOURCE, identityOf, pinOf, type S3Pin } from './lambda-code-identity';
import { call, type LambdaFunctionProperties } from './lambda-function-state';
import { codeFrom, functionLabel as label, Pending, sourceOf } from './lambda-references';
import { realVersion } from './s3-object-state';

type Target = NodeTarget<LambdaFunctionProperties>;

/** The code an apply deploys: its identity (for the tag) and the code as Lambda's create and update take it. */
export interface WantedCode {
  readonly identity: string;
  readonly input: FunctionCode;
}

/** The most UpdateFunctionCode takes inline (ZipFile): larger packages go by S3 reference. */
const INLINE_MAX_BYTES = 50 * 1024 * 1024;

const etagOf = (head: HeadObjectCommandOutput): string => (head.ETag ?? '').replace(/"/g, '');

async function head(s3: S3Client, target: Target, pin: S3Pin): Promise<HeadObjectCommandOutput | null> {
  return awsOrNull(call(target, `read its code's S3 object ${identityOf(pin)}`), () =>
    s3.send(new HeadObjectCommand({ Bucket: pin.bucket, Key: pin.key, VersionId: pin.version ?? undefined })),
  );
}

/** The object at `s3://bucket/key` now, named by its version (a versioned bucket) or ETag; null when it is not there. */
async function objectNow(s3: S3Client, target: Target, code: CodeProperties): Promise<S3Pin | null> {
  const where = { bucket: code.code_s3_bucket ?? '', key: code.code_s3_key ?? '', version: null, etag: null };
  const got = await head(s3, target, where);
  if (!got) return null;
  const version = got.VersionId ?? null;
  return realVersion(version) ? { ...where, version } : { ...where, etag: etagOf(got) };
}

/** The identity a plan or verify wants: a pending reference's text, an inline zip's, an S3 object's now (shown as absent when it is). */
export async function wantedIdentity(s3: S3Client, target: Target, code: CodeProperties | Pending): Promise<string> {
  if (code instanceof Pending || code.zip_file !== undefined) return sourceOf(code);
  const now = await objectNow(s3, target, code);
  return now ? identityOf(now) : `${codeSource(code)} (no such object)`;
}

/** The code an apply deploys, an S3 object pinned to the version read now; one that is not there is an error naming it. */
export async function codeToDeploy(s3: S3Client, target: Target): Promise<WantedCode> {
  const code = codeFrom(target, 'write');
  if (code.zip_file !== undefined) return { identity: codeSource(code), input: codeOf(code) };
  const now = await objectNow(s3, target, code);
  if (!now)
    throw new OperationError('not_found', `${label(target)}: its code ${codeSource(code)} does not exist`, {
      retryable: false,
    });
  return {
    identity: identityOf(now),
    input: { ...codeOf(code), ...(now.version ? { S3ObjectVersion: now.version } : {}) },
  };
}

const bytesOf = async (s3: S3Client, target: Target, pin: S3Pin, etag: string | undefined): Promise<Uint8Array> => {
  const got = await aws(call(target, `read the previous code ${identityOf(pin)}`), () =>
    s3.send(
      new GetObjectCommand({ Bucket: pin.bucket, Key: pin.key, VersionId: pin.version ?? undefined, IfMatch: etag }),
    ),
  );
  if (!got.Body)
    throw new OperationError('unavailable', `${label(target)}: S3 answered no body for ${identityOf(pin)}`);
  return got.Body.transformToByteArray();
};

/**
 * Puts back the code an update's undo names (`code_previous`): inline, the bytes of the S3 object
 * version or unchanged ETag it was deployed from, so the function gets exactly them (a package over
 * Lambda's inline limit by reference to that version). Answers null once restored, else why it
 * cannot be: an inline zip and a source known by its hash alone cannot be fetched back, and an
 * object since deleted or overwritten in an unversioned bucket no longer holds it.
 */
export async function restoreCode(
  lambda: LambdaClient,
  s3: S3Client,
  target: Target,
  previous: unknown,
): Promise<string | null> {
  const pin = pinOf(previous);
  if (!pin)
    return typeof previous === 'string' && previous.startsWith(HASHED_SOURCE)
      ? `the previous code's S3 source was too long for a tag and is known by its hash alone (${previous})`
      : 'the previous code was an inline zip, which cannot be fetched back';
  const got = await head(s3, target, pin);
  if (!got || (pin.etag !== null && etagOf(got) !== pin.etag))
    return `the previous code's S3 object ${identityOf(pin)} no longer holds it`;
  const code =
    (got.ContentLength ?? 0) > INLINE_MAX_BYTES
      ? { S3Bucket: pin.bucket, S3Key: pin.key, S3ObjectVersion: pin.version ?? undefined }
      : { ZipFile: await bytesOf(s3, target, pin, got.ETag) };
  await aws(call(target, 'restore the code'), () =>
    lambda.send(new UpdateFunctionCodeCommand({ FunctionName: target.properties.function_name, ...code })),
  );
  return null;
}
