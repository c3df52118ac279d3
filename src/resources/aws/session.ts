/**
 * What every AWS operation starts with: the worker's client factory, the deployment's credentials
 * (the secret key and session token opened from their sealed form at the moment of use; without
 * `credentials.aws`, the worker's default credential chain, for runs without a tenant or of a
 * tenant the operator allows it: src/config/service-aws-identity.ts), and the region the call goes to:
 * the node's own region for regional types, the credentials' region (else us-east-1) for IAM.
 * With `credentials.aws.account_id`, the credentials must act in that account (STS, asked once per
 * key): otherwise nothing is called, in a plan or a run. Either way a node's status names the
 * account its apply acted in.
 */
import { ownAwsCredentialsRequired } from '../../config/service-aws-identity';
import { DEFAULT_AWS_REGION } from '../../model/regions';
import type { AwsClients, AwsCredentials, AwsServiceClients } from '../../providers/aws';
import { OperationError } from '../../providers/operation-error';
import { aws } from './errors';
import { openCredential } from '../open-field';
import type { NodeTarget, OperationContext } from '../resource-type';

/** Without credentials.aws a run calls AWS as the service, which only the operator's listed tenants may. */
async function requireServiceIdentity(ctx: OperationContext, clients: AwsClients): Promise<void> {
  const tenant = (await ctx.tenant?.()) ?? null;
  if (tenant !== null && !clients.allowsServiceIdentity(tenant))
    throw new OperationError('invalid_input', `credentials.aws ${ownAwsCredentialsRequired(tenant)}`, {
      retryable: false,
    });
}

async function openCredentials(ctx: OperationContext, clients: AwsClients): Promise<AwsCredentials | null> {
  const sealed = ctx.credentials?.aws;
  if (!sealed) {
    await requireServiceIdentity(ctx, clients);
    return null;
  }
  const secretAccessKey = await openCredential(ctx, sealed.encrypted_secret_access_key, {
    field: 'credentials.aws.encrypted_secret_access_key',
    purpose: 'aws_secret_access_key',
  });
  const token = sealed.encrypted_session_token;
  const sessionToken = token
    ? await openCredential(ctx, token, {
        field: 'credentials.aws.encrypted_session_token',
        purpose: 'aws_session_token',
      })
    : undefined;
  return {
    accessKeyId: sealed.access_key_id,
    secretAccessKey,
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
}

/** Where a node's calls go: its own region, else the credentials' region, else us-east-1. */
export function regionOf(ctx: OperationContext, target: NodeTarget<unknown> | null): string {
  return target?.node.region ?? ctx.credentials?.aws?.region ?? DEFAULT_AWS_REGION;
}

/** With credentials.aws.account_id, refuses credentials of any other account before any call that changes something. */
async function checkAccount(
  ctx: OperationContext,
  factory: AwsClients,
  region: string,
  credentials: AwsCredentials | null,
) {
  const expected = ctx.credentials?.aws?.account_id;
  if (expected === undefined) return;
  const actual = await aws(
    { action: 'ask which account the credentials are of (STS GetCallerIdentity)', target: 'AWS' },
    () => factory.accountOf(region, credentials),
  );
  if (actual !== expected)
    throw new OperationError(
      'permission',
      `credentials.aws.account_id is ${expected} but the credentials act in account ${actual}: nothing was called there`,
      { retryable: false },
    );
}

/** Tells the node which account it acts in; without account_id only where someone notes it, and never failing the node. */
async function noteAccount(
  ctx: OperationContext,
  factory: AwsClients,
  region: string,
  credentials: AwsCredentials | null,
) {
  if (!ctx.noteAwsAccount) return;
  const account = await factory.accountOf(region, credentials).catch(() => null);
  if (account !== null) ctx.noteAwsAccount(account);
}

export async function awsClients(ctx: OperationContext, region: string): Promise<AwsServiceClients> {
  const factory = ctx.clients.aws;
  if (!factory)
    throw new OperationError('unavailable', 'this worker has no AWS clients configured', { retryable: false });
  const credentials = await openCredentials(ctx, factory);
  await checkAccount(ctx, factory, region, credentials);
  await noteAccount(ctx, factory, region, credentials);
  return factory.forRegion(region, credentials);
}
