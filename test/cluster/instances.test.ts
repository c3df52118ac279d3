/**
 * What one API instance stores, another serves: on the local cluster with two API instances, a
 * plan saved through one is applied through the other, both list the same templates, a step package deployed through one runs
 * in a deployment applied through the other, and a schedule fires once per interval (schedules are
 * Temporal Schedules, fired by the server, never by an API process, so a second instance adds no
 * second firing).
 */
import { ACME_DNS_FILES, startDnsApi } from '../packages/helpers/acme-dns';
import { useCluster } from './helpers/cluster-bed';

const bed = useCluster({ workers: 1, apis: 2 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MINUTE = 60_000;

interface RecentRun {
  readonly workflow_id: string;
  readonly scheduled_at: string;
}

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The run's final status, read through `url`. */
async function finished(url: string, deploymentId: string): Promise<{ status: string }> {
  for (let i = 0; i < 120; i += 1) {
    const status = (await (await fetch(`${url}/deploy/status/${deploymentId}`)).json()) as { status: string };
    if (!['running', 'pending'].includes(status.status)) return status;
    await sleep(500);
  }
  throw new Error(`${deploymentId} did not finish within a minute`);
}

it('applies through one API instance the plan saved through the other', async () => {
  const [first, second] = bed.cluster().apiUrls as [string, string];
  const config = {
    deployment_id: 'saved-plan',
    version: 'v1',
    resources: { a: { type: 'core:delay', properties: { duration_ms: 50 } } },
  };
  const planned = (await (await post(first, '/deploy/plan', { config, validate_only: false })).json()) as {
    spec_graph_id: string;
  };
  const applied = await post(second, '/deploy/apply', { graph_id: planned.spec_graph_id });
  expect(applied.status).toBe(202);
  expect(await finished(first, 'saved-plan')).toMatchObject({ status: 'completed' });
});

it('lists the same templates from both instances (each reads the same templates folder)', async () => {
  const lists = await Promise.all(
    bed
      .cluster()
      .apiUrls.map(async (url) => (await (await fetch(`${url}/templates`)).json()) as { templates: unknown[] }),
  );
  expect(lists[0]?.templates.length).toBeGreaterThan(0);
  expect(lists[1]).toEqual(lists[0]);
});

it('runs a step package deployed through one API instance in a deployment applied through the other', async () => {
  const [first, second] = bed.cluster().apiUrls as [string, string];
  const dns = await startDnsApi();
  try {
    expect((await post(first, '/packages/acme-dns/deploy', { files: ACME_DNS_FILES })).status).toBe(201);
    const config = {
      deployment_id: 'packaged',
      version: 'v1',
      resources: { www: { type: 'acme:dns:record', properties: { api_url: dns.url, name: 'www', value: '10.0.0.1' } } },
    };
    expect((await post(second, '/deploy/apply', { config })).status).toBe(202);
    expect(await finished(second, 'packaged')).toMatchObject({ status: 'completed' });
    expect(dns.records.get('www')).toBe('10.0.0.1');
  } finally {
    await dns.close();
  }
});

it('fires exactly once per interval with two API instances up', async () => {
  const [first, second] = bed.cluster().apiUrls as [string, string];
  const post = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const config = {
    deployment_id: 'every-minute',
    version: 'v1',
    resources: { a: { type: 'core:delay', properties: { duration_ms: 100 } } },
  };
  const createdAt = Date.now();
  const created = await post(first, '/schedules', { config, interval: '1m' });
  expect(created.status).toBe(201);
  const id = ((await created.json()) as { schedule_id: string }).schedule_id;

  // Two interval boundaries (Temporal aligns `1m` to whole minutes), then a little for the second's run.
  const secondBoundary = (Math.floor(createdAt / MINUTE) + 2) * MINUTE;
  await sleep(secondBoundary - Date.now() + 15_000);
  const checkedAt = Date.now();
  const seen = (await (await fetch(`${second}/schedules/${id}`)).json()) as { recent_runs: RecentRun[] };
  const times = seen.recent_runs.map((r) => Date.parse(r.scheduled_at)).sort((a, b) => a - b);
  const boundaries = Math.floor(checkedAt / MINUTE) - Math.floor(createdAt / MINUTE);
  expect(times).toHaveLength(boundaries);
  expect(new Set(seen.recent_runs.map((r) => r.workflow_id)).size).toBe(boundaries);
  expect(times.every((t) => t % MINUTE === 0)).toBe(true);

  // One deployment run per firing, as either instance sees it.
  for (const url of [first, second]) {
    const history = (await (await fetch(`${url}/deploy/history/every-minute`)).json()) as { runs: unknown[] };
    expect(history.runs).toHaveLength(boundaries);
  }
  expect((await fetch(`${first}/schedules/${id}`, { method: 'DELETE' })).status).toBe(200);
});
