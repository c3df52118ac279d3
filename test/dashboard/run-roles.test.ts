/**
 * Where the service has API_KEYS, a read-only key sees its tenant's deployments and runs but no
 * control; the run stays the operators' to steer.
 */
import { delay } from '../../support/deployments';
import { API_KEYS, KEYS } from '../api/helpers/app';
import { screenshot } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';
import { applied, graphNode, recorded } from './run-fixtures';

const bed = useDashboard({ keys: API_KEYS });

it('shows a read-only key the run without its controls', async () => {
  const id = await applied(
    bed,
    { a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) },
    {},
    KEYS.aOperate,
  );
  const page = await bed.open('/ui#/deployments');
  await page.getByLabel('Key', { exact: true }).fill(KEYS.aRead);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Tenant tenant-a.', { exact: false }).waitFor();
  await page.getByRole('link', { name: id, exact: true }).click();
  await graphNode(page, 'b', 'paused').click();
  await page.getByRole('heading', { name: /^b/ }).waitFor();
  await page.getByText('Waits for a continue: pause edge.').waitFor();
  expect(await page.getByRole('region', { name: 'Controls' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^(Continue|Retry|Skip|Roll back|Abort)/ }).count()).toBe(0);
  await screenshot(page, 'run-read-only');

  expect((await bed.http.post('/deploy/continue', { deployment_id: id }, { key: KEYS.aOperate })).status).toBe(200);
  await graphNode(page, 'b', 'completed').waitFor();
  await recorded(bed, id, 'completed', KEYS.aOperate);
});
