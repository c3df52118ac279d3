/**
 * The packages page against the real product: a step package deployed over the API shows its
 * versions and log; Roll back works from the page; Undeploy asks first, is refused with the
 * service's reason while a paused run uses the package, and works once the run is over.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { config } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { finished, waitForRun } from '../api/helpers/runs';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';

const packagesDir = mkdtempSync(join(tmpdir(), 'dashboard-packages-'));
process.env['PACKAGES_DIR'] = packagesDir;
const bed = useDashboard();
// A name no other test file deploys: an undeploy is refused while any run on the shared dev server uses the name.
afterAll(() => rmSync(packagesDir, { recursive: true, force: true }));

const echo = (version: number) => ({
  'index.ts': `import { defineResourceType, z } from 'mgraph/sdk';
export default defineResourceType({
  type: 'acme:echo:page',
  description: 'Outputs the version that applied it',
  properties: z.object({}).strict(),
  plan: async () => ({ action: 'create' }),
  apply: async () => ({ outputs: { applied_by: ${version} }, undo: null }),
  compensate: async () => 'nothing to undo',
});
`,
});

const card = (page: Page, name: string): Locator => page.getByRole('article', { name });

it('shows a package’s versions and log, rolls back, and undeploys only when no run uses it', async () => {
  for (const version of [1, 2])
    expect((await bed.http.post('/packages/echo-page/deploy', { files: echo(version) })).status).toBe(201);
  const page = await bed.open('/ui#/packages');
  const echoCard = card(page, 'echo-page');
  await echoCard.getByText('version 2 (current)').waitFor();
  expect(await echoCard.textContent()).toContain('acme:echo:page');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'packages-list');

  await echoCard.getByRole('button', { name: 'Roll back to version 1' }).click();
  await echoCard.getByText('Version 1 serves new runs.').waitFor();
  await echoCard.getByText('version 1 (current)').waitFor();
  expect((await bed.http.get('/packages/echo-page')).body).toMatchObject({ version: 1 });
  await echoCard.getByText('Log', { exact: true }).click();
  await echoCard.getByText('rolled back to version 1: acme:echo:page').waitFor();

  const deploymentId = uniqueId('echo-ui');
  const gated = config(
    {
      gate: { type: 'core:approval', properties: {} },
      echo: { type: 'acme:echo:page', properties: {}, depends_on: ['gate'] },
    },
    {},
    deploymentId,
  );
  const started = await bed.http.post('/deploy/apply', { config: gated });
  expect(started.status).toBe(202);
  const statusUrl = (started.body as { status_url: string }).status_url;
  await waitForRun(bed.http, statusUrl, (run) => run.status === 'paused');

  page.once('dialog', (dialog) => void dialog.accept());
  await echoCard.getByRole('button', { name: 'Undeploy' }).click();
  const refusal = echoCard.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(new RegExp(`^Refused: .*in use by ${deploymentId} .*\\(409 `));
  await screenshot(page, 'packages-undeploy-refused');

  expect((await bed.http.post('/deploy/abort', { deployment_id: deploymentId })).status).toBe(200);
  await waitForRun(bed.http, statusUrl, finished);
  page.once('dialog', (dialog) => void dialog.accept());
  await echoCard.getByRole('button', { name: 'Undeploy' }).click();
  await echoCard.getByText('Undeployed.').waitFor();
  expect((await bed.http.get('/packages/echo-page')).body).toMatchObject({ deploymentStatus: 'UNDEPLOYED' });
  await echoCard.getByRole('button', { name: 'Roll back to version 2' }).waitFor();
});
