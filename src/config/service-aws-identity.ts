/**
 * AWS_SERVICE_IDENTITY_TENANTS: which tenants' runs may call AWS as the service itself (the
 * worker's default credential chain) when they bring no `credentials.aws`. With API keys every
 * tenant brings its own credentials unless the operator lists it here (`*`: all of them): one
 * identity shared by tenants would let each reach the others' resources. Runs without a tenant
 * (no API_KEYS: one local operator) always may.
 */
export type ServiceAwsTenants = readonly string[] | '*';

export const mayUseServiceAwsIdentity = (allowed: ServiceAwsTenants, tenant: string | null): boolean =>
  tenant === null || allowed === '*' || allowed.includes(tenant);

/** Says why a tenant's run needs `credentials.aws`, naming the setting that would allow it otherwise. */
export const ownAwsCredentialsRequired = (tenant: string): string =>
  `is required: runs of tenant ${tenant} call AWS with their own credentials (the service's identity is only for tenants listed in AWS_SERVICE_IDENTITY_TENANTS)`;
