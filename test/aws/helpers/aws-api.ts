/**
 * AWS lifecycle over REST: a moto_server test bed, a real worker whose activities reach moto, and
 * the real app whose live plans and tag scans reach it too (the API's operations get the same
 * client factory and keyring). With `github`, a GitHub surrogate beside it, reached the same way.
 * Started before a file's tests, stopped after them.
 */
import type { Client } from '@temporalio/client';
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
}

export function useAwsApi(options: { github?: boolean } = {}): AwsApi {
  let state: (Omit<AwsApi, 'surrogate'> & { surrogate: GitHubSurrogate | null; close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const bed = await startAwsBed();
    const surrogate = options.github ? await GitHubSurrogate.start({ seed: 6 }) : null;
    const github = surrogate
      ? { github: createGitHubClients({ baseUrl: surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 }) }
      : {};
    const deps = { clients: { aws: bed.clients, ...github }, secrets: bed.keyring };
    const worker = await startTestWorker({ deps });
    const connected = await testClient();
    const api = testApi({ client: connected.client, taskQueue: worker.taskQueue, operations: deps });
    state = {
      bed,
      api,
      client: connected.client,
      worker,
      surrogate,
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
    get surrogate() {
      const { surrogate } = ready();
      if (!surrogate) throw new Error('no GitHub surrogate: call useAwsApi({ github: true })');
      return surrogate;
    },
  };
}
