/**
 * The security promise, checked end to end: a deployment whose PAT and secret value are unique
 * canary strings is planned (live), applied, halted by a failing node, decided over REST and
 * finished, with a real worker process (`src/main-worker.ts`, as deployed) against the GitHub
 * surrogate. Afterwards no canary appears, plain, base64 (at any alignment, or inside a decoded
 * payload) or JSON-escaped, in the run's exported history (`temporal workflow show --output json`),
 * the worker's output, the API's logs, or any API response of the run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import type { Response } from 'supertest';
import { createGitHubClients } from '../../src/providers/github';
import { ServiceKey } from '../../src/credentials/service-key';
import { sealTo } from '../../src/credentials/sealed-box';
import { resolveTemporalCli } from '../../src/runtime/temporal-cli';
import { testApi } from '../api/helpers/app';
import type { Http } from '../api/helpers/http';
import { finished, waitForRun } from '../api/helpers/runs';
import { config } from '../../support/deployments';
import { leaks } from '../helpers/leaks';
import { temporalAddress, testClient, uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { GitHubSurrogate } from '../surrogates/github/server';
import type { Repository } from '../surrogates/github/state';

const CANARY_PAT = `ghp_canaryPAT${uniqueId('x').replace('-', '')}`;
const CANARY_VALUE = `canary-secret-value-${uniqueId('v')}`;
/** A PAT pasted with a line break and a NUL: HTTP clients quote such a header value whole in their errors. */
const CANARY_CONTROL_PAT = `ghp_canaryCtrl${uniqueId('c').replace('-', '')}`;
const CANARIES = { pat: CANARY_PAT, value: CANARY_VALUE, controlPat: CANARY_CONTROL_PAT };

let dir: string;
let keyring: ServiceKey;
let surrogate: GitHubSurrogate;
let repo: Repository;
let worker: WorkerProcess;
let temporal: Awaited<ReturnType<typeof testClient>>;
let api: Http;
const taskQueue = uniqueId('canary');
const apiLogs: string[] = [];
const responses: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'canary-'));
  keyring = await ServiceKey.load({ dataDir: dir });
  surrogate = await GitHubSurrogate.start({ seed: 7 });
  const account = surrogate.addAccount('canary-user', { token: CANARY_PAT, scopes: ['repo'] });
  repo = surrogate.addRepo(account, 'app');
  worker = spawnWorker({
    TEMPORAL_ADDRESS: temporalAddress(),
    TASK_QUEUE: taskQueue,
    DATA_DIR: dir,
    GITHUB_API_URL: surrogate.url,
    LOG_LEVEL: 'debug',
  });
  await worker.ready;
  temporal = await testClient();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      apiLogs.push(chunk.toString());
      done();
    },
  });
  api = testApi({
    client: temporal.client,
    taskQueue,
    logger: pino({ level: 'trace' }, sink),
    operations: {
      clients: { github: createGitHubClients({ baseUrl: surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 }) },
      secrets: keyring,
    },
  });
}, 60_000);

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await temporal?.close();
  await surrogate?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Calls the API and keeps the raw response text for the scan. */
async function call(response: Promise<Response>): Promise<Response> {
  const done = await response;
  responses.push(done.text);
  return done;
}

const found = (where: string, text: string): string[] => leaks(CANARIES, where, text);

/** The run's history as `temporal workflow show --output json` exports it. */
async function exportedHistory(deploymentId: string): Promise<string> {
  const exported = await promisify(execFile)(
    resolveTemporalCli(),
    ['workflow', 'show', '--workflow-id', `deploy-${deploymentId}`, '--output', 'json', '--address', temporalAddress()],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return exported.stdout;
}

/** Every canary found in the run's history, the worker's output, the API's logs and its responses. */
const leaksEverywhere = (history: string): string[] => [
  ...found('the exported history', history),
  ...found("the worker's output", worker.output()),
  ...found("the API's logs", apiLogs.join('\n')),
  ...found('API responses', responses.join('\n')),
];

it('never shows the PAT or a secret value in history, logs or API responses', async () => {
  const deploymentId = uniqueId('canary');
  const secret = async (repo: string, name: string) => ({
    type: 'github:secret:repo',
    properties: {
      owner: 'canary-user',
      repo,
      secret_name: name,
      encrypted_value: await sealTo(keyring.publicKey, CANARY_VALUE),
    },
  });
  const cfg = {
    ...config({ good: await secret('app', 'API_KEY'), bad: await secret('no-such-repo', 'API_KEY') }, {}, deploymentId),
    targets: [{ provider: 'github' }],
    credentials: { github: { encrypted_pat: await sealTo(keyring.publicKey, CANARY_PAT) } },
  };

  const plan = await call(api.post('/deploy/plan', { config: cfg }));
  expect([plan.status, plan.body.live]).toEqual([200, true]);
  expect((await call(api.post('/deploy/apply', { config: cfg }))).status).toBe(202);
  const halted = await waitForRun(api, `/deploy/status/${deploymentId}`, (run) => run.status === 'awaiting_decision');
  expect(halted.nodes.map((n) => [n.resource_id, n.status]).sort()).toEqual([
    ['bad', 'failed'],
    ['good', 'completed'],
  ]);
  expect((await call(api.post('/deploy/skip', { deployment_id: deploymentId }))).status).toBe(200);
  const done = await waitForRun(api, `/deploy/status/${deploymentId}`, finished);
  expect(done.status).toBe('completed');
  // The value arrived, sealed to the repository's key, and opens to the canary there.
  expect(surrogate.secretValue(repo, 'API_KEY')).toBe(CANARY_VALUE);
  surrogate.expectNoViolations();

  for (const path of [
    `/deploy/status/${deploymentId}`,
    `/deploy/logs/${deploymentId}`,
    `/deploy/history/${deploymentId}`,
    `/deploy/events/${deploymentId}`,
    '/deploy/list',
  ]) {
    expect((await call(api.get(path))).status).toBe(200);
  }
  const history = await exportedHistory(deploymentId);
  expect(history).toContain('EVENT_TYPE_ACTIVITY_TASK_COMPLETED');
  expect(leaksEverywhere(history)).toEqual([]);
  // The scan itself finds a canary where there is one.
  expect(
    found('a planted line', `{"data":"${Buffer.from(`{"pat":"${CANARY_PAT}"}`).toString('base64')}"}`),
  ).not.toEqual([]);
}, 120_000);

it('refuses a credential holding control characters by naming its field, and never echoes it', async () => {
  const deploymentId = uniqueId('canary-ctrl');
  const cfg = {
    ...config(
      {
        s: {
          type: 'github:secret:repo',
          properties: {
            owner: 'canary-user',
            repo: 'app',
            secret_name: 'CTRL',
            encrypted_value: await sealTo(keyring.publicKey, 'v'),
          },
        },
      },
      { on_failure: 'rollback' },
      deploymentId,
    ),
    targets: [{ provider: 'github' }],
    credentials: {
      github: { encrypted_pat: await sealTo(keyring.publicKey, `${CANARY_CONTROL_PAT}\r\nX-Injected: 1\u0000`) },
    },
  };
  const plan = await call(api.post('/deploy/plan', { config: cfg }));
  expect(plan.status).toBe(200);
  expect(JSON.stringify(plan.body.nodes)).toContain(
    'credentials.github.encrypted_pat is malformed: it holds a control character',
  );
  expect((await call(api.post('/deploy/apply', { config: cfg }))).status).toBe(202);
  const done = await waitForRun(api, `/deploy/status/${deploymentId}`, finished);
  const status = await call(api.get(`/deploy/status/${deploymentId}`));
  expect(status.body.nodes).toEqual([
    expect.objectContaining({ resource_id: 's', status: 'failed', attempts: 1, error_type: 'invalid_input' }),
  ]);
  expect(status.body.nodes[0].error).toContain('credentials.github.encrypted_pat is malformed');
  expect(done.status).not.toBe('completed');
  await call(api.get(`/deploy/logs/${deploymentId}`));
  expect(leaksEverywhere(await exportedHistory(deploymentId))).toEqual([]);
}, 120_000);
