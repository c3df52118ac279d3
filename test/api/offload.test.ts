/**
 * Issue 23 finding 6: large JSON bodies are read on a worker thread (src/api/offload), and config
 * bodies parsed, validated, built into a graph and, for a plan of the config alone, planned and
 * serialized there, so the event loop keeps answering (GET /health among the rest) while a plan at
 * the limits is computed; every answer is the inline path's, byte for byte. The offload threshold
 * is switched per request here (0: every body through the pool; Infinity: none).
 */
import type { Response } from 'supertest';
import * as buildGraph from '../../src/model/build-graph';
import * as validate from '../../src/model/validate-config';
import { offloaded } from '../../src/api/offload/offloaded';
import { OffloadPool, offloadPool } from '../../src/api/offload/pool';
import { specGraphOf } from '../../src/api/offload/spec-graphs';
import { registry } from '../../src/resources/registry';
import { API_KEYS, KEYS, testApi, unreachableClient } from './helpers/app';
import type { CallOptions } from './helpers/http';

let mockOffloadMinBytes: number | null = null;
jest.mock('../../src/api/offload/settings', () => {
  const actual: Record<string, unknown> = jest.requireActual('../../src/api/offload/settings');
  return {
    ...actual,
    get OFFLOAD_MIN_BYTES() {
      return mockOffloadMinBytes ?? actual['OFFLOAD_MIN_BYTES'];
    },
  };
});

const api = testApi({ client: unreachableClient() });
const keyed = testApi({ client: unreachableClient(), keys: API_KEYS });
const small = testApi({ client: unreachableClient(), limits: { bodyBytes: 2_048 } });

afterAll(() => offloadPool().close());

/** A config of every kind of node the plan describes (regions, a gate, pause and end edges, a delete, an irreversible step): 4.7 KB. */
function mixed(): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < 40; i += 1)
    resources[`bucket-${i}`] = {
      type: 'aws:s3:bucket',
      properties: { name: `offload-bucket-${i}` },
      ...(i > 0 ? { depends_on: [`bucket-${i - 1}`] } : {}),
    };
  Object.assign(resources, {
    gate: { type: 'core:approval', depends_on: ['bucket-39'] },
    after: { type: 'core:delay', depends_on: [{ resource: 'gate', edge: 'pause' }] },
    secret: {
      type: 'github:secret:repo',
      properties: { owner: 'o', repo: 'r', secret_name: 'BUCKET' },
      references: { value_from: 'bucket-0.arn' },
    },
    old: { type: 'core:delay', operation: 'delete' },
    last: { type: 'core:delay', depends_on: [{ resource: 'after', edge: 'end' }] },
  });
  return {
    deployment_id: 'offload-mix',
    version: 'v2',
    targets: [{ provider: 'aws', regions: ['us-east-1', 'eu-west-1'] }],
    settings: { mode: 'STEP' },
    resources,
  };
}

/** The shape of bench section 8: 10,000 resources, each depending on the 5 before it. */
function atTheLimits(): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < validate.MAX_NODES; i += 1) {
    const before = Array.from({ length: Math.min(i, 5) }, (_, k) => `n${i - k - 1}`);
    resources[`n${i}`] = before.length > 0 ? { type: 'core:delay', depends_on: before } : { type: 'core:delay' };
  }
  return { deployment_id: 'offload-limits', resources };
}

describe('a plan at the limits', () => {
  it('is computed off the event loop: GET /health answers again and again meanwhile, and nothing is validated or built on it', async () => {
    const validated = jest.spyOn(validate, 'validateConfig');
    const built = jest.spyOn(buildGraph, 'buildSpecGraph');
    let planned: Response | undefined;
    const plan = api.post('/deploy/plan', { config: atTheLimits() }).then((response) => (planned = response));
    let healthAnswers = 0;
    while (planned === undefined) {
      const health = await api.get('/health');
      expect(health.status).toBe(503); // Temporal is unreachable here; the API answers all the same
      healthAnswers += 1;
      // Paced: flat out, a slow machine's plan outlasted the API's 600 requests a minute (a 429 here).
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await plan;
    expect(planned.status).toBe(200);
    expect(planned.body.nodes).toHaveLength(10_000);
    // Inline, the plan yields to other requests between its four steps only.
    expect(healthAnswers).toBeGreaterThanOrEqual(10);
    expect(validated).not.toHaveBeenCalled();
    expect(built).not.toHaveBeenCalled();
    validated.mockRestore();
    built.mockRestore();
  });
});

describe('the same answer inline and through the pool', () => {
  let requests = 0;

  /**
   * Sends the request inline, then with every body read as bytes (and parsed on the pool unless
   * refused before: `pool` false): status, body bytes and their headers must match.
   */
  async function same(send: (options: CallOptions) => Promise<Response>, pool = true): Promise<Response> {
    const run = jest.spyOn(OffloadPool.prototype, 'run');
    const headers = { 'x-request-id': `offload-case-${(requests += 1)}` };
    mockOffloadMinBytes = Infinity;
    const inline = await send({ headers });
    expect(run).not.toHaveBeenCalled();
    mockOffloadMinBytes = 0;
    const pooled = await send({ headers }).finally(() => (mockOffloadMinBytes = null));
    expect(run.mock.calls.length > 0).toBe(pool);
    run.mockRestore();
    expect(pooled.status).toBe(inline.status);
    expect(pooled.text).toBe(inline.text);
    for (const header of ['content-type', 'content-length', 'etag', 'retry-after', 'www-authenticate'])
      expect([header, pooled.headers[header]]).toEqual([header, inline.headers[header]]);
    return pooled;
  }

  it('plans a config alone (the whole answer made on the pool)', async () => {
    const answer = await same((o) => api.post('/deploy/plan', { config: mixed() }, o));
    expect(answer.status).toBe(200);
    expect(answer.body.nodes).toHaveLength(85);
  });

  it('plans live (the graph built on the pool, the plan read here)', async () => {
    const answer = await same((o) => api.post('/deploy/plan', { config: mixed(), live: true }, o));
    expect(answer.status).toBe(200);
    expect(answer.body.live).toBe(true);
  });

  it('saves a plan, applies and verifies a config as far as Temporal, which is down', async () => {
    expect((await same((o) => api.post('/deploy/plan', { config: mixed(), validate_only: false }, o))).status).toBe(
      503,
    );
    expect((await same((o) => api.post('/deploy/apply', { config: mixed(), mode: 'DRY_RUN' }, o))).status).toBe(503);
    expect((await same((o) => api.post('/deploy/verify', { config: mixed() }, o))).status).toBe(503);
  });

  it('answers every problem of the envelope, the config and the rules in one 400', async () => {
    const config = mixed();
    const resources = { ...(config['resources'] as object), bad: { type: 'no:such:type' }, x: { depends_on: ['y'] } };
    const plan = await same((o) =>
      api.post('/deploy/plan', { mode: 'FAST', extra: 1, config: { ...config, resources } }, o),
    );
    expect(plan.status).toBe(400);
    expect(plan.body.validation_errors.length).toBeGreaterThanOrEqual(4);
    const destroy = await same((o) =>
      api.post('/deploy/destroy', { scan: { regions: ['us-east-1'] }, config: mixed() }, o),
    );
    expect(destroy.body.error.details.issues).toContainEqual({
      path: 'config',
      message: 'give scan or config, not both',
    });
    const verify = await same((o) => api.post('/deploy/verify', { deployment_id: 'offload-mix', config: mixed() }, o));
    expect(verify.status).toBe(400);
  });

  it('reads JSON as body-parser does: invalid is a 400, empty is {}, a leading BOM is skipped', async () => {
    const raw =
      (path: string, body: string, extra: CallOptions = {}) =>
      (o: CallOptions) =>
        api.call('post', path, { ...extra, raw: body, headers: { ...o.headers, 'content-type': 'application/json' } });
    const invalid = `{"config": ${JSON.stringify(mixed()).slice(0, -1)}`;
    expect((await same(raw('/deploy/plan', invalid))).body.error.type).toBe('invalid_json');
    expect((await same(raw('/deploy/plan', ''))).body.validation_errors).toEqual(['config: is required']);
    const bom = `\ufeff${JSON.stringify({ config: mixed() })}`;
    expect((await same(raw('/deploy/plan', bom))).status).toBe(200);
    const charset = (o: CallOptions) =>
      api.post(
        '/deploy/plan',
        { config: mixed() },
        { headers: { ...o.headers, 'content-type': 'application/json; charset=UTF-8' } },
      );
    expect((await same(charset)).status).toBe(200);
  });

  it('answers an invalid body before the key is checked, and the key before the config is read', async () => {
    const invalid = (o: CallOptions) =>
      keyed.call('post', '/deploy/plan', {
        key: 'no-such-key-0123456789abcdef',
        raw: `{"config": ${JSON.stringify(mixed())}`,
        headers: { ...o.headers, 'content-type': 'application/json' },
      });
    expect((await same(invalid)).status).toBe(400);
    const unknownKey = (o: CallOptions) =>
      keyed.post('/deploy/plan', { config: mixed() }, { ...o, key: 'no-such-key-0123456789abcdef' });
    expect((await same(unknownKey)).status).toBe(401);
    const readKeySaves = (o: CallOptions) =>
      keyed.post('/deploy/plan', { config: mixed(), validate_only: false }, { ...o, key: KEYS.aRead });
    expect((await same(readKeySaves)).status).toBe(403);
    expect((await same((o) => keyed.post('/deploy/plan', { config: mixed() }, { ...o, key: KEYS.aRead }))).status).toBe(
      200,
    );
  });

  it('gives routes that parse inline the body read on the pool, and states the size limit alike', async () => {
    const schedule = await same((o) => api.post('/schedules', { interval: '1h', config: mixed() }, o));
    expect(schedule.status).toBe(503);
    expect((await same((o) => small.post('/deploy/plan', { config: mixed() }, o), false)).status).toBe(413);
  });
});

describe('graphs built on the pool', () => {
  it("keeps the graph the thread built for a config and tenant, the same as one built here; another tenant's is built anew", async () => {
    const raw = Buffer.from(JSON.stringify({ config: mixed() }));
    const built = jest.spyOn(buildGraph, 'buildSpecGraph');
    const parsed = await offloaded('apply')(raw, { tenant: 'tenant-a', role: 'operate' });
    if (!('body' in parsed) || !parsed.body.config) throw new Error('expected a parsed body with a config');
    const graph = specGraphOf(parsed.body.config, 'tenant-a');
    expect(built).not.toHaveBeenCalled();
    built.mockRestore();
    const inline = validate.validateConfig(mixed(), registry);
    if (!inline.ok) throw new Error('the config is valid');
    expect(graph).toEqual(buildGraph.buildSpecGraph(inline.config, registry, 'tenant-a'));
    expect(specGraphOf(parsed.body.config, 'tenant-b').graph_id).toBe(
      buildGraph.buildSpecGraph(inline.config, registry, 'tenant-b').graph_id,
    );
  });
});

describe('the pool', () => {
  const json = (text: string) => new TextEncoder().encode(text);

  it('answers 429 busy, with Retry-After, to a job beyond its queue', async () => {
    const pool = new OffloadPool({ threads: 1, maxQueued: 1, idleMs: 60_000 });
    try {
      const running = pool.run('json', json('{}'));
      const queued = pool.run('json', json('[1'));
      await expect(pool.run('json', json('{}'))).rejects.toMatchObject({
        status: 429,
        type: 'busy',
        headers: { 'Retry-After': '1' },
      });
      await expect(running).resolves.toBe(true);
      await expect(queued).resolves.toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('fails the job of a thread that stops, and runs the next one on a new thread', async () => {
    const pool = new OffloadPool({ threads: 1, maxQueued: 4, idleMs: 0 });
    try {
      const lost = pool.run('json', json('{}'));
      await pool.close();
      await expect(lost).rejects.toThrow(/offload thread exited/);
      await expect(pool.run('json', json('{}'))).resolves.toBe(true);
      // idleMs 0: that thread stopped once idle; the next job starts another.
      await expect(pool.run('json', json('[]'))).resolves.toBe(true);
    } finally {
      await pool.close();
    }
  });
});
