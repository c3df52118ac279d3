/**
 * The auth matrix, derived from /openapi.json so that every route is tried: without API_KEYS no
 * key is needed; with them every route but the public ones needs a valid key (401), a role at
 * least the route's (403), and a key with enough rights gets past auth (here to the 503 of an
 * unreachable Temporal, or to the 400 of an empty body).
 */
import { KEYS, API_KEYS, testApi, unreachableClient } from './helpers/app';

const api = testApi({ client: unreachableClient(), keys: API_KEYS });
const ROLE_KEYS = { read: KEYS.aRead, operate: KEYS.aOperate, admin: KEYS.aAdmin } as const;
const RANK = ['read', 'operate', 'admin'] as const;
const SAMPLE: Record<string, string> = { id: 'my-app', deployment_id: 'my-app', file: 'init.js' };

interface Route {
  method: 'get' | 'post' | 'delete';
  path: string;
  role: string;
}

async function routes(): Promise<Route[]> {
  const paths = (await api.openApi()).document['paths'] as Record<
    string,
    Record<string, { 'x-required-role': string }>
  >;
  return Object.entries(paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method as Route['method'],
      path: template.replace(/\{(\w+)\}/g, (_m, name: string) =>
        template.startsWith('/schedules') && name === 'id' ? 'sched-my-app-1' : (SAMPLE[name] ?? 'x'),
      ),
      role: op['x-required-role'],
    })),
  );
}

describe('with API_KEYS', () => {
  it('leaves only /health, /openapi.json, /docs and /ui (and their assets) and /keys/public public', async () => {
    const open = (await routes())
      .filter((r) => r.role === 'public')
      .map((r) => r.path)
      .sort();
    // The dashboard's page and bundle are public: everything it shows comes from the API with the user's key.
    expect(open).toEqual([
      '/docs',
      '/docs/assets/init.js',
      '/health',
      '/keys/public',
      '/openapi.json',
      '/ui',
      '/ui/assets/init.js',
    ]);
  });

  it('answers 401 on every other route without a key or with an unknown key', async () => {
    for (const route of (await routes()).filter((r) => r.role !== 'public')) {
      const none = await api.call(route.method, route.path);
      expect([route.path, none.status, none.headers['www-authenticate']]).toEqual([route.path, 401, 'Bearer']);
      const wrong = await api.call(route.method, route.path, { key: 'not-a-key-of-this-service' });
      expect([route.path, wrong.status]).toEqual([route.path, 401]);
    }
  });

  it('answers 403 below the route role and lets at-or-above keys through, by bearer token or x-api-key', async () => {
    for (const route of (await routes()).filter((r) => r.role !== 'public')) {
      const needed = RANK.indexOf(route.role as (typeof RANK)[number]);
      for (const [rank, role] of RANK.entries()) {
        const byBearer = await api.call(route.method, route.path, { key: ROLE_KEYS[role] });
        const byHeader = await api.call(route.method, route.path, { headers: { 'x-api-key': ROLE_KEYS[role] } });
        if (rank < needed)
          expect([route.path, role, byBearer.status, byHeader.status]).toEqual([route.path, role, 403, 403]);
        else
          expect([route.path, role, [401, 403].includes(byBearer.status), byHeader.status === byBearer.status]).toEqual(
            [route.path, role, false, true],
          );
      }
    }
  });

  it('gives read keys no apply or decision', async () => {
    for (const path of [
      '/deploy/apply',
      '/deploy/continue',
      '/deploy/retry',
      '/deploy/skip',
      '/deploy/rollback',
      '/deploy/abort',
      '/deploy/destroy',
      '/schedules',
    ]) {
      const response = await api.post(path, {}, { key: KEYS.aRead });
      expect([path, response.status, response.body.error.message]).toEqual([
        path,
        403,
        expect.stringMatching(/role \(read\) cannot do this/),
      ]);
    }
  });
});

describe('without API_KEYS', () => {
  it('needs no key: the local operator may do everything', async () => {
    const local = testApi({ client: unreachableClient() });
    expect((await local.get('/deploy/list')).status).toBe(503);
    expect((await local.post('/deploy/abort', { deployment_id: 'my-app' })).status).toBe(503);
  });
});
