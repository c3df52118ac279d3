/**
 * POST /deploy/plan with live state: each node planned by its type's own plan operation in the API
 * process, against the GitHub surrogate, with the config's PAT sealed to a real service keyring.
 * A node that cannot be read keeps its config action with a live_error; nothing is ever started.
 */
import { Writable } from 'node:stream';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import pino from 'pino';
import { createGitHubClients } from '../../src/providers/github';
import { githubRepoSecret } from '../../src/resources/github/repo-secret';
import { OVERWRITE_IRREVERSIBLE } from '../../src/resources/github/secret-operations';
import { startTestBed, type TestBed } from '../github/helpers/test-bed';
import { config, delay } from '../../support/deployments';
import { testClient, uniqueId } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';

interface PlanNodeView {
  resource_id: string;
  action: string;
  live: boolean;
  diff: { property: string; desired: unknown; actual: unknown }[];
  warnings: string[];
  live_error: { type: string; message: string } | null;
}

let bed: TestBed;
let temporal: Awaited<ReturnType<typeof testClient>>;
let api: Http;
const logLines: string[] = [];
const PLAINTEXT = 'live-plan-secret-plaintext';

beforeAll(async () => {
  temporal = await testClient();
});
afterAll(async () => {
  await temporal.close();
});
beforeEach(async () => {
  bed = await startTestBed();
  bed.surrogate.addRepo(bed.user, 'my-app');
  logLines.length = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  api = testApi({
    client: temporal.client,
    livePlan: { timeoutMs: 3_000 },
    logger: pino({ level: 'debug' }, sink),
    operations: {
      clients: { github: createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 }) },
      secrets: bed.keyring,
    },
  });
});
afterEach(async () => {
  await bed.finish();
});

const secret = async (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'github:secret:repo',
  properties: {
    owner: 'octo-user',
    repo: 'my-app',
    secret_name: name,
    encrypted_value: await bed.seal(PLAINTEXT),
    ...extra,
  },
});

async function githubConfig(
  resources: Record<string, Record<string, unknown>>,
  pat = bed.user.token,
): Promise<Record<string, unknown>> {
  return {
    ...config(resources, {}, uniqueId('live')),
    targets: [{ provider: 'github' }],
    credentials: { github: { encrypted_pat: await bed.seal(pat) } },
  };
}

/** Creates the secret on the surrogate the way a run would, before the plan. */
async function existing(name: string): Promise<void> {
  const props = (await secret(name)).properties;
  await githubRepoSecret.apply(await bed.ctx(), bed.target(githubRepoSecret, props));
}

const byResource = (body: { nodes: PlanNodeView[] }): Record<string, PlanNodeView> =>
  Object.fromEntries(body.nodes.map((n) => [n.resource_id, n]));

/** No execution of the deployment exists: neither its workflow id nor any run in visibility. */
async function expectNothingStarted(client: Client, deploymentId: string): Promise<void> {
  await expect(client.workflow.getHandle(`deploy-${deploymentId}`).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );
  const runs = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = "deploy-${deploymentId}"` })) runs.push(run);
  expect(runs).toEqual([]);
}

describe('POST /deploy/plan, live', () => {
  it('plans from current state: an existing secret is an update (no-op with if_absent), an absent one a create; gates stay as configured', async () => {
    await existing('present');
    await existing('kept');
    const cfg = await githubConfig({
      present: await secret('present'),
      kept: await secret('kept', { if_absent: true }),
      absent: await secret('absent'),
      wait: delay(),
      gate: { type: 'core:approval', depends_on: ['wait'] },
    });
    const writesBefore = bed.surrogate.writes().length;
    const response = await api.post('/deploy/plan', { config: cfg });
    expect(response.status).toBe(200);
    expect(response.body.live).toBe(true);
    const nodes = byResource(response.body);
    expect(nodes['present']).toMatchObject({
      action: 'update',
      live: true,
      live_error: null,
      warnings: [`secret PRESENT exists in repository octo-user/my-app: ${OVERWRITE_IRREVERSIBLE}`],
    });
    expect(nodes['present']?.diff).toContainEqual({ property: 'value', desired: '(sealed)', actual: '(unreadable)' });
    expect(nodes['kept']).toMatchObject({ action: 'no-op', live: true, diff: [] });
    expect(nodes['absent']).toMatchObject({
      action: 'create',
      live: true,
      diff: [{ property: 'exists', desired: true, actual: false }],
    });
    expect(nodes['wait']).toMatchObject({ action: 'create', live: true, live_error: null });
    expect(nodes['gate']).toMatchObject({ action: 'create', live: false, live_error: null, diff: [] });
    expect(response.body.counts).toEqual({ update: 1, 'no-op': 1, create: 3 });
    expect(response.body.warnings).toContain(
      `present: secret PRESENT exists in repository octo-user/my-app: ${OVERWRITE_IRREVERSIBLE}`,
    );
    expect(bed.surrogate.writes()).toHaveLength(writesBefore);
    await expectNothingStarted(temporal.client, String(cfg['deployment_id']));
  });

  it('defaults to live with credentials and to the config without; live: false overrides', async () => {
    await existing('present');
    const cfg = await githubConfig({ present: await secret('present') });
    expect(byResource((await api.post('/deploy/plan', { config: cfg })).body)['present']).toMatchObject({
      action: 'update',
      live: true,
    });
    const off = await api.post('/deploy/plan', { config: cfg, live: false });
    expect(off.body.live).toBe(false);
    expect(byResource(off.body)['present']).toMatchObject({
      action: 'create',
      live: false,
      diff: [],
      live_error: null,
    });
    const plain = await api.post('/deploy/plan', { config: config({ wait: delay() }) });
    expect([plain.body.live, plain.body.nodes[0].live]).toEqual([false, false]);
    const wrongType = await api.post('/deploy/plan', { config: cfg, live: 'yes' });
    expect([wrongType.status, (wrongType.body.error.details.issues as { path: string }[]).map((d) => d.path)]).toEqual([
      400,
      ['live'],
    ]);
  });

  it('a rejected PAT gives each GitHub node a live_error (auth) and keeps its config action; the plan is still 200 and starts nothing', async () => {
    const cfg = await githubConfig({ absent: await secret('absent'), wait: delay() }, 'ghp_not-a-valid-token-0000');
    const response = await api.post('/deploy/plan', { config: cfg });
    expect(response.status).toBe(200);
    const nodes = byResource(response.body);
    expect(nodes['absent']).toMatchObject({
      action: 'create',
      live: false,
      diff: [],
      live_error: { type: 'auth', message: 'GitHub rejected the token (401 Bad credentials): check the PAT' },
    });
    expect(nodes['wait']).toMatchObject({ action: 'create', live: true, live_error: null });
    expect(response.body.warnings).toContain(
      "absent: its current state could not be read (auth: GitHub rejected the token (401 Bad credentials): check the PAT); its action is the config's",
    );
    expect(
      logLines.some((line) => line.includes('"error_type":"auth"') && line.includes('"resource_id":"absent"')),
    ).toBe(true);
    await expectNothingStarted(temporal.client, String(cfg['deployment_id']));
  });

  it('a value not sealed to this service is an invalid_input live_error naming the field, not the value', async () => {
    const other = await startTestBed();
    try {
      const foreign = await other.seal(PLAINTEXT);
      const cfg = await githubConfig({ absent: await secret('absent', { encrypted_value: foreign }) });
      const response = await api.post('/deploy/plan', { config: cfg });
      expect(response.status).toBe(200);
      expect(byResource(response.body)['absent']?.live_error).toEqual({
        type: 'invalid_input',
        message:
          "resources.absent.properties.encrypted_value could not be opened: not sealed to this service's public key (GET /keys/public)",
      });
    } finally {
      await other.finish();
    }
  });

  it('a node whose state takes longer than the timeout is an unavailable live_error; the others are planned', async () => {
    bed.surrogate.inject({ kind: 'latency', ms: 3_500, method: 'GET', path: /\/actions\/secrets\/SLOW$/ });
    const cfg = await githubConfig({ slow: await secret('slow'), absent: await secret('absent') });
    const response = await api.post('/deploy/plan', { config: cfg });
    expect(response.status).toBe(200);
    const nodes = byResource(response.body);
    expect(nodes['slow']).toMatchObject({
      action: 'create',
      live: false,
      live_error: { type: 'unavailable', message: 'reading the current state of slow took longer than 3 s' },
    });
    expect(nodes['absent']).toMatchObject({ action: 'create', live: true, live_error: null });
  });

  it('never shows a sealed or opened value in the response or the logs', async () => {
    await existing('present');
    const good = await githubConfig({ present: await secret('present'), absent: await secret('absent') });
    const bad = await githubConfig({ absent: await secret('absent') }, 'ghp_rejected-token-value-1234');
    const bodies = [
      await api.post('/deploy/plan', { config: good }),
      await api.post('/deploy/plan', { config: bad }),
    ].map((r) => JSON.stringify(r.body));
    const sealed = [good, bad].flatMap((cfg) => {
      const resources = cfg['resources'] as Record<string, { properties: { encrypted_value: string } }>;
      const credentials = cfg['credentials'] as { github: { encrypted_pat: string } };
      return [credentials.github.encrypted_pat, ...Object.values(resources).map((r) => r.properties.encrypted_value)];
    });
    const opened = [PLAINTEXT, bed.user.token, 'ghp_rejected-token-value-1234'];
    expect(logLines.length).toBeGreaterThan(0);
    for (const text of [...bodies, ...logLines]) {
      for (const value of [...sealed, ...opened]) expect(text).not.toContain(value);
    }
  });
});
