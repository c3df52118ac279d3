/**
 * AWS clients for the worker: one factory, configured once (endpoint overrides for moto_server,
 * LocalStack or VPC endpoints), handing out Lambda, IAM, S3, tagging and STS clients per region and
 * credentials. Credentials are the deployment's own (opened from their sealed form by the
 * operation, at the moment of use) or, without them, the worker's default AWS credential chain.
 * Clients are cached per region and access key id; nothing here logs a key.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mayUseServiceAwsIdentity, type ServiceAwsTenants } from '../config/service-aws-identity';

export type AwsService = 'lambda' | 'iam' | 's3' | 'tagging' | 'sts';

export interface AwsClientOptions {
  /** AWS_ENDPOINT_URL: one endpoint for every service (moto_server, LocalStack). Unset: AWS itself. */
  readonly endpoint?: string | undefined;
  /** Per-service endpoints; they win over `endpoint`. */
  readonly endpoints?: Partial<Record<AwsService, string>> | undefined;
  /** Attempts per call inside the SDK (throttling and 5xx), before Temporal's own retry. Default 3. */
  readonly maxAttempts?: number | undefined;
  /** How many region/key client sets to keep (least recently used go first). Default 64. */
  readonly cacheSize?: number | undefined;
  /** AWS_SERVICE_IDENTITY_TENANTS: tenants whose runs may use the default chain. Default: none. */
  readonly serviceIdentityTenants?: ServiceAwsTenants | undefined;
}

/** Opened credentials. Held in memory only, by the clients that sign with them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsServiceClients {
  readonly lambda: LambdaClient;
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly sts: STSClient;
}

export interface AwsClients {
  /** Whether calls go to an endpoint override rather than AWS itself. */
  readonly customEndpoint: boolean;
  /** Clients for `region`, signing with `credentials`, or with the default chain when null. */
  forRegion(region: string, credentials: AwsCredentials | null): AwsServiceClients;
  /**
   * The account these credentials act in (STS GetCallerIdentity), asked once per access key (or
   * the default chain) and remembered; a failed ask is not remembered. Rejects as the SDK does.
   */
  accountOf(region: string, credentials: AwsCredentials | null): Promise<string>;
  /** Whether a run of this tenant (null: none) may use the default chain (service-aws-identity.ts). */
  allowsServiceIdentity(tenant: string | null): boolean;
}

interface CacheEntry {
  readonly credentials: AwsCredentials | null;
  readonly clients: AwsServiceClients;
}

const destroyAll = (clients: AwsServiceClients): void => {
  for (const client of [clients.lambda, clients.iam, clients.s3, clients.tagging, clients.sts]) client.destroy();
};

const sameCredentials = (a: AwsCredentials | null, b: AwsCredentials | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.accessKeyId === b.accessKeyId &&
    a.secretAccessKey === b.secretAccessKey &&
    a.sessionToken === b.sessionToken);

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const cache = new Map<string, CacheEntry>();
  const accounts = new Map<string, Promise<string>>();
  const cacheSize = options.cacheSize ?? 64;
  const endpointOf = (service: AwsService): string | undefined => options.endpoints?.[service] ?? options.endpoint;
  const customEndpoint =
    options.endpoint !== undefined || Object.values(options.endpoints ?? {}).some((e) => e !== undefined);

  const build = (region: string, credentials: AwsCredentials | null): AwsServiceClients => {
    const config = (service: AwsService) => {
      const endpoint = endpointOf(service);
      return {
        region,
        maxAttempts: options.maxAttempts ?? 3,
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(credentials === null ? {} : { credentials }),
      };
    };
    return {
      lambda: new LambdaClient(config('lambda')),
      iam: new IAMClient(config('iam')),
      // Custom endpoints (moto_server, LocalStack) serve buckets by path, not by virtual host.
      s3: new S3Client({ ...config('s3'), forcePathStyle: endpointOf('s3') !== undefined }),
      tagging: new ResourceGroupsTaggingAPIClient(config('tagging')),
      sts: new STSClient(config('sts')),
    };
  };

  const clients: AwsClients = {
    customEndpoint,
    allowsServiceIdentity: (tenant) => mayUseServiceAwsIdentity(options.serviceIdentityTenants ?? [], tenant),
    accountOf(region, credentials) {
      // An access key id belongs to one account for its whole life; the default chain is asked once per process.
      const key = credentials?.accessKeyId ?? 'default chain';
      const known = accounts.get(key);
      if (known) return known;
      const asked = clients
        .forRegion(region, credentials)
        .sts.send(new GetCallerIdentityCommand({}))
        .then(({ Account }) => {
          if (!Account) throw new Error('STS GetCallerIdentity named no account');
          return Account;
        });
      accounts.set(key, asked);
      asked.catch(() => accounts.delete(key));
      return asked;
    },
    forRegion(region, credentials) {
      const key = `${region}\u0000${credentials?.accessKeyId ?? 'default chain'}`;
      const hit = cache.get(key);
      cache.delete(key);
      if (hit && sameCredentials(hit.credentials, credentials)) {
        cache.set(key, hit);
        return hit.clients;
      }
      // In-flight calls of a replaced or evicted set finish; destroy only closes idle sockets.
      if (hit) destroyAll(hit.clients);
      const entry = { credentials, clients: build(region, credentials) };
      cache.set(key, entry);
      for (const [oldest, evicted] of cache) {
        if (cache.size <= cacheSize) break;
        cache.delete(oldest);
        destroyAll(evicted.clients);
      }
      return entry.clients;
    },
  };
  return clients;
}
