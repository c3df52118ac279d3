/**
 * The schedules page against the real product: a schedule created over the API shows its spec and
 * next runs; Pause, Resume and Trigger now work from the page (a trigger shows as a recent run);
 * a refusal (the schedule deleted meanwhile) shows the service's error; Delete asks first.
 */
import type { Locator, Page } from 'playwright-core';
import { config, delay } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';

const bed = useDashboard();

async function createSchedule(body: Record<string, unknown> = {}): Promise<{ id: string; deploymentId: string }> {
  const deploymentId = uniqueId('sched-ui');
  const response = await bed.http.post('/schedules', {
    config: config({ a: delay({ duration_ms: 10 }) }, {}, deploymentId),
    interval: '1h',
    note: 'hourly soak',
    ...body,
  });
  expect(response.status).toBe(201);
  return { id: (response.body as { schedule_id: string }).schedule_id, deploymentId };
}

const card = (page: Page, id: string): Locator => page.getByRole('article', { name: id });

it('shows a schedule with its spec and next runs; pause, resume and trigger work from the page', async () => {
  const { id, deploymentId } = await createSchedule();
  const page = await bed.open('/ui#/schedules');
  const schedule = card(page, id);
  await schedule.waitFor();
  const text = await schedule.textContent();
  expect(text).toContain('every 1h');
  expect(text).toContain(`apply (FULL) of ${deploymentId}`);
  expect(text).toContain('hourly soak');
  expect(await schedule.getByRole('heading', { name: 'Next runs' }).isVisible()).toBe(true);
  expect(await schedule.getByRole('listitem').count()).toBeGreaterThan(0);
  await screenshot(page, 'schedules-list');
  expect(await seriousViolations(page)).toEqual([]);

  await schedule.getByRole('button', { name: 'Pause', exact: true }).click();
  await schedule.getByText('Paused.', { exact: true }).waitFor();
  await schedule.getByText('None while paused.').waitFor();
  expect((await bed.http.get(`/schedules/${id}`)).body).toMatchObject({ paused: true });
  await screenshot(page, 'schedules-paused');

  await schedule.getByRole('button', { name: 'Resume', exact: true }).click();
  await schedule.getByText('Resumed.', { exact: true }).waitFor();
  expect((await bed.http.get(`/schedules/${id}`)).body).toMatchObject({ paused: false });

  await schedule.getByRole('button', { name: 'Trigger now', exact: true }).click();
  await schedule.getByText('Triggered: a run starts now.').waitFor();
  const recentRuns = async (): Promise<unknown[]> =>
    ((await bed.http.get(`/schedules/${id}`)).body as { recent_runs: unknown[] }).recent_runs;
  for (let tries = 0; (await recentRuns()).length === 0; tries += 1) {
    expect(tries).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await schedule.getByText('None yet.').waitFor({ state: 'detached' });
  await page.setViewportSize({ width: 400, height: 800 });
  await screenshot(page, 'schedules-narrow');
  expect(await seriousViolations(page)).toEqual([]);
  await bed.http.call('delete', `/schedules/${id}`);
});

it('shows a refusal with the service’s reason, and deletes only after a confirmation', async () => {
  const gone = await createSchedule();
  const kept = await createSchedule({ interval: '2h' });
  const page = await bed.open('/ui#/schedules');
  await card(page, gone.id).waitFor();
  expect((await bed.http.call('delete', `/schedules/${gone.id}`)).status).toBe(200);
  await card(page, gone.id).getByRole('button', { name: 'Pause', exact: true }).click();
  const refusal = card(page, gone.id).getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(/^Refused: .*\(404 /);
  await screenshot(page, 'schedules-refused');

  page.once('dialog', (dialog) => void dialog.dismiss());
  await card(page, kept.id).getByRole('button', { name: 'Delete', exact: true }).click();
  expect((await bed.http.get(`/schedules/${kept.id}`)).status).toBe(200);
  page.once('dialog', (dialog) => {
    expect(dialog.message()).toContain(kept.id);
    void dialog.accept();
  });
  await card(page, kept.id).getByRole('button', { name: 'Delete', exact: true }).click();
  await card(page, kept.id).waitFor({ state: 'detached' });
  expect((await bed.http.get(`/schedules/${kept.id}`)).status).toBe(404);
});
