/**
 * AWS faults → OperationError (DESIGN.md §5), classified once by AWS's error code: each message
 * names the call, the resource and AWS's own words. SDK errors are read by shape (`name`,
 * `$metadata.httpStatusCode`), never passed on whole: their request data is not ours to forward.
 */
import { transportReason } from '../../providers/transport-reason';
import { OperationError, type ErrorType } from '../../providers/operation-error';

/** What the failed call was doing, for the message: `create the role` on `IAM role my-role`. */
export interface AwsCall {
  readonly action: string;
  readonly target: string;
}

interface AwsErrorShape {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { readonly httpStatusCode?: number | undefined } | undefined;
}

const isAwsError = (err: unknown): err is AwsErrorShape =>
  err instanceof Error && typeof (err as { $metadata?: unknown }).$metadata === 'object';

const statusOf = (err: AwsErrorShape): number => err.$metadata?.httpStatusCode ?? 0;

/** AWS codes arrive with and without the `Exception` suffix depending on the protocol. */
const codeOf = (err: AwsErrorShape): string => err.name.replace(/Exception$/, '');

const CODES: Readonly<Record<string, ErrorType>> = {
  AccessDenied: 'permission',
  UnauthorizedOperation: 'permission',
  AuthorizationError: 'permission',
  InvalidClientTokenId: 'auth',
  UnrecognizedClient: 'auth',
  SignatureDoesNotMatch: 'auth',
  InvalidAccessKeyId: 'auth',
  ExpiredToken: 'auth',
  InvalidToken: 'auth',
  Throttling: 'rate_limited',
  TooManyRequests: 'rate_limited',
  RequestLimitExceeded: 'rate_limited',
  SlowDown: 'rate_limited',
  ResourceConflict: 'unavailable',
  ConcurrentModification: 'unavailable',
  OperationAborted: 'unavailable',
  DeleteConflict: 'unavailable',
  ServiceFailure: 'unavailable',
  ServiceUnavailable: 'unavailable',
  Service: 'unavailable',
  InternalError: 'unavailable',
  Validation: 'invalid_input',
  InvalidParameterValue: 'invalid_input',
  InvalidParameterCombination: 'invalid_input',
  InvalidInput: 'invalid_input',
  InvalidArgument: 'invalid_input',
  InvalidRequestContent: 'invalid_input',
  MalformedPolicyDocument: 'invalid_input',
  MalformedXML: 'invalid_input',
  InvalidBucketName: 'invalid_input',
  CodeStorageExceeded: 'invalid_input',
  LimitExceeded: 'invalid_input',
  NoSuchEntity: 'not_found',
  ResourceNotFound: 'not_found',
  NoSuchBucket: 'not_found',
  NoSuchKey: 'not_found',
  NotFound: 'not_found',
  EntityAlreadyExists: 'conflict',
  BucketAlreadyExists: 'conflict',
  ResourceAlreadyExists: 'conflict',
};

/** Lambda right after a role is created: IAM has not propagated it yet. Retried, not a config error. */
const ROLE_NOT_YET_ASSUMABLE = /role defined for the function cannot be assumed|cannot be assumed by Lambda/i;

const HINTS: Partial<Record<ErrorType, string>> = {
  auth: "check credentials.aws (access key id and sealed secret) or the worker's AWS credentials",
  permission: 'grant the deploying identity this permission',
  rate_limited: 'retrying with backoff',
  unavailable: 'retrying with backoff',
};

export function awsError(err: unknown, call: AwsCall): OperationError {
  if (err instanceof OperationError) return err;
  const where = `${call.action} on ${call.target}`;
  if (!isAwsError(err)) {
    const why = transportReason(err);
    return new OperationError(
      'unavailable',
      `AWS could not be reached during ${where} (${why}): retrying with backoff`,
    );
  }
  const code = codeOf(err);
  const said = `${err.name}: ${err.message}`;
  if (ROLE_NOT_YET_ASSUMABLE.test(err.message)) {
    return new OperationError(
      'unavailable',
      `AWS refused ${where} (${said}): a role just created takes a few seconds to propagate; retrying`,
    );
  }
  const type =
    CODES[code] ??
    (statusOf(err) >= 500 || statusOf(err) === 0
      ? 'unavailable'
      : statusOf(err) === 403
        ? 'permission'
        : 'invalid_input');
  if (type === 'conflict')
    return new OperationError(
      'conflict',
      `${call.target} already exists and is not managed by this deployment (${said}): choose another name or remove it`,
    );
  const hint = HINTS[type];
  return new OperationError(type, `AWS refused ${where} (${said})${hint ? `: ${hint}` : ''}`);
}

export const isNotFound = (err: unknown): boolean =>
  isAwsError(err) && (CODES[codeOf(err)] === 'not_found' || statusOf(err) === 404);

/** Runs one AWS call, mapping its failure. */
export async function aws<T>(call: AwsCall, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw awsError(err, call);
  }
}

/** Runs a read where "not found" means absent: null instead of an error. */
export async function awsOrNull<T>(call: AwsCall, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (isNotFound(err)) return null;
    throw awsError(err, call);
  }
}
