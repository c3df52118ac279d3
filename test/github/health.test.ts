/**
 * Seed 003: GET /health reports, when GITHUB_HEALTH_TOKEN (a sealed PAT) is configured, the
 * token's scopes and remaining rate limit, read from the GitHub surrogate, also in seed 003's
 * fields (repo, scopes, rate_limit; with ?shape=seed003 status and github in its words); a token
 * GitHub rejects is reported as error_type + message, never as the token; with API_KEYS only an
 * admin key sees it. Real Temporal (and a worker polling, for a healthy status) answers the rest.
 */
import { createGitHubClients } from '../../src/providers/github';
import { API_KEYS, KEYS, testApi, unreachableClient } from '../api/helpers/app';
import { startTestWorker, testClient, type TestWorker } from '../../support/temporal';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let temporal: Awaited<ReturnType<typeof testClient>>;
let worker: TestWorker;

beforeAll(async () => {
  bed = await startTestBed();
  temporal = await testClient();
  worker = await startTestWorker();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await bed?.finish();
});

const healthApi = async (pat: string, options: { keys?: typeof API_KEYS; taskQueue?: string } = {}) =>
  testApi({
    client: temporal.client,
    ...options,
    githubHealth: {
      clients: createGitHubClients({ baseUrl: bed.surrogate.url, retryBaseMs: 10 }),
      secrets: bed.keyring,
      sealedToken: await bed.seal(pat),
    },
  });

const health = async (pat: string, query = '') => (await healthApi(pat)).get(`/health${query}`);

it("reports the token's login, scopes and remaining core rate limit", async () => {
  const account = bed.surrogate.addAccount('health-user', { scopes: ['repo', 'workflow'] });
  const res = await health(account.token);
  expect(res.status).toBe(200);
  expect(res.body.github).toMatchObject({ ok: true, login: 'health-user', scopes: ['repo', 'workflow'], error: null });
  expect(res.body.github.rate_limit.remaining).toBe(res.body.github.rate_limit.limit - 1);
  expect(res.body.github.rate_limit.reset_at).toBeGreaterThan(Date.now() / 1_000);
  bed.surrogate.expectNoViolations();
});

it('shows the token only to an admin key when API_KEYS is set; /health itself stays public', async () => {
  const account = bed.surrogate.addAccount('health-admin', { scopes: ['repo'] });
  const api = await healthApi(account.token, { keys: API_KEYS });
  const anonymous = await api.get('/health');
  expect([anonymous.status, anonymous.body.github]).toEqual([200, undefined]);
  expect((await api.get('/health', { key: KEYS.aOperate })).body.github).toBeUndefined();
  expect((await api.get('/health', { key: 'not-a-key-of-this-service' })).body.github).toBeUndefined();
  expect((await api.get('/health', { key: KEYS.aAdmin })).body.github).toMatchObject({
    ok: true,
    login: 'health-admin',
  });
});

it('a token GitHub rejects is an auth error, not the token', async () => {
  const res = await health('ghp_health-canary-not-known');
  expect(res.status).toBe(200);
  expect(res.body.github).toMatchObject({ ok: false, scopes: null, rate_limit: null, error: { type: 'auth' } });
  expect(JSON.stringify(res.body)).not.toContain('health-canary');
});

it('without GITHUB_HEALTH_TOKEN there is no github field', async () => {
  const res = await testApi({ client: temporal.client }).get('/health');
  expect(res.status).toBe(200);
  expect(res.body.github).toBeUndefined();
});

describe("seed 003's fields", () => {
  it('stand beside the current ones: repo, scopes {repo, workflow} and rate_limit {remaining, limit, reset_at}', async () => {
    const account = bed.surrogate.addAccount('seed-user', { scopes: ['repo'] });
    const res = await health(account.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      api: 'up',
      github: { ok: true, login: 'seed-user', scopes: ['repo'] },
      repo: null,
      scopes: { repo: true, workflow: false },
    });
    expect(res.body.rate_limit).toEqual(res.body.github.rate_limit);
    expect(Object.keys(res.body.rate_limit).sort()).toEqual(['limit', 'remaining', 'reset_at']);
  });

  it("answer status and github in seed 003's words with ?shape=seed003: healthy and connected", async () => {
    const account = bed.surrogate.addAccount('seed-shape', { scopes: ['repo', 'workflow'] });
    const repo = bed.surrogate.addRepo(account, 'specs');
    const api = await healthApi(account.token, { taskQueue: worker.taskQueue });
    const res = await api.get(`/health?shape=seed003&repo=seed-shape/${repo.name}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'healthy',
      github: 'connected',
      repo: 'seed-shape/specs',
      scopes: { repo: true, workflow: true },
      rate_limit: { limit: 5000, remaining: 4998 },
      api: 'up',
      workers: { task_queue: worker.taskQueue },
    });
    expect(res.body.rate_limit.reset_at).toBeGreaterThan(Date.now() / 1_000);
    expect(bed.surrogate.count('GET', /^\/repos\/seed-shape\/specs$/, 200)).toBe(1);
    // Without the shape the same answer keeps the current words.
    expect((await api.get('/health')).body).toMatchObject({ status: 'ok', github: { ok: true, error: null } });
  });

  it('name the error in github: a repository the token cannot read is not_found, a rejected token api_error', async () => {
    const account = bed.surrogate.addAccount('seed-missing', { scopes: ['repo', 'workflow'] });
    const missing = await health(account.token, '?repo=seed-missing/nothing-here');
    expect(missing.body).toMatchObject({
      status: 'degraded',
      repo: 'seed-missing/nothing-here',
      scopes: null,
      rate_limit: null,
      github: {
        ok: false,
        error: { type: 'not_found', message: expect.stringContaining('seed-missing/nothing-here') },
      },
    });
    const seed = await health(account.token, '?shape=seed003&repo=seed-missing/nothing-here');
    expect(seed.body).toMatchObject({ status: 'degraded', github: 'not_found', repo: 'seed-missing/nothing-here' });
    const rejected = await health('ghp_health-canary-seed', '?shape=seed003');
    expect([rejected.status, rejected.body.github, rejected.body.scopes]).toEqual([200, 'api_error', null]);
    expect(JSON.stringify(rejected.body)).not.toContain('health-canary');
  });

  it("stay admin-only: others get the status in seed 003's words, and the token is not even used for them", async () => {
    const account = bed.surrogate.addAccount('seed-admin', { scopes: ['repo'] });
    const api = await healthApi(account.token, { keys: API_KEYS, taskQueue: worker.taskQueue });
    const calls = bed.surrogate.requests.length;
    for (const key of [undefined, KEYS.aRead, KEYS.aOperate, 'not-a-key-of-this-service']) {
      const res = await api.get('/health?shape=seed003&repo=seed-admin/anything', { key });
      expect([key, res.status, res.body]).toEqual([key, 200, { status: 'healthy', temporal: { reachable: true } }]);
    }
    expect(bed.surrogate.requests.length).toBe(calls);
    const admin = await api.get('/health?shape=seed003', { key: KEYS.aAdmin });
    expect(admin.body).toMatchObject({
      status: 'healthy',
      github: 'connected',
      scopes: { repo: true, workflow: false },
    });
  });

  it('say unhealthy while Temporal is unreachable, to everyone', async () => {
    const api = testApi({ client: unreachableClient(), keys: API_KEYS });
    const anonymous = await api.get('/health?shape=seed003');
    expect([anonymous.status, anonymous.body]).toEqual([503, { status: 'unhealthy', temporal: { reachable: false } }]);
    const admin = await api.get('/health?shape=seed003', { key: KEYS.aAdmin });
    expect([admin.status, admin.body.status, admin.body.temporal.reachable]).toEqual([503, 'unhealthy', false]);
  });

  it('refuse a repo that is not owner/name, or shapes other than seed003, with a 400 naming the field', async () => {
    const api = testApi({ client: temporal.client });
    for (const query of ['repo=just-a-name', 'repo=o/..', 'repo=a/b/c', 'repo=-o/r', 'shape=seed001']) {
      const res = await api.get(`/health?${query}`);
      expect([query, res.status, res.body.error.type]).toEqual([query, 400, 'validation_error']);
      expect(res.body.error.details.issues[0].path).toMatch(/^query\.(repo|shape)/);
    }
  });
});
