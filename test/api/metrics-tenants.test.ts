/**
 * Issue 23 finding 13: /metrics per tenant. With API_KEYS an admin key sees the requests and runs
 * of its own tenant only: tenant B's admin does not see how many runs tenant A has, in which state,
 * nor A's requests; A's admin sees A's. A real Temporal server and worker.
 */
import type { ApiKey } from '../../src/config/api-keys';
import { config, delay } from '../../support/deployments';
import { uniqueId, useTemporal } from '../../support/temporal';
import { eventually } from '../helpers/eventually';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
// Tenants of their own: the server's visibility holds other test files' runs too.
const A = uniqueId('metrics-a');
const B = uniqueId('metrics-b');
const KEYS = {
  aOperate: `${A}-operate-key-0123456789`,
  aAdmin: `${A}-admin-key-0123456789`,
  bAdmin: `${B}-admin-key-0123456789`,
};
const API_KEYS: ApiKey[] = [
  { key: KEYS.aOperate, tenant: A, role: 'operate' },
  { key: KEYS.aAdmin, tenant: A, role: 'admin' },
  { key: KEYS.bAdmin, tenant: B, role: 'admin' },
];
let api: Http;

beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue, keys: API_KEYS });
});

/** The value of one sample line of /metrics as `key` sees it, or null when there is no such sample. */
async function sample(key: string, series: string): Promise<number | null> {
  const response = await api.get('/metrics', { key });
  expect(response.status).toBe(200);
  const line = response.text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

const COMPLETED = 'deployment_runs{status="completed"}';
const STARTED = 'deployment_runs_started_total{action="apply",mode="FULL"}';
const APPLIED = 'http_requests_total{method="POST",route="/deploy/apply",status="202"}';

it("shows tenant B's admin none of tenant A's run counts or requests, and A's admin A's own", async () => {
  const started = await api.post('/deploy/apply', { config: config({ a: delay() }) }, { key: KEYS.aOperate });
  expect(started.status).toBe(202);
  const run = await waitForRun(api, started.body.status_url as string, finished, KEYS.aOperate);
  expect(run.status).toBe('completed');

  await eventually(async () => {
    expect(await sample(KEYS.aAdmin, COMPLETED)).toBe(1);
  });
  expect(await sample(KEYS.aAdmin, APPLIED)).toBe(1);
  expect(await sample(KEYS.aAdmin, STARTED)).toBe(1);

  expect(await sample(KEYS.bAdmin, COMPLETED)).toBe(0);
  expect(await sample(KEYS.bAdmin, APPLIED)).toBeNull();
  const seenByB = (await api.get('/metrics', { key: KEYS.bAdmin })).text;
  expect(seenByB).not.toMatch(/^deployment_runs_started_total\{/m);
  expect(seenByB).not.toMatch(/^http_requests_total\{.*route="\/deploy\/(apply|status)/m);
  // The process's own metrics are the service's, not a tenant's: every admin sees them.
  expect(seenByB).toMatch(/^process_cpu_seconds_total /m);
});
