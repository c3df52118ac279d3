/**
 * A 1,000-node run on the run page (20 layers of 50, each node after two of the layer before:
 * 1,900 edges): its graph is drawn with its edges, follows the live events (nodes turn completed as
 * the run goes, the page stays responsive), and the Abort control (confirmed first) stops it, which
 * the deployments list then shows. How fast it opens and how closely it follows are measured by the
 * benchmark (bench/suites/dashboard-render.ts), not here.
 */
import { delay } from '../../support/deployments';
import { eventually } from '../helpers/eventually';
import { screenshot } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';
import { acceptDialogs, applied, runStatus } from './run-fixtures';

const bed = useDashboard();
const NODES = 1_000;
const LAYER = 50;

/** Node i's two dependencies in the layer before its own (none in the first layer). */
function dependsOn(i: number): string[] {
  const layer = Math.floor(i / LAYER);
  if (layer === 0) return [];
  const first = (layer - 1) * LAYER;
  return [first + (i % LAYER), first + ((i + 1 + (layer % (LAYER - 1))) % LAYER)].map((d) => `n${d}`);
}

it('draws a 1,000-node run, follows it live, and aborts it', async () => {
  const resources = Object.fromEntries(
    Array.from(
      { length: NODES },
      (_, i) => [`n${i}`, delay({ duration_ms: 200 }, { depends_on: dependsOn(i) })] as const,
    ),
  );
  const id = await applied(bed, resources, { max_parallel: 20 });
  const page = await bed.open('/ui#/deployments');
  acceptDialogs(page);
  await page.getByRole('heading', { name: 'Deployments', exact: true }).waitFor();

  await page.evaluate(`window.location.hash = ${JSON.stringify(`#/runs/${id}`)}`);
  await page
    .locator('.graph-node')
    .nth(NODES - 1)
    .waitFor();
  expect(await page.locator('[data-edge-kind="dependency"]').count()).toBe(NODES * 2 - LAYER * 2);

  // Live: nodes complete while the page follows the stream, and the page still answers at once.
  const completed = page.locator('.graph-node.node-completed');
  await completed.nth(39).waitFor();
  // A node of the 1,000 opens its panel (how fast is the benchmark's to say, not a test's).
  await page.locator('[aria-label="n999 pending"]').click();
  await page.locator('#node-title').filter({ hasText: 'n999' }).waitFor();
  await screenshot(page, 'run-1000-nodes-live');

  await page.getByRole('button', { name: 'Abort', exact: true }).click();
  await runStatus(page, 'aborted').waitFor({ timeout: 30_000 });
  const status = await bed.http.get(`/deploy/status/${id}`);
  const done = (status.body as { nodes: { status: string }[] }).nodes.filter((n) => n.status === 'completed').length;
  await eventually(async () => expect(await completed.count()).toBe(done));

  // The deployment's record takes the run's end too (and the worker finishes reporting it before the test ends).
  await page.getByRole('link', { name: '← Deployments', exact: true }).click();
  await page.getByRole('row').filter({ hasText: id }).getByText('aborted', { exact: true }).waitFor();
});
