/**
 * Deleting needs an admin key: an apply whose graph holds `operation: "delete"` nodes runs those
 * types' destroy, so an operate key may plan it (the plan says what it deletes and that applying
 * needs an admin key) and dry-run it, but not apply it; an admin key may. Real Temporal and worker.
 */
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { API_KEYS, KEYS, testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
let api: Http;

beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue, keys: API_KEYS });
});

it('refuses an operate key an apply that deletes, says so in the plan, and lets an admin key apply it', async () => {
  const cfg = config({ keep: delay(), old: delay({}, { operation: 'delete' }) });

  const plan = await api.post('/deploy/plan', { config: cfg }, { key: KEYS.aOperate });
  expect(plan.status).toBe(200);
  expect(plan.body.warnings).toContain('this run deletes old (operation "delete"): applying it needs an admin key');

  const refused = await api.post('/deploy/apply', { config: cfg }, { key: KEYS.aOperate });
  expect([refused.status, refused.body.error.type]).toEqual([403, 'forbidden']);
  expect(refused.body.error.message).toBe(
    'this run deletes old (operation "delete"): deleting needs an admin key, and this key\'s role is operate',
  );

  const dryRun = await api.post('/deploy/apply', { config: cfg, mode: 'DRY_RUN' }, { key: KEYS.aOperate });
  expect(dryRun.status).toBe(202);
  await waitForRun(api, dryRun.body.status_url as string, finished, KEYS.aOperate);

  const applied = await api.post('/deploy/apply', { config: cfg }, { key: KEYS.aAdmin });
  expect(applied.status).toBe(202);
  expect((await waitForRun(api, applied.body.status_url as string, finished, KEYS.aAdmin)).status).toBe('completed');
});

it('lets an operate key apply what deletes nothing', async () => {
  const applied = await api.post('/deploy/apply', { config: config({ a: delay() }) }, { key: KEYS.bOperate });
  expect(applied.status).toBe(202);
});
