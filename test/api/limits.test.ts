/** Input errors are 4xx with every failing path, never a 500; limits state themselves; request ids everywhere; logs redact secrets. */
import { createLogger } from '../../src/logging/logger';
import { KEYS, testApi, unreachableClient } from './helpers/app';

const api = testApi({
  client: unreachableClient(),
  limits: { bodyBytes: 2_048, rateLimit: { windowMs: 60_000, limit: 1_000 } },
});

describe('invalid input', () => {
  it('answers 400 with every failing field path of the envelope and of the config at once', async () => {
    const response = await api.post('/deploy/apply', {
      mode: 'FAST',
      extra: true,
      config: {
        deployment_id: 'Bad Id',
        resources: {
          a: { type: 'core:delay', depends_on: ['missing'] },
          b: { type: 'no:such:type' },
          c: { type: 'core:delay', properties: { duration_ms: -1 } },
        },
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('validation_error');
    const paths = (response.body.error.details.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'mode',
        'extra',
        'config.deployment_id',
        'config.resources.a.depends_on.0',
        'config.resources.b.type',
        'config.resources.c.properties.duration_ms',
      ]),
    );
  });

  it('reports a missing config and bad params and query together', async () => {
    const missing = await api.post('/deploy/plan', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues).toEqual([{ path: 'config', message: 'is required' }]);
    const list = await api.get('/deploy/list?page_size=0&status=sleeping');
    expect(list.status).toBe(400);
    expect(list.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'query.page_size',
      'query.status',
    ]);
    // Found by npm run fuzz:api: 36 characters that are not a UUID reached Temporal and came back as a 500.
    const notUuid = await api.get(`/deploy/status/my-app?run_id=${'0'.repeat(36)}`);
    expect([notUuid.status, notUuid.body.error.details.issues]).toEqual([
      400,
      [{ path: 'query.run_id', message: 'must be a run id (UUID)' }],
    ]);
  });

  it('answers 400 for a body that is not JSON, and 404 for an unknown route', async () => {
    const broken = await api.call('post', '/deploy/plan', {
      raw: '{"config": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.type).toBe('invalid_json');
    const unknown = await api.get('/deploy/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('route GET /deploy/nothing-here not found');
  });
});

describe('limits', () => {
  it('answers 413 stating the body limit', async () => {
    const response = await api.post('/deploy/plan', {
      config: { deployment_id: 'x', resources: {}, pad: 'x'.repeat(4_000) },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.message).toBe('the request body exceeds the limit of 2048 bytes');
  });

  it('answers 431 (documented, no body) for request headers over the HTTP server limit', async () => {
    const response = await api.get('/deploy/list', { headers: { 'x-padding': 'p'.repeat(20_000) } });
    expect(response.status).toBe(431);
  });

  it('answers 415 for a body that is not JSON by content type', async () => {
    const response = await api.call('post', '/deploy/plan', {
      raw: 'deployment_id=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body.error.details).toEqual({ content_type: 'application/x-www-form-urlencoded' });
  });

  it('answers 429 with Retry-After once a key exceeds its rate, other keys unaffected', async () => {
    const limited = testApi({ client: unreachableClient(), limits: { rateLimit: { windowMs: 60_000, limit: 2 } } });
    const key = { headers: { 'x-api-key': 'some-key' } };
    expect((await limited.get('/deploy/list', key)).status).not.toBe(429);
    expect((await limited.get('/deploy/list', key)).status).not.toBe(429);
    const third = await limited.get('/deploy/list', key);
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await limited.get('/deploy/list', { headers: { 'x-api-key': 'other-key' } })).status).not.toBe(429);
  });
});

describe('request ids and logs', () => {
  it('echoes a given x-request-id in the header and the error body, and makes one otherwise', async () => {
    const given = await api.get('/deploy/list?page_size=0', { headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers['x-request-id']).toBe('trace-123');
    expect(given.body.error.request_id).toBe('trace-123');
    const made = await api.get('/deploy/list?page_size=0');
    expect(made.body.error.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes the request id on every log line and never a key or a sealed credential', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const logged = testApi({
      client: unreachableClient(),
      logger,
      keys: [{ key: KEYS.aAdmin, tenant: 'tenant-a', role: 'admin' }],
    });
    await logged.openApi();
    lines.length = 0;
    const sealed = 'c2VhbGVkLXNlY3JldC12YWx1ZQ==';
    const response = await logged.post(
      '/deploy/apply',
      {
        config: {
          deployment_id: 'logs',
          credentials: { github: { encrypted_pat: sealed } },
          resources: { a: { type: 'core:delay' } },
        },
      },
      { key: KEYS.aAdmin, headers: { 'x-request-id': 'req-logs-1' } },
    );
    expect(response.status).toBe(503);
    logger.info(
      { config: { credentials: { github: { encrypted_pat: sealed } } }, body: { encrypted_pat: sealed } },
      'direct',
    );
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines.slice(0, -1)) expect(JSON.parse(line)).toMatchObject({ request_id: 'req-logs-1' });
    const all = lines.join('\n');
    expect(all).not.toContain(KEYS.aAdmin);
    expect(all).not.toContain(sealed);
    expect(all).toContain('[redacted]');
  });
});
