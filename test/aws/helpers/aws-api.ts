/**
 * AWS lifecycle over REST: a moto_server test bed, a real worker whose activities reach moto, and
 * the real app whose live plans and tag scans reach it too (the API's operations get the same
 * client factory and keyring). With `github`, a GitHub surrogate beside it, reached the same way.
 * Started before a file's tests, stopped after them.
 */
import type { Client } from '@temporalio/client';
import type { ApiKey } from '../../../src/config/api-keys';
import type { ServiceAwsTenants } from '../../../src/config/service-aws-identity';
import { createAwsClients } from '../../../src/providers/aws';
import { createGitHubClients } from '../../../src/providers/github';
import { testApi } from '../../api/helpers/app';
import type { Http } from '../../api/helpers/http';
import { startTestWorker, testClient, type TestWorker } from '../../../support/temporal';
import { GitHubSurrogate } from '../../surrogates/github/server';
import { startAwsBed, type AwsBed } from './aws-bed';

export interface AwsApi {
  readonly bed: AwsBed;
  readonly api: Http;
  readonly client: Client;
  readonly worker: TestWorker;
  /** Only with `github: true`. */
  readonly surrogate: GitHubSurrogate;
  /** Another app on the same worker, Temporal and keys, with other API settings. */
  apiWith(settings: { readonly serviceAwsTenants: ServiceAwsTenants }): Http;
}

export interface AwsApiOptions {
  readonly github?: boolean;
  /** API keys of tenants (test/api/helpers/app.ts API_KEYS); default none: one local operator. */
  readonly keys?: ApiKey[];
  /** AWS_SERVICE_IDENTITY_TENANTS of the worker and the API (default: none). */
  readonly serviceAwsTenants?: ServiceAwsTenants;
}

export function useAwsApi(options: AwsApiOptions = {}): AwsApi {
  let state: (Omit<AwsApi, 'surrogate'> & { surrogate: GitHubSurrogate | null; close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const bed = await startAwsBed();
    const surrogate = options.github ? await GitHubSurrogate.start({ seed: 6 }) : null;
    const github = surrogate
      ? { github: createGitHubClients({ baseUrl: surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 }) }
      : {};
    const aws = options.serviceAwsTenants
      ? createAwsClients({
          endpoint: bed.moto.endpoint,
          maxAttempts: 1,
          serviceIdentityTenants: options.serviceAwsTenants,
        })
      : bed.clients;
    const deps = { clients: { aws, ...github }, secrets: bed.keyring };
    const worker = await startTestWorker({ deps });
    const connected = await testClient();
    const apiWith = (settings: { readonly serviceAwsTenants?: ServiceAwsTenants | undefined }): Http =>
      testApi({
        client: connected.client,
        taskQueue: worker.taskQueue,
        operations: deps,
        keys: options.keys,
        ...(settings.serviceAwsTenants ? { serviceAwsTenants: settings.serviceAwsTenants } : {}),
      });
    const api = apiWith(options);
    state = {
      bed,
      api,
      client: connected.client,
      worker,
      surrogate,
      apiWith,
      async close() {
        await worker.stop();
        await connected.close();
        await surrogate?.close();
        await bed.finish();
        surrogate?.expectNoViolations();
      },
    };
  });
  afterAll(async () => {
    await state?.close();
  });
  const ready = (): NonNullable<typeof state> => {
    if (!state) throw new Error('the AWS test bed is not started yet: use it inside tests or hooks');
    return state;
  };
  return {
    get bed() {
      return ready().bed;
    },
    get api() {
      return ready().api;
    },
    get client() {
      return ready().client;
    },
    get worker() {
      return ready().worker;
    },
    apiWith: (settings) => ready().apiWith(settings),
    get surrogate() {
      const { surrogate } = ready();
      if (!surrogate) throw new Error('no GitHub surrogate: call useAwsApi({ github: true })');
      return surrogate;
    },
  };
}
