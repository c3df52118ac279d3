/**
 * A worker killed during a Lambda create (acceptance 3). A loopback proxy in front of moto_server
 * lets the first CreateFunction reach moto (the function exists) but holds its answer, then the
 * worker process is SIGKILLed: the activity never learns it created the function. A new worker
 * picks the retried node up; apply finds the function tagged by this run and adopts it.
 */
import { ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import type { Client } from '@temporalio/client';
import { config, node, result, start } from '../../support/deployments';
import { temporalAddress, testClient, uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { holdingProxy } from '../helpers/holding-proxy';
import { startAwsBed, type AwsBed } from './helpers/aws-bed';

const withRegions = (regions: string[], cfg: Record<string, unknown>) => ({
  ...cfg,
  targets: [{ provider: 'aws', regions }],
});

let bed: AwsBed;
let connected: Awaited<ReturnType<typeof testClient>>;
let client: Client;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  bed = await startAwsBed();
  connected = await testClient();
  client = connected.client;
});
afterAll(async () => {
  for (const worker of workers) await worker.kill();
  await connected.close();
  await bed.finish();
});

it('completes with exactly one function after the worker dies mid-create', async () => {
  // The first CreateFunction reaches moto (the function exists); its answer is held back.
  const proxy = await holdingProxy(bed.moto.endpoint, [
    (req) => req.method === 'POST' && /\/functions\/?$/.test(req.url ?? ''),
  ]);
  const endpoint = proxy.url;
  const taskQueue = uniqueId('kill-lambda');
  const env = { TEMPORAL_ADDRESS: temporalAddress(), TASK_QUEUE: taskQueue, AWS_ENDPOINT_URL: endpoint };
  try {
    const first = spawnWorker(env);
    workers.push(first);
    await first.ready;
    const name = uniqueId('fn');
    const cfg = withRegions(
      ['us-east-1'],
      config(
        {
          'exec-role': { type: 'aws:iam:role', properties: { role_name: `${name}-role` } },
          api: {
            type: 'aws:lambda:function',
            properties: {
              function_name: name,
              runtime: 'python3.12',
              handler: 'app.handler',
              zip_file: Buffer.from('PK-test-package').toString('base64'),
            },
            references: { role: 'exec-role.arn' },
          },
        },
        {
          retry: { max_attempts: 5, initial_interval: '100ms', max_interval: '500ms', backoff: 2 },
          heartbeat_timeout: '3s',
        },
      ),
    );
    const handle = await start(client, taskQueue, cfg);

    await proxy.reached[0];
    await first.kill('SIGKILL');
    const second = spawnWorker(env);
    workers.push(second);
    await second.ready;

    const final = await result(handle);
    expect(final.status).toBe('completed');
    const api = node(final, 'api', 'us-east-1');
    expect(api.attempts).toBeGreaterThanOrEqual(2);
    const lambda = bed.clients.forRegion('us-east-1', null).lambda;
    const functions =
      (await lambda.send(new ListFunctionsCommand({}))).Functions?.filter((f) => f.FunctionName?.startsWith(name)) ??
      [];
    expect(functions.map((f) => f.FunctionName)).toEqual([name]);
    expect(api.outputs?.['arn']).toBe(functions[0]?.FunctionArn);
    const tags = (await lambda.send(new ListTagsCommand({ Resource: functions[0]?.FunctionArn }))).Tags ?? {};
    expect(tags['mgraph:node-id']).toBe(api.node_id);
  } finally {
    await proxy.close();
  }
});
