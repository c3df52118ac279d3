/**
 * Issue 22, undo that survives any crash: an update's pre-run state is read in a step of its own
 * (the type's `prepare`) whose result the workflow's history keeps before the first change, so a
 * rollback restores it however the apply was interrupted. On moto_server behind a loopback proxy
 * that holds the update's first write: an S3 bucket applied with tag stage=one is updated to
 * stage=two; the write is held (a) before it reaches S3, then the worker is SIGKILLed, (b) after
 * S3 made it, then the worker is SIGKILLed, (c) after S3 made it, until the attempt times out and
 * the node fails, then an operator retries it (a new activity, without the earlier attempt's
 * heartbeats). Each time a later node fails and the rollback must leave stage=one. Also an IAM
 * policy attachment of a role and a policy that both existed before the run, crash-retried:
 * compensation detaches exactly what this run attached; and the operator-retry case for an S3
 * object's new version and a Lambda function's configuration. Real workers, API and Temporal server.
 */
import { GetBucketTaggingCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { IncomingMessage } from 'node:http';
import { createAwsClients } from '../../src/providers/aws';
import { config, delay } from '../../support/deployments';
import { startTestWorker, temporalAddress, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { testApi } from '../api/helpers/app';
import type { Http } from '../api/helpers/http';
import { waitForRun, type RunView } from '../api/helpers/runs';
import { holdingProxy, type HoldingProxy } from '../helpers/holding-proxy';
import { startAwsBed, type AwsBed } from './helpers/aws-bed';

let bed: AwsBed;
let connected: Awaited<ReturnType<typeof testClient>>;
const workers: WorkerProcess[] = [];
const proxies: HoldingProxy[] = [];

beforeAll(async () => {
  bed = await startAwsBed();
  connected = await testClient();
});
afterAll(async () => {
  for (const worker of workers) await worker.kill();
  for (const proxy of proxies) await proxy.close();
  await connected.close();
  await bed.finish();
});

const RETRY = { max_attempts: 5, initial_interval: '100ms', max_interval: '500ms', backoff: 2 };

/** A bucket tagged stage=<stage>, and with `failAfter` a node after it that fails every attempt (then the run rolls back or halts). */
function bucketConfig(id: string, stage: string, failAfter: boolean, settings: Record<string, unknown>) {
  return {
    ...config(
      {
        bucket: { type: 'aws:s3:bucket', properties: { bucket_name: `${id}-b` }, tags: { stage } },
        ...(failAfter
          ? { after: delay({ fail_times: 10, fail_message: 'the release check failed' }, { depends_on: ['bucket'] }) }
          : {}),
      },
      settings,
      id,
    ),
    targets: [{ provider: 'aws', regions: ['us-east-1'] }],
  };
}

const stageOf = async (id: string): Promise<string | undefined> => {
  const tagging = await bed.clients
    .forRegion('us-east-1', null)
    .s3.send(new GetBucketTaggingCommand({ Bucket: `${id}-b` }));
  return tagging.TagSet?.find((t) => t.Key === 'stage')?.Value;
};

/** S3's PutBucketTagging (PUT /<bucket>/?tagging) of this bucket, once `armed` says so. */
const tagging = (id: string, armed: () => boolean) => (req: IncomingMessage) =>
  armed() && req.method === 'PUT' && new RegExp(`^/${id}-b/?\\?tagging`).test(req.url ?? '');

const ended = (run: RunView) => ['completed', 'failed', 'rolled_back', 'rollback_failed'].includes(run.status);

async function applied(api: Http, cfg: Record<string, unknown>): Promise<void> {
  const started = await api.post('/deploy/apply', { config: cfg });
  expect(started.status).toBe(202);
}

describe.each([
  ['before the change reaches S3', false],
  ['after S3 made the change', true],
])('a worker killed %s', (_, forward) => {
  it('leaves a rollback that restores the tags from before the run', async () => {
    const id = uniqueId('undo-kill');
    let armed = false;
    const proxy = await holdingProxy(bed.moto.endpoint, [tagging(id, () => armed)], { forward });
    proxies.push(proxy);
    const taskQueue = uniqueId('undo-kill');
    const env = { TEMPORAL_ADDRESS: temporalAddress(), TASK_QUEUE: taskQueue, AWS_ENDPOINT_URL: proxy.url };
    const first = spawnWorker(env);
    workers.push(first);
    await first.ready;
    const api = testApi({ client: connected.client, taskQueue });

    await applied(api, bucketConfig(id, 'one', false, { retry: RETRY }));
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed');
    expect(await stageOf(id)).toBe('one');

    armed = true;
    const settings = { on_failure: 'rollback', retry: RETRY, heartbeat_timeout: '2s' };
    await applied(api, bucketConfig(id, 'two', true, settings));
    await proxy.reached[0];
    await first.kill('SIGKILL');
    const second = spawnWorker(env);
    workers.push(second);
    await second.ready;

    const run = await waitForRun(api, `/deploy/status/${id}`, ended, undefined, 120_000);
    expect(run.status).toBe('rolled_back');
    const bucket = run.nodes.find((n) => n.resource_id === 'bucket');
    expect([bucket?.status, bucket?.attempts]).toEqual(['compensated', expect.any(Number)]);
    expect(bucket?.attempts).toBeGreaterThanOrEqual(2);
    expect(await stageOf(id)).toBe('one');
  });
});

describe('in one worker process', () => {
  let worker: TestWorker;
  let proxy: HoldingProxy;
  let api: Http;
  /** What the proxy holds next, as its hold number `index`: the bucket's tagging, the attachment (IAM's Action is in the body), the object's write, the function's configuration. */
  let hold: { readonly index: number; matches(req: IncomingMessage, body: string): boolean } | null = null;

  beforeAll(async () => {
    // Each test holds one request, with a hold of its own.
    const holding = (index: number) => (req: IncomingMessage, body: string) =>
      hold?.index === index && hold.matches(req, body);
    proxy = await holdingProxy(bed.moto.endpoint, [holding(0), holding(1), holding(2), holding(3)]);
    worker = await startTestWorker({
      deps: { clients: { aws: createAwsClients({ endpoint: proxy.url, maxAttempts: 1 }) }, secrets: bed.keyring },
    });
    api = testApi({ client: connected.client, taskQueue: worker.taskQueue });
  });
  afterAll(async () => {
    await proxy.close(); // the held calls end, so the worker can stop
    await worker.stop();
  });

  /** The operator's part: a retry of the failed update (a new activity), then, once the node after it failed, a rollback; the run as it ended. */
  async function retryThenRollBack(id: string): Promise<RunView> {
    expect((await api.post('/deploy/retry', { deployment_id: id })).status).toBe(200);
    await waitForRun(
      api,
      `/deploy/status/${id}`,
      (run) =>
        run.status === 'awaiting_decision' && run.nodes.some((n) => n.resource_id === 'after' && n.status === 'failed'),
    );
    expect((await api.post('/deploy/rollback', { deployment_id: id })).status).toBe(200);
    return waitForRun(api, `/deploy/status/${id}`, ended);
  }

  it('an operator retry of an update that changed the bucket and then failed keeps the tags from before the run', async () => {
    const id = uniqueId('undo-retry');
    await applied(api, bucketConfig(id, 'one', false, {}));
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed');

    // The write reaches S3, its answer never comes: the attempt times out and the node fails.
    hold = { index: 0, matches: tagging(id, () => true) };
    const halting = { on_failure: 'halt', node_timeout: '3s', retry: { ...RETRY, max_attempts: 1 } };
    await applied(api, bucketConfig(id, 'two', true, halting));
    await proxy.reached[0];
    hold = null;
    const failed = await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'awaiting_decision');
    expect(failed.nodes.find((n) => n.resource_id === 'bucket')?.status).toBe('failed');
    expect(await stageOf(id)).toBe('two');

    // The operator's retry is a new activity, without the failed attempt's heartbeats: it sees stage=two already there.
    const rolled = await retryThenRollBack(id);
    expect(rolled.nodes.find((n) => n.resource_id === 'bucket')?.status).toBe('compensated');
    expect(rolled.status).toBe('rolled_back');
    expect(await stageOf(id)).toBe('one');
  });

  it('a crash-retried attachment of a role and a policy that both existed before the run is detached by the rollback', async () => {
    const id = uniqueId('attach');
    const iam = bed.clients.forRegion('us-east-1', null).iam;
    const resources = {
      role: { type: 'aws:iam:role', properties: { role_name: `${id}-role` } },
      policy: {
        type: 'aws:iam:policy',
        properties: {
          policy_name: `${id}-policy`,
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
        },
      },
    };
    await applied(api, config(resources, {}, id));
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed');
    const attachedArns = async () =>
      ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: `${id}-role` }))).AttachedPolicies ?? []).map(
        (p) => p.PolicyArn,
      );
    expect(await attachedArns()).toEqual([]);

    // The first attach reaches IAM, its answer never comes: that attempt times out, and the retry finds it attached.
    hold = {
      index: 1,
      matches: (req, body) => req.method === 'POST' && body.includes('Action=AttachRolePolicy') && body.includes(id),
    };
    const cfg = config(
      {
        ...resources,
        attach: { type: 'aws:iam:policy:attach', references: { role: 'role.arn', policy: 'policy.arn' } },
        after: delay({ fail_times: 10, fail_message: 'the release check failed' }, { depends_on: ['attach'] }),
      },
      { on_failure: 'rollback', node_timeout: '3s', retry: { ...RETRY, max_attempts: 3 } },
      id,
    );
    await applied(api, cfg);
    await proxy.reached[1];
    hold = null;
    const run = await waitForRun(api, `/deploy/status/${id}`, ended, undefined, 120_000);
    expect(run.status).toBe('rolled_back');
    const attachNode = run.nodes.find((n) => n.resource_id === 'attach');
    expect(attachNode?.status).toBe('compensated');
    expect(attachNode?.attempts).toBeGreaterThanOrEqual(2);
    expect(await attachedArns()).toEqual([]);
  });

  it('an operator retry of an object overwrite that was written and then failed rolls back to the version from before the run', async () => {
    const id = uniqueId('undo-object');
    const objectConfig = (content: string, failAfter: boolean, settings: Record<string, unknown>) => ({
      ...config(
        {
          bucket: { type: 'aws:s3:bucket', properties: { bucket_name: `${id}-b`, versioning: true } },
          object: {
            type: 'aws:s3:object',
            properties: { key: 'app/config.json', content },
            references: { bucket: 'bucket.arn' },
          },
          ...(failAfter
            ? { after: delay({ fail_times: 10, fail_message: 'the release check failed' }, { depends_on: ['object'] }) }
            : {}),
        },
        settings,
        id,
      ),
      targets: [{ provider: 'aws', regions: ['us-east-1'] }],
    });
    const contentNow = async () => {
      const got = await bed.clients
        .forRegion('us-east-1', null)
        .s3.send(new GetObjectCommand({ Bucket: `${id}-b`, Key: 'app/config.json' }));
      return got.Body?.transformToString();
    };
    await applied(api, objectConfig('one', false, {}));
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed');
    expect(await contentNow()).toBe('one');

    // The new version reaches S3, the answer never comes: the node fails; the operator's retry finds "two" there.
    hold = {
      index: 2,
      matches: (req) =>
        req.method === 'PUT' && new RegExp(`^/${id}-b/app/config\\.json(\\?x-id=PutObject)?$`).test(req.url ?? ''),
    };
    const halting = { on_failure: 'halt', node_timeout: '3s', retry: { ...RETRY, max_attempts: 1 } };
    await applied(api, objectConfig('two', true, halting));
    await proxy.reached[2];
    hold = null;
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'awaiting_decision');
    expect(await contentNow()).toBe('two');
    const rolled = await retryThenRollBack(id);
    expect(rolled.status).toBe('rolled_back');
    expect(rolled.nodes.find((n) => n.resource_id === 'object')?.status).toBe('compensated');
    expect(await contentNow()).toBe('one');
  });

  it('an operator retry of a function update that was made and then failed rolls back to the configuration from before the run', async () => {
    const id = uniqueId('undo-fn');
    const fnConfig = (description: string, failAfter: boolean, settings: Record<string, unknown>) =>
      config(
        {
          role: { type: 'aws:iam:role', properties: { role_name: `${id}-role` } },
          fn: {
            type: 'aws:lambda:function',
            properties: {
              function_name: id,
              runtime: 'python3.12',
              handler: 'app.handler',
              description,
              zip_file: Buffer.from('PK-test-package').toString('base64'),
            },
            references: { role: 'role.arn' },
          },
          ...(failAfter
            ? { after: delay({ fail_times: 10, fail_message: 'the release check failed' }, { depends_on: ['fn'] }) }
            : {}),
        },
        { ...settings, node_timeout: '5s' },
        id,
      );
    const lambda = bed.clients.forRegion('us-east-1', null).lambda;
    const descriptionNow = async () =>
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: id }))).Description;
    const withRegion = (cfg: Record<string, unknown>) => ({
      ...cfg,
      targets: [{ provider: 'aws', regions: ['us-east-1'] }],
    });
    await applied(api, withRegion(fnConfig('first', false, {})));
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'completed');
    expect(await descriptionNow()).toBe('first');

    // The configuration update reaches Lambda, its answer never comes: the node fails; the retry finds "second" there.
    hold = {
      index: 3,
      matches: (req) => req.method === 'PUT' && (req.url ?? '').startsWith(`/2015-03-31/functions/${id}/configuration`),
    };
    const halting = { on_failure: 'halt', retry: { ...RETRY, max_attempts: 1 } };
    await applied(api, withRegion(fnConfig('second', true, halting)));
    await proxy.reached[3];
    hold = null;
    await waitForRun(api, `/deploy/status/${id}`, (run) => run.status === 'awaiting_decision');
    expect(await descriptionNow()).toBe('second');
    const rolled = await retryThenRollBack(id);
    expect(rolled.status).toBe('rolled_back');
    expect(await descriptionNow()).toBe('first');
  });
});
