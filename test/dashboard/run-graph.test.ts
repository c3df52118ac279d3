/**
 * The run page draws the run's graph from GET /deploy/graph: edges by kind (dependency, pause,
 * end), an "irreversible" badge on a point of no return; a breakpoint set from the page pauses
 * the run at its node, and Continue finishes it; a breakpoint the run can no longer take shows
 * the run's refusal. Real worker, real API, real browser.
 */
import type { Page } from 'playwright-core';
import { delay } from '../../support/deployments';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';
import { applied, graphNode, openWithoutEvents, recorded, runStatus } from './run-fixtures';

const bed = useDashboard();

const edgeCount = (page: Page, kind: string): Promise<number> => page.locator(`[data-edge-kind="${kind}"]`).count();

it('draws edges by kind and badges a point of no return; a breakpoint set from the page pauses the run there', async () => {
  const id = await applied(bed, {
    build: delay({ outputs: { artifact: 'app-1.zip' } }),
    migrate: delay({}, { depends_on: [{ resource: 'build', edge: 'pause' }], point_of_no_return: true }),
    release: delay({}, { depends_on: ['migrate'] }),
    announce: delay({}, { depends_on: ['release'] }),
    later: delay({}, { depends_on: [{ resource: 'announce', edge: 'end' }] }),
  });
  const page = await bed.open(`/ui#/runs/${id}`);
  await graphNode(page, 'migrate', 'paused irreversible').waitFor();
  expect([await edgeCount(page, 'dependency'), await edgeCount(page, 'pause'), await edgeCount(page, 'end')]).toEqual([
    2, 1, 1,
  ]);
  expect(await graphNode(page, 'migrate', 'paused irreversible').locator('.graph-badge').textContent()).toMatch(
    /^\s*irreversible$/,
  );
  expect(await page.locator('.graph-badge').count()).toBe(1);
  await graphNode(page, 'migrate', 'paused irreversible').click();
  await page
    .getByRole('region', { name: /^migrate/ })
    .getByText('once it completes, the run cannot be rolled back past it', { exact: false })
    .waitFor();

  await graphNode(page, 'release', 'pending').click();
  const release = page.getByRole('region', { name: /^release/ });
  await release.getByRole('button', { name: 'Pause before this node', exact: true }).click();
  // Enabled again (the page's controls wait on one decision at a time) once the breakpoint is set.
  await page.getByRole('button', { name: 'Continue all', exact: true }).click();
  await graphNode(page, 'release', 'paused').waitFor();
  await page.getByRole('status').getByText('release: breakpoint').waitFor();
  await release.getByText('Waits for a continue: breakpoint.').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await release.getByRole('button', { name: 'Close', exact: true }).click();
  await release.waitFor({ state: 'detached' });
  await screenshot(page, 'run-live');

  await graphNode(page, 'release', 'paused').click();
  await release.getByRole('button', { name: 'Continue release', exact: true }).click();
  await runStatus(page, 'ended').waitFor();
  await graphNode(page, 'announce', 'completed').waitFor();
  await graphNode(page, 'later', 'pending').waitFor();
  await screenshot(page, 'run-breakpoint-continued');
  await recorded(bed, id, 'ended');
});

it("shows the run's refusal of a breakpoint on a node that is no longer pending", async () => {
  const id = await applied(bed, { first: delay({ duration_ms: 4_000 }), next: delay({}, { depends_on: ['first'] }) });
  const page = await openWithoutEvents(bed, id);
  await graphNode(page, 'next', 'pending').click();
  const panel = page.getByRole('region', { name: /^next/ });
  await panel.getByRole('button', { name: 'Pause before this node', exact: true }).waitFor();
  // The run goes on while this page cannot read it (no events, then no status): it still offers the breakpoint.
  await page.route('**/deploy/status/**', (route) => route.abort());
  await recorded(bed, id, 'completed');
  await panel.getByRole('button', { name: 'Pause before this node', exact: true }).click();
  const refusal = panel.getByRole('alert');
  await refusal.getByText('Refused:', { exact: false }).waitFor();
  expect(await refusal.textContent()).toMatch(/409/);
  await screenshot(page, 'run-refused-breakpoint');
});
