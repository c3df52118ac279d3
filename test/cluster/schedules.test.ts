/**
 * A schedule on the local cluster with two API instances up fires once per interval: schedules
 * are Temporal Schedules, fired by the server, never by an API process, so a second instance adds
 * no second firing. Created through one instance, read through the other.
 */
import { useCluster } from './helpers/cluster-bed';

const bed = useCluster({ workers: 1, apis: 2 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MINUTE = 60_000;

interface RecentRun {
  readonly workflow_id: string;
  readonly scheduled_at: string;
}

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
