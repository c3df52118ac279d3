/**
 * Seed 003: GET /health reports, when GITHUB_HEALTH_TOKEN (a sealed PAT) is configured, the
 * token's scopes and remaining rate limit, read from the GitHub surrogate; a token GitHub rejects
 * is reported as error_type + message, never as the token; with API_KEYS only an admin key sees
 * it. Real Temporal answers the rest.
 */
import { createGitHubClients } from '../../src/providers/github';
import { API_KEYS, KEYS, testApi } from '../api/helpers/app';
import { testClient } from '../../support/temporal';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  bed = await startTestBed();
  temporal = await testClient();
}, 60_000);

afterAll(async () => {
  await temporal?.close();
  await bed?.finish();
});

const health = async (pat: string) =>
  testApi({
    client: temporal.client,
    githubHealth: {
      clients: createGitHubClients({ baseUrl: bed.surrogate.url, retryBaseMs: 10 }),
      secrets: bed.keyring,
      sealedToken: await bed.seal(pat),
    },
  }).get('/health');

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
  const api = testApi({
    client: temporal.client,
    keys: API_KEYS,
    githubHealth: {
      clients: createGitHubClients({ baseUrl: bed.surrogate.url, retryBaseMs: 10 }),
      secrets: bed.keyring,
      sealedToken: await bed.seal(account.token),
    },
  });
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
