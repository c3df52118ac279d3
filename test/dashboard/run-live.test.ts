/**
 * The run page waits with the run: a pause edge shows its node paused and why, Continue lets the
 * run go on; an approval gate is approved by name, after a confirmation; the page shows each
 * state live and passes an accessibility scan.
 */
import { delay } from '../../support/deployments';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';
import { acceptDialogs, applied, graphNode, recorded, runStatus } from './run-fixtures';

const bed = useDashboard();

it('shows a pause edge as paused, continues it, approves a gate, and finishes the run', async () => {
  const id = await applied(bed, {
    build: delay({ outputs: { artifact: 'app-1.zip' } }),
    test: delay({}, { depends_on: [{ resource: 'build', edge: 'pause' }] }),
    approve: { type: 'core:approval', depends_on: ['test'], properties: { message: 'Release?' } },
    release: delay({}, { depends_on: ['approve'] }),
  });
  const page = await bed.open(`/ui#/runs/${id}`);
  const asked = acceptDialogs(page);
  await graphNode(page, 'test', 'paused').waitFor();
  await runStatus(page, 'paused').waitFor();
  await page.getByRole('status').getByText('pause edge').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'run-paused-at-pause-edge');

  await graphNode(page, 'build', 'completed').click();
  const panel = page.getByRole('region', { name: /^build/ });
  await panel.getByText('"artifact": "app-1.zip"').waitFor();
  await panel.getByText('core:delay', { exact: true }).waitFor();
  expect(await panel.getByRole('link', { name: 'This run in the Temporal Web UI' }).getAttribute('href')).toMatch(
    new RegExp(`/workflows/deploy-${id}/`),
  );
  await screenshot(page, 'run-node-panel');

  await page.getByRole('button', { name: 'Continue all', exact: true }).click();
  await graphNode(page, 'approve', 'paused').waitFor();
  await page.getByRole('status').getByText('approval gate').waitFor();
  await graphNode(page, 'approve', 'paused').press('Enter');
  await screenshot(page, 'run-approval-gate');
  await page.getByRole('button', { name: 'Approve approve', exact: true }).click();
  await runStatus(page, 'completed').waitFor();
  await graphNode(page, 'release', 'completed').waitFor();
  expect(asked).toEqual(['Approve approve? What depends on it will run.']);
  // The timeline lists the nodes in the order they started.
  const timeline = page.getByRole('list', { name: 'Timeline of node start and finish' }).getByRole('button');
  await timeline.nth(3).waitFor();
  expect(await timeline.allTextContents()).toEqual(['build', 'test', 'approve', 'release']);
  await screenshot(page, 'run-continued-completed');
  await recorded(bed, id, 'completed');

  const narrow = await bed.open(`/ui#/runs/${id}`, { width: 400, height: 800 });
  await graphNode(narrow, 'release', 'completed').click();
  await narrow.getByRole('heading', { name: /^release/ }).waitFor();
  expect(await narrow.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
  await screenshot(narrow, 'run-narrow-node-panel');
  await narrow.keyboard.press('Escape');
  await narrow.getByRole('heading', { name: /^release/ }).waitFor({ state: 'detached' });
  await screenshot(narrow, 'run-narrow');
});
