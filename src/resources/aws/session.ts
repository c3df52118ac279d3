/**
 * What every AWS operation starts with: the worker's client factory, the deployment's credentials
 * (the secret key and session token opened from their sealed form at the moment of use; without
 * `credentials.aws`, the worker's default credential chain, for runs without a tenant or of a
 * tenant the operator allows it: src/config/service-aws-identity.ts), and the region the call goes to:
 * the node's own region for regional types, the credentials' region (else us-east-1) for IAM.
 */
import { ownAwsCredentialsRequired } from '../../config/service-aws-identity';
import { DEFAULT_AWS_REGION } from '../../model/regions';
import type { AwsClients, AwsCredentials, AwsServiceClients } from '../../providers/aws';
import { OperationError } from '../../providers/operation-error';
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

export async function awsClients(ctx: OperationContext, region: string): Promise<AwsServiceClients> {
  const factory = ctx.clients.aws;
  if (!factory)
    throw new OperationError('unavailable', 'this worker has no AWS clients configured', { retryable: false });
  return factory.forRegion(region, await openCredentials(ctx, factory));
}
