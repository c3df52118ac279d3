/**
 * Issue 23, gateway side: made-up keys share their address's rate budget (valid keys keep their
 * own), the key-less API answers only loopback and PUBLIC_HOSTNAMES Host names (DNS rebinding),
 * /health tells callers other than an admin only its status and whether Temporal is reachable,
 * and /metrics stays an admin's.
 */
import pino from 'pino';
import { createApp, type AppDeps } from '../../src/api/app';
import { loadEnv } from '../../src/config/env';
import { testClient } from '../../support/temporal';
import { API_KEYS, KEYS, unreachableClient } from './helpers/app';
import { Http } from './helpers/http';

function api(overrides: Partial<AppDeps> = {}): Http {
  return new Http(
    createApp({
      client: unreachableClient(),
      taskQueue: 'nobody-polls-this',
      namespace: 'default',
      env: {},
      logger: pino({ level: 'silent' }),
      uiBaseUrl: 'http://127.0.0.1:8233',
      serviceKeys: { publicKey: 'cHVibGlj', keyId: '0123456789abcdef' },
      ...overrides,
    }),
  );
}

const withHost = (host: string, key?: string) => ({ key, headers: { host } });

describe('rate limits (finding 8)', () => {
  const limited = () => api({ env: { API_KEYS }, limits: { rateLimit: { windowMs: 60_000, limit: 5 } } });

  it('counts made-up keys against the client address: a flood of distinct bogus keys gets 429 with Retry-After', async () => {
    const app = limited();
    await app.openApi(); // the response check's one GET /openapi.json, without a key: 1 of the address's 5
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1)
      statuses.push((await app.get('/deploy/list', { key: `made-up-key-${i}-0123456789` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
    const limitedResponse = await app.get('/deploy/list', { key: 'yet-another-made-up-key-0123' });
    expect([limitedResponse.status, limitedResponse.body.error.type]).toEqual([429, 'rate_limited']);
    expect(Number(limitedResponse.headers['retry-after'])).toBeGreaterThan(0);
    expect(limitedResponse.body.error.message).toMatch(/per API key \(per client address without a valid key\)/);
    // No key at all is the same address, the same budget.
    expect((await app.get('/deploy/list')).status).toBe(429);
  });

  it('gives each valid key a budget of its own, untouched by the address flood', async () => {
    const app = limited();
    for (let i = 0; i < 6; i += 1) await app.get('/deploy/list', { key: `made-up-key-${i}-0123456789` });
    const read: number[] = [];
    for (let i = 0; i < 6; i += 1) read.push((await app.get('/deploy/list', { key: KEYS.aRead })).status);
    expect(read).toEqual([503, 503, 503, 503, 503, 429]);
    expect((await app.get('/deploy/list', { key: KEYS.aOperate })).status).toBe(503);
  });
});

describe('Host names without API_KEYS (finding 11)', () => {
  it('refuses a foreign Host with a 403 that names it and says how to allow it', async () => {
    const local = api();
    const response = await local.get('/deploy/list', withHost('evil.example'));
    expect([response.status, response.body.error.type]).toEqual([403, 'host_not_allowed']);
    expect(response.body.error.message).toContain('Host "evil.example" is not allowed');
    expect(response.body.error.message).toContain('PUBLIC_HOSTNAMES');
    expect(response.body.error.details).toEqual({ host: 'evil.example', allowed: ['localhost', '127.0.0.1', '[::1]'] });
    // A rebinding name that merely starts or ends like a loopback one is still foreign.
    for (const host of ['localhost.evil.example', 'evil.localhost:3000', '127.0.0.1.nip.io']) {
      expect([host, (await local.get('/deploy/list', withHost(host))).status]).toEqual([host, 403]);
    }
  });

  it('answers loopback names on any port, and the names in PUBLIC_HOSTNAMES', async () => {
    const local = api();
    for (const host of ['localhost:3000', 'localhost', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:8080']) {
      expect([host, (await local.get('/deploy/list', withHost(host))).status]).toEqual([host, 503]);
    }
    const named = api({ env: { PUBLIC_HOSTNAMES: ['deploy.internal'] } });
    expect((await named.get('/deploy/list', withHost('deploy.internal:8080'))).status).toBe(503);
    expect((await named.get('/deploy/list', withHost('evil.example'))).status).toBe(403);
  });

  it('accepts any Host with API_KEYS set: the keys decide, as before', async () => {
    const keyed = api({ env: { API_KEYS } });
    expect((await keyed.get('/deploy/list', withHost('evil.example'))).status).toBe(401);
    expect((await keyed.get('/deploy/list', withHost('evil.example', KEYS.aRead))).status).toBe(503);
  });

  it('takes PUBLIC_HOSTNAMES from the environment: comma-separated names without ports', async () => {
    const env = loadEnv({ PUBLIC_HOSTNAMES: ' Deploy.Internal, 10.0.0.5 ,' });
    expect(env.PUBLIC_HOSTNAMES).toEqual(['deploy.internal', '10.0.0.5']);
    expect(() => loadEnv({ PUBLIC_HOSTNAMES: 'deploy.internal:8080' })).toThrow(
      /PUBLIC_HOSTNAMES \(entry 0\): must be comma-separated host names without ports/,
    );
    const configured = api({ env });
    expect((await configured.get('/deploy/list', withHost('Deploy.Internal:3000'))).status).toBe(503);
    expect((await configured.get('/deploy/list', withHost('10.0.0.5'))).status).toBe(503);
    expect((await configured.get('/deploy/list', withHost('10.0.0.6'))).status).toBe(403);
  });
});

describe('/health and /metrics (finding 13)', () => {
  it('shows anonymous callers and non-admin keys only the status and reachability during an outage', async () => {
    const keyed = api({ env: { API_KEYS } });
    for (const key of [undefined, 'not-a-key-of-this-service', KEYS.aRead, KEYS.aOperate]) {
      const health = await keyed.get('/health', { key });
      expect([key, health.status, health.body]).toEqual([
        key,
        503,
        { status: 'unavailable', temporal: { reachable: false } },
      ]);
    }
    const admin = await keyed.get('/health', { key: KEYS.aAdmin });
    expect([admin.status, admin.body.temporal]).toEqual([
      503,
      { reachable: false, namespace: 'default', error: expect.any(String) },
    ]);
    // Without API_KEYS the one local operator (loopback only) sees the details, as before.
    expect((await api().get('/health')).body.temporal.error).toEqual(expect.any(String));
  });

  it('shows them no namespace, task queue or pollers while Temporal is reachable', async () => {
    const connected = await testClient();
    try {
      const keyed = api({ env: { API_KEYS }, client: connected.client });
      const anonymous = await keyed.get('/health');
      expect([anonymous.status, anonymous.body]).toEqual([200, { status: 'degraded', temporal: { reachable: true } }]);
      expect((await keyed.get('/health', { key: KEYS.aAdmin })).body).toMatchObject({
        status: 'degraded',
        temporal: { reachable: true, namespace: 'default' },
        workers: { task_queue: 'nobody-polls-this', pollers: 0 },
      });
    } finally {
      await connected.close();
    }
  });

  it('serves /metrics only to an admin key with API_KEYS, and to the local operator without', async () => {
    const keyed = api({ env: { API_KEYS } });
    const statuses = [];
    for (const key of [undefined, 'not-a-key-of-this-service', KEYS.aRead, KEYS.aOperate, KEYS.aAdmin])
      statuses.push((await keyed.get('/metrics', { key })).status);
    expect(statuses).toEqual([401, 401, 403, 403, 200]);
    expect((await api().get('/metrics')).status).toBe(200);
  });
});
