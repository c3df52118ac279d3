/** Apps for tests: the real createApp with API keys of two tenants, a quiet logger, a fixed service key. */
import type { Client } from '@temporalio/client';
import { ServiceError } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import type { OperationDeps } from '../../../src/activities/operation-context';
import { createApp, type Limits } from '../../../src/api/app';
import type { GitHubHealthCheck } from '../../../src/api/services/github-health';
import type { LivePlanOptions } from '../../../src/api/services/live-plan';
import type { ApiKey } from '../../../src/config/api-keys';
import type { ServiceAwsTenants } from '../../../src/config/service-aws-identity';
import type { ServiceKey } from '../../../src/credentials/service-key';
import { Http } from './http';

export const KEYS = {
  aRead: 'a-read-key-0123456789abcdef',
  aOperate: 'a-operate-key-0123456789abcdef',
  aAdmin: 'a-admin-key-0123456789abcdef',
  bOperate: 'b-operate-key-0123456789abcdef',
  bAdmin: 'b-admin-key-0123456789abcdef',
} as const;

export const API_KEYS: ApiKey[] = [
  { key: KEYS.aRead, tenant: 'tenant-a', role: 'read' },
  { key: KEYS.aOperate, tenant: 'tenant-a', role: 'operate' },
  { key: KEYS.aAdmin, tenant: 'tenant-a', role: 'admin' },
  { key: KEYS.bOperate, tenant: 'tenant-b', role: 'operate' },
  { key: KEYS.bAdmin, tenant: 'tenant-b', role: 'admin' },
];

export interface TestAppOptions {
  readonly client: Client | (() => Client);
  readonly taskQueue?: string;
  readonly keys?: ApiKey[] | undefined;
  readonly limits?: Partial<Limits>;
  readonly logger?: Logger;
  /** Provider clients and keyring for live plans. */
  readonly operations?: OperationDeps;
  readonly livePlan?: Partial<LivePlanOptions>;
  /** GET /health's GitHub token check. */
  readonly githubHealth?: GitHubHealthCheck;
  /** Move and import deployment records at start, as the real API does. */
  readonly importRecords?: boolean;
  /** AWS_SERVICE_IDENTITY_TENANTS (default: none). */
  readonly serviceAwsTenants?: ServiceAwsTenants;
  /** TEMPLATES_DIR: the operator's own templates (default: only the built-in ones). */
  readonly templatesDir?: string;
  /** The published service key (GET /keys/public; default: a fixed stand-in that seals nothing). */
  readonly serviceKeys?: Pick<ServiceKey, 'publicKey' | 'keyId'>;
}

export function testApi(options: TestAppOptions): Http {
  return new Http(
    createApp({
      client: options.client,
      taskQueue: options.taskQueue ?? 'unused',
      namespace: 'default',
      env: {
        API_KEYS: options.keys,
        AWS_SERVICE_IDENTITY_TENANTS: options.serviceAwsTenants,
        TEMPLATES_DIR: options.templatesDir,
      },
      logger: options.logger ?? pino({ level: 'silent' }),
      uiBaseUrl: 'http://127.0.0.1:8233',
      serviceKeys: options.serviceKeys ?? { publicKey: 'cHVibGlj', keyId: '0123456789abcdef' },
      limits: options.limits,
      eventPollMs: 100,
      operations: options.operations,
      livePlan: options.livePlan,
      githubHealth: options.githubHealth,
      importRecords: options.importRecords,
    }),
  );
}

/** A client whose every call fails as when Temporal is down (gRPC UNAVAILABLE). */
export function unreachableClient(): Client {
  const fail = (): never => {
    throw new ServiceError('connection refused', {
      cause: Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
        code: 14,
        details: '',
        metadata: {},
      }),
    });
  };
  const proxy: unknown = new Proxy(function unreachable() {}, {
    get: (_t, prop) => (prop === 'then' ? undefined : proxy),
    apply: fail,
  });
  return proxy as Client;
}
