/**
 * AWS lifecycle over REST: a moto_server test bed, a real worker whose activities reach moto, and
 * the real app whose live plans and tag scans reach it too (the API's operations get the same
 * client factory and keyring). Started before a file's tests, stopped after them.
 */
import type { Client } from '@temporalio/client';
import { testApi } from '../../api/helpers/app';
import type { Http } from '../../api/helpers/http';
import { startTestWorker, testClient, type TestWorker } from '../../helpers/temporal';
import { startAwsBed, type AwsBed } from './aws-bed';

export interface AwsApi {
  readonly bed: AwsBed;
  readonly api: Http;
  readonly client: Client;
  readonly worker: TestWorker;
}

export function useAwsApi(): AwsApi {
  let state: (AwsApi & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const bed = await startAwsBed();
    const deps = { clients: { aws: bed.clients }, secrets: bed.keyring };
    const worker = await startTestWorker({ deps });
    const connected = await testClient();
    const api = testApi({ client: connected.client, taskQueue: worker.taskQueue, operations: deps });
    state = {
      bed, api, client: connected.client, worker,
      async close() {
        await worker.stop();
        await connected.close();
        await bed.finish();
      },
    };
  });
  afterAll(async () => {
    await state?.close();
  });
  const ready = (): AwsApi => {
    if (!state) throw new Error('the AWS test bed is not started yet: use it inside tests or hooks');
    return state;
  };
  return {
    get bed() { return ready().bed; },
    get api() { return ready().api; },
    get client() { return ready().client; },
    get worker() { return ready().worker; },
  };
}
