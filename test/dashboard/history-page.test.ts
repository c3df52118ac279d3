/**
 * A deployment's history in the browser against the real product: its runs newest first, with
 * version, type and mode, status, times and duration, each linking to its run; a page at a time.
 */
import { config, delay } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';

const bed = useDashboard();

async function applied(deploymentId: string, version: string): Promise<string> {
  const cfg = { ...config({ a: delay({ duration_ms: 1 }) }, {}, deploymentId), version };
  const response = await bed.http.post('/deploy/apply', { config: cfg, wait: 60 });
  expect(response.body).toMatchObject({ status: 'completed' });
  return (response.body as { run_id: string }).run_id;
}

/** Waits until the history (from Temporal visibility, updated a moment after a run) counts `total` runs. */
async function listed(deploymentId: string, total: number): Promise<void> {
  for (let tries = 0; ; tries += 1) {
    const history = (await bed.http.get(`/deploy/history/${deploymentId}`)).body as { runs_total?: number };
    if (history.runs_total === total) return;
    expect(tries).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('lists the runs newest first with version, type, status and duration, each linking to its run', async () => {
  const id = uniqueId('history-ui');
  const first = await applied(id, 'v1');
  const second = await applied(id, 'v2');
  await listed(id, 2);
  const page = await bed.open(`/ui#/deployments/${id}/history`);
  await page.getByText('Runs 1–2 of 2, newest first.').waitFor();
  const rows = page.getByRole('row');
  expect(await rows.count()).toBe(3);
  expect(await rows.nth(1).textContent()).toMatch(/v2.*apply · FULL.*completed/);
  expect(await rows.nth(2).textContent()).toMatch(/v1.*apply · FULL.*completed/);
  expect(await page.getByRole('link', { name: `Run …${second.slice(-12)}` }).getAttribute('href')).toBe(
    `#/runs/${id}?run_id=${second}`,
  );
  await page.getByRole('link', { name: `Run …${first.slice(-12)}` }).click();
  await page.waitForURL(`**/ui#/runs/${id}?run_id=${first}`);
  await page.goBack();
  await page.getByText('Runs 1–2 of 2, newest first.').waitFor();
  await screenshot(page, 'history-list');
  expect(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 400, height: 800 });
  await screenshot(page, 'history-narrow');
  expect(await seriousViolations(page)).toEqual([]);
});

it('pages through more runs than a page holds', async () => {
  const id = uniqueId('history-ui');
  for (let i = 1; i <= 21; i += 1) await applied(id, `v${i}`);
  await listed(id, 21);
  const page = await bed.open(`/ui#/deployments/${id}/history`);
  await page.getByText('Runs 1–20 of 21, newest first.').waitFor();
  expect(await page.getByRole('button', { name: 'Newer runs', exact: true }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Older runs', exact: true }).click();
  await page.getByText('Runs 21–21 of 21, newest first.').waitFor();
  expect(await page.getByRole('row').nth(1).textContent()).toMatch(/^Run …\w+v1apply/);
  expect(await page.getByRole('button', { name: 'Older runs', exact: true }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Newer runs', exact: true }).click();
  await page.getByText('Runs 1–20 of 21, newest first.').waitFor();
});

it('shows the service’s answer for a deployment that never ran', async () => {
  const page = await bed.open(`/ui#/deployments/${uniqueId('history-ui')}/history`);
  await page.getByRole('alert').waitFor();
  expect(await page.getByRole('alert').textContent()).toMatch(
    /^The history did not load: .*not found \(404 not_found\)$/,
  );
  await screenshot(page, 'history-unknown');
  expect(await seriousViolations(page)).toEqual([]);
});
