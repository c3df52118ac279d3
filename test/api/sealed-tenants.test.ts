/**
 * Sealed values bound to a tenant and a purpose, over the API with two tenants (issue 23 finding
 * 3): a value sealed for tenant A opens neither in B's live plans nor in B's runs, a value sealed
 * for one purpose not in another field, and A's own values work. A real Temporal server and
 * worker, the GitHub surrogate and a Slack webhook stand-in; one service key, as in production.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { createGitHubClients } from '../../src/providers/github';
import type { SealedPurpose } from '../../src/credentials/sealed-envelope';
import { config } from '../../support/deployments';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { startTestBed, type TestBed } from '../github/helpers/test-bed';
import type { Repository } from '../surrogates/github/state';
import { API_KEYS, KEYS, testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';
import { LOOPBACK_OUTBOUND } from '../helpers/loopback-outbound';

const A = 'tenant-a';
const B = 'tenant-b';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvA-tenant-a-canary\n-----END PRIVATE KEY-----';

let bed: TestBed;
let repo: Repository;
let worker: TestWorker;
let temporal: { client: Client; close(): Promise<void> };
let api: Http;
let slack: Server;
let webhookUrl: string;
const posts: string[] = [];

beforeAll(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'my-app');
  slack = createServer((req, res) => {
    posts.push(req.url ?? '');
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/tenant-a-hook-canary`;
  const github = createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 });
  const operations = { clients: { github, outbound: LOOPBACK_OUTBOUND }, secrets: bed.keyring };
  worker = await startTestWorker({ deps: operations });
  temporal = await testClient();
  api = testApi({
    client: temporal.client,
    taskQueue: worker.taskQueue,
    keys: API_KEYS,
    operations,
    livePlan: { timeoutMs: 5_000 },
  });
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await new Promise((resolve) => slack?.close(resolve));
  await bed?.finish();
});

const sealFor = (tenant: string, purpose: SealedPurpose, value: string) => bed.seal(value, { tenant, purpose });

function githubConfig(pat: string, secrets: Record<string, string>): Record<string, unknown> {
  const resources = Object.fromEntries(
    Object.entries(secrets).map(([id, sealed]) => [
      id,
      {
        type: 'github:secret:repo',
        properties: { owner: 'octo-user', repo: 'my-app', secret_name: id.toUpperCase(), encrypted_value: sealed },
      },
    ]),
  );
  return {
    ...config(resources, { on_failure: 'continue' }, uniqueId('sealed')),
    targets: [{ provider: 'github' }],
    credentials: { github: { encrypted_pat: pat } },
  };
}

function slackConfig(webhook: string): Record<string, unknown> {
  return {
    ...config({ announce: { type: 'slack:message', properties: { text: 'released' } } }, { on_failure: 'continue' }),
    credentials: { slack: { encrypted_webhook_url: webhook } },
  };
}

interface NodeView {
  resource_id: string;
  status: string;
  error: string | null;
  error_type: string | null;
}
type PlanNode = {
  resource_id: string;
  live: boolean;
  action: string;
  live_error: { type: string; message: string } | null;
};

const liveErrors = (body: { nodes: PlanNode[] }) =>
  Object.fromEntries(body.nodes.map((node) => [node.resource_id, node.live_error]));

/**
 * Applies `cfg` with `key` and waits until every node has run; a run left waiting for a decision
 * on its failed nodes is aborted. Its nodes by resource id.
 */
async function applied(cfg: Record<string, unknown>, key: string): Promise<Record<string, NodeView>> {
  const id = String(cfg['deployment_id']);
  const started = await api.post('/deploy/apply', { config: cfg }, { key });
  expect(started.status).toBe(202);
  const run = await waitForRun(
    api,
    `/deploy/status/${id}`,
    (r) => finished(r) || r.status === 'awaiting_decision',
    key,
  );
  if (!finished(run)) expect((await api.post('/deploy/abort', { deployment_id: id }, { key })).status).toBe(200);
  return Object.fromEntries((run.nodes as unknown as NodeView[]).map((node) => [node.resource_id, node]));
}

describe('GET /keys/public', () => {
  it("names the calling key's tenant and the purposes; no tenant without a key", async () => {
    const withA = await api.get('/keys/public', { key: KEYS.aRead });
    expect(withA.body).toMatchObject({
      tenant: A,
      purposes: [
        'aws_secret_access_key',
        'aws_session_token',
        'github_token',
        'slack_webhook_url',
        'slack_bot_token',
        'secret_value',
      ],
    });
    expect((await api.get('/keys/public', { key: KEYS.bOperate })).body.tenant).toBe(B);
    expect((await api.get('/keys/public')).body.tenant).toBeNull();
  });
});

describe('live plans open sealed values for the caller’s tenant only', () => {
  it("refuses tenant A's PAT pasted into tenant B's config, naming the field and neither the value nor A", async () => {
    const aPat = await sealFor(A, 'github_token', bed.user.token);
    const cfg = githubConfig(aPat, { absent: await sealFor(B, 'secret_value', 'b-value') });
    const response = await api.post('/deploy/plan', { config: cfg }, { key: KEYS.bOperate });
    expect(response.status).toBe(200);
    expect(liveErrors(response.body)).toEqual({
      absent: {
        type: 'invalid_input',
        message: 'credentials.github.encrypted_pat could not be opened: sealed for another tenant',
      },
    });
    const shown = JSON.stringify(response.body);
    for (const hidden of [aPat, bed.user.token, A]) expect(shown).not.toContain(hidden);
  });

  it('refuses a value sealed as a secret value used as the PAT, even of the same tenant', async () => {
    const cfg = githubConfig(await sealFor(A, 'secret_value', bed.user.token), {
      absent: await sealFor(A, 'secret_value', 'a-value'),
    });
    const response = await api.post('/deploy/plan', { config: cfg }, { key: KEYS.aRead });
    expect(liveErrors(response.body)).toEqual({
      absent: {
        type: 'invalid_input',
        message: 'credentials.github.encrypted_pat could not be opened: sealed as secret_value, used as github_token',
      },
    });
  });

  it("plans with tenant A's own values", async () => {
    const cfg = githubConfig(await sealFor(A, 'github_token', bed.user.token), {
      absent: await sealFor(A, 'secret_value', 'a-value'),
    });
    const response = await api.post('/deploy/plan', { config: cfg }, { key: KEYS.aRead });
    expect(response.body.nodes).toEqual([
      expect.objectContaining({ resource_id: 'absent', live: true, action: 'create', live_error: null }),
    ]);
  });

  it('refuses a value sealed without a tenant, saying how to seal it for one', async () => {
    const cfg = githubConfig(await bed.seal(bed.user.token), { absent: await sealFor(A, 'secret_value', 'a-value') });
    const response = await api.post('/deploy/plan', { config: cfg }, { key: KEYS.aRead });
    expect(liveErrors(response.body)['absent']).toEqual({
      type: 'invalid_input',
      message:
        'credentials.github.encrypted_pat could not be opened: sealed without a tenant: seal it again with npm run seal -- --url <api> --api-key <key> --purpose github_token',
    });
  });
});

describe('secret workflows open sealed values for the caller’s tenant only', () => {
  it("refuses tenant A's PAT in tenant B's POST /workflows/plan", async () => {
    const response = await api.post(
      '/workflows/plan',
      {
        credentials: { encrypted_pat: await sealFor(A, 'github_token', bed.user.token) },
        workflow: {
          target: { owner: 'octo-user', repo: 'my-app' },
          operations: [{ action: 'create', secret_name: 'X', secret_value: await sealFor(B, 'secret_value', 'x') }],
        },
      },
      { key: KEYS.bOperate },
    );
    expect(response.body.planned_operations[0].error).toEqual({
      type: 'invalid_input',
      message: 'credentials.github.encrypted_pat could not be opened: sealed for another tenant',
    });
  });
});

describe('runs open sealed values for their tenant only', () => {
  it("fails tenant B's node that uses tenant A's sealed PEM as its secret value; B's own secret is stored", async () => {
    const cfg = githubConfig(await sealFor(B, 'github_token', bed.user.token), {
      stolen: await sealFor(A, 'secret_value', PEM),
      own: await sealFor(B, 'secret_value', 'b-value'),
    });
    const nodes = await applied(cfg, KEYS.bOperate);
    expect(nodes['stolen']).toMatchObject({
      status: 'failed',
      error_type: 'invalid_input',
      error: 'resources.stolen.properties.encrypted_value could not be opened: sealed for another tenant',
    });
    expect(nodes['own']?.status).toBe('completed');
    expect(bed.surrogate.secretValue(repo, 'STOLEN')).toBeNull();
    expect(bed.surrogate.secretValue(repo, 'OWN')).toBe('b-value');
  });

  it("fails tenant B's Slack node with tenant A's sealed webhook and posts nothing; A's own run posts", async () => {
    posts.length = 0;
    const aHook = await sealFor(A, 'slack_webhook_url', webhookUrl);
    const inB = await applied(slackConfig(aHook), KEYS.bOperate);
    expect(inB['announce']).toMatchObject({
      status: 'failed',
      error_type: 'invalid_input',
      error: 'credentials.slack.encrypted_webhook_url could not be opened: sealed for another tenant',
    });
    expect(posts).toEqual([]);
    const inA = await applied(slackConfig(aHook), KEYS.aOperate);
    expect(inA['announce']?.status).toBe('completed');
    expect(posts).toEqual(['/services/T0/B0/tenant-a-hook-canary']);
  });
});
