/**
 * With API keys, a tenant's run calls AWS with the tenant's own credentials: a run with AWS
 * resources and no `credentials.aws` is refused before it starts (400 naming the field), unless the
 * operator lets the tenant use the service's identity (AWS_SERVICE_IDENTITY_TENANTS). The worker
 * enforces the same rule on every AWS call (src/resources/aws/session.ts); this says it up front.
 */
import {
  mayUseServiceAwsIdentity,
  ownAwsCredentialsRequired,
  type ServiceAwsTenants,
} from '../../config/service-aws-identity';
import type { DeploymentInput, SealedCredentials } from '../../model/run-types';
import { resourceType } from '../../resources/registry';
import type { ApiContext } from '../context';
import { ValidationError } from '../errors/api-errors';

export interface AwsCaller {
  readonly tenant: string | null;
  readonly credentials: SealedCredentials | null;
}

/** Refuses a tenant's AWS calls without its own credentials, unless allowed; `uses` says what would call AWS. */
export function requireOwnAwsCredentials(allowed: ServiceAwsTenants, caller: AwsCaller, uses: string): void {
  const { tenant } = caller;
  if (tenant === null || caller.credentials?.aws || mayUseServiceAwsIdentity(allowed, tenant)) return;
  throw new ValidationError([{ path: 'credentials.aws', message: `${ownAwsCredentialsRequired(tenant)}; ${uses}` }]);
}

/** The run's AWS resources must be called with the tenant's own credentials (or the operator's leave). */
export function requireOwnAwsCredentialsFor(ctx: Pick<ApiContext, 'serviceAwsTenants'>, input: DeploymentInput): void {
  const aws = new Set(
    input.graph.nodes.filter((node) => resourceType(node.type).provider === 'aws').map((node) => node.resource_id),
  );
  if (aws.size > 0) requireOwnAwsCredentials(ctx.serviceAwsTenants, input, `AWS resources: ${[...aws].join(', ')}`);
}
