/**
 * Issue 23, items 7 and 9, over REST with a real Temporal server: a duration setting out of its
 * range (zero, or too large for Temporal) is a 400 naming the field and the range on plan and
 * apply, and no run starts; a schedule firing more often than once a minute is a 400, Temporal's
 * refusal of a schedule is a 400 (never a 500), and a tenant may have at most 100 schedules.
 */
import type { ApiKey } from '../../src/config/api-keys';
import { config, delay } from '../../support/deployments';
import { uniqueId, useTemporal } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';

const temporal = useTemporal();
let api: Http;

beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

interface Issue {
  path: string;
  message: string;
}

const issuesOf = (body: { error: { details: { issues: Issue[] } } }): Issue[] =>
  body.error.details.issues.map(({ path, message }) => ({ path, message }));

describe.each(['/deploy/plan', '/deploy/apply'])('POST %s refuses a duration setting out of its range', (route) => {
  it.each([
    [{ node_timeout: 0 }, 'node_timeout', 'node_timeout must be between 1s and 24h, not 0 ms'],
    [
      { decision_timeout: '100000000d' },
      'decision_timeout',
      'decision_timeout must be between 1s and 30d, not "100000000d"',
    ],
    [
      { decision_timeout: '99999999999d' },
      'decision_timeout',
      'decision_timeout must be between 1s and 30d, not "99999999999d"',
    ],
    [{ node_timeout: '99999999999d' }, 'node_timeout', 'node_timeout must be between 1s and 24h, not "99999999999d"'],
    [
      { retry: { initial_interval: '1ms' } },
      'retry.initial_interval',
      'initial_interval must be between 10ms and 1h, not "1ms"',
    ],
  ])('settings %j: a 400 on config.settings.%s', async (settings, field, message) => {
    const cfg = config({ a: delay() }, settings);
    const response = await api.post(route, { config: cfg });
    expect([response.status, response.body.error?.type]).toEqual([400, 'validation_error']);
    expect(issuesOf(response.body)).toEqual([{ path: `config.settings.${field}`, message }]);
    expect((await api.get(`/deploy/status/${String(cfg['deployment_id'])}`)).status).toBe(404);
  });
});

it('POST /deploy/apply refuses a settings override out of its range, and starts no run', async () => {
  const cfg = config({ a: delay() });
  const response = await api.post('/deploy/apply', {
    config: cfg,
    settings: { node_timeout: 0, decision_timeout: '99999999999d' },
  });
  expect(response.status).toBe(400);
  expect(issuesOf(response.body)).toEqual([
    { path: 'settings.node_timeout', message: 'node_timeout must be between 1s and 24h, not 0 ms' },
    { path: 'settings.decision_timeout', message: 'decision_timeout must be between 1s and 30d, not "99999999999d"' },
  ]);
  expect((await api.get(`/deploy/status/${String(cfg['deployment_id'])}`)).status).toBe(404);
});

/** POST /schedules of a small config, paused: its status and issues. */
async function schedule(spec: Record<string, unknown>): Promise<[number, Issue[]]> {
  const response = await api.post('/schedules', { config: config({ a: delay() }), paused: true, ...spec });
  if (response.status === 201) await api.delete(`/schedules/${String(response.body.schedule_id)}`);
  return [response.status, response.status === 201 ? [] : issuesOf(response.body)];
}

describe('POST /schedules', () => {
  it.each(['1s', '1ms', '59s', '99999999999d'])(
    'refuses interval %s: a 400 naming interval and the range',
    async (interval) => {
      expect(await schedule({ interval })).toEqual([
        400,
        [{ path: 'interval', message: `interval must be between 1m and 365d, not "${interval}"` }],
      ]);
    },
  );

  it.each(['* * * * * *', '* * * * * * *', '@every 1s', '0 3 * *'])(
    'refuses cron %j: five fields only, so never more often than once a minute',
    async (cron) => {
      expect(await schedule({ cron })).toEqual([
        400,
        [{ path: 'cron', message: expect.stringMatching(/^cron must be five fields/) }],
      ]);
    },
  );

  it('answers a cron Temporal refuses with a 400 on cron, not a 500', async () => {
    expect(await schedule({ cron: '99 * * * *' })).toEqual([
      400,
      [{ path: 'cron', message: 'Temporal refused the schedule: Minute is not in range [0-59]' }],
    ]);
  });

  it('takes an interval of one minute', async () => {
    const response = await api.post('/schedules', { config: config({ a: delay() }), interval: '1m', paused: true });
    expect([response.status, response.body.interval]).toEqual([201, '1m']);
    await api.delete(`/schedules/${String(response.body.schedule_id)}`);
  });
});

it('caps a tenant at 100 schedules: the next is a 409 limit_reached, other tenants are not affected', async () => {
  const keys: ApiKey[] = [
    { key: `cap-admin-${uniqueId('key')}`, tenant: uniqueId('cap'), role: 'admin' },
    { key: `cap-other-${uniqueId('key')}`, tenant: uniqueId('other'), role: 'admin' },
  ];
  const [full, other] = keys.map((k) => k.key) as [string, string];
  const tenantApi = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue, keys });
  const cfg = config({ a: delay() });
  const create = (key: string) =>
    tenantApi.post('/schedules', { config: cfg, cron: '0 3 * * *', paused: true }, { key });
  const ids: string[] = [];
  const listed = async (key: string): Promise<number> =>
    ((await tenantApi.get('/schedules', { key })).body.schedules as unknown[]).length;
  try {
    for (let i = 0; i < 100; i += 1) {
      const created = await create(full);
      expect(created.status).toBe(201);
      ids.push(String(created.body.schedule_id));
    }
    const deadline = Date.now() + 30_000;
    while ((await listed(full)) < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await listed(full)).toBe(100);

    const refused = await create(full);
    expect([refused.status, refused.body.error.type, refused.body.error.details]).toEqual([
      409,
      'limit_reached',
      { limit: 100 },
    ]);
    expect(refused.body.error.message).toMatch(/has 100 schedules, the most it may have/);
    expect(await listed(full)).toBe(100);

    const elsewhere = await create(other);
    expect(elsewhere.status).toBe(201);
    ids.push(String(elsewhere.body.schedule_id));
  } finally {
    for (const id of ids) await temporal.client.schedule.getHandle(id).delete();
  }
});
