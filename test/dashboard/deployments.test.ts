/**
 * The deployments page against the real product: every deployment with its latest run's status,
 * searched and filtered, refreshed live; a row opens its run, whose graph follows the run live
 * to completed.
 */
import { delay } from '../../support/deployments';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';
import { applied, graphNode, recorded, runStatus } from './run-fixtures';

const bed = useDashboard();

it('lists deployments with their status, searches and filters them, and opens a run that completes live', async () => {
  const quick = await applied(bed, { only: delay() });
  const held = await applied(bed, { a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) });
  const page = await bed.open('/ui#/deployments');
  const table = page.getByRole('table');
  await table.getByRole('link', { name: quick, exact: true }).waitFor();
  await table.getByRole('row').filter({ hasText: quick }).getByText('completed', { exact: true }).waitFor();

  // Applied while the page is open: the poll (every 3 s) shows it running without a reload, so it runs for 20 s
  // (a loaded CI machine once let an 8 s run end before the page saw it running).
  const slow = await applied(bed, {
    build: delay({ duration_ms: 16_000 }),
    test: delay({ duration_ms: 4_000 }, { depends_on: ['build'] }),
  });
  const slowRow = table.getByRole('row').filter({ hasText: slow });
  await slowRow.getByText('running', { exact: true }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'deployments-list');

  await page.getByLabel('Search', { exact: true }).fill(slow.slice(-8));
  await table.getByRole('link', { name: quick, exact: true }).waitFor({ state: 'detached' });
  await page.getByLabel('Search', { exact: true }).fill('');
  await page.getByLabel('Status', { exact: true }).selectOption('paused');
  await table.getByRole('link', { name: held, exact: true }).waitFor();
  expect(await table.getByRole('link', { name: quick, exact: true }).count()).toBe(0);
  await screenshot(page, 'deployments-filtered-paused');
  await page.getByLabel('Status', { exact: true }).selectOption('');
  expect(await table.getByRole('link', { name: `History of ${quick}`, exact: true }).getAttribute('href')).toBe(
    `#/deployments/${quick}/history`,
  );

  await table.getByRole('link', { name: slow, exact: true }).click();
  await page.getByRole('heading', { name: `Run of ${slow}`, exact: true }).waitFor();
  await graphNode(page, 'build', 'running')
    .or(graphNode(page, 'build', 'completed'))
    .waitFor();
  await screenshot(page, 'run-live-running');
  await graphNode(page, 'test', 'completed').waitFor({ timeout: 40_000 });
  await graphNode(page, 'build', 'completed').waitFor();
  await runStatus(page, 'completed').waitFor();
  expect(
    await page.getByRole('list', { name: 'Timeline of node start and finish' }).getByRole('listitem').count(),
  ).toBe(2);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'run-live-completed');
  await recorded(bed, slow, 'completed');
});

it('is readable on a narrow screen', async () => {
  const id = await applied(bed, { only: delay() });
  const page = await bed.open('/ui#/deployments', { width: 400, height: 800 });
  await page.getByRole('link', { name: id, exact: true }).waitFor();
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
  await screenshot(page, 'deployments-narrow');
});
