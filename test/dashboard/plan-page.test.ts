/**
 * Plan & apply in the browser against the real product: the CodeMirror editor works under the
 * gateway's Content-Security-Policy with the deployment schema (inline errors, completion), a plan
 * previews each node, an apply from the page starts the run and opens it, the next plan of a
 * changed property shows the update with old → new (the API's comparison with the last apply,
 * whether it was applied from the page or over the API), and an invalid config names its field.
 */
import type { Page } from 'playwright-core';
import { config, delay } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';

const bed = useDashboard();

/** Console errors (a CSP refusal among them) the page logged, but for the API's refusals the test asks for. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) errors.push(text);
  });
  return errors;
}

/** Replaces the editor's text by typing it, as a person pasting would. */
async function typeConfig(page: Page, value: unknown): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(value, null, 2));
}

async function waitForRun(deploymentId: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = (await bed.http.get(`/deploy/status/${deploymentId}`)).body as { status?: string };
    if (status.status === 'completed' || Date.now() > deadline) return String(status.status);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('applies a config from the page, then previews a changed property as an update with old → new', async () => {
  const id = uniqueId('plan-ui');
  const first = config(
    { build: delay({ duration_ms: 10 }), release: delay({ duration_ms: 10 }, { depends_on: ['build'] }) },
    { limits: { 'core:delay': 1 } },
    id,
  );
  const page = await bed.open(`/ui#/plan?deployment=${id}`);
  const errors = consoleErrors(page);
  await page.locator('.cm-content').waitFor();
  await typeConfig(page, first);
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  await page.getByRole('heading', { name: `Plan: ${id} v1` }).waitFor();
  expect(await page.getByRole('listitem', { name: 'release: create' }).textContent()).toContain('+ create');
  await page.getByText('Never applied before: every node is new.').waitFor();
  await page.getByText('In flight at once: 10 nodes; core:delay 1 (2 nodes)', { exact: true }).waitFor();
  expect(await page.getByRole('list').filter({ hasText: 'build' }).last().textContent()).toContain('release');
  await screenshot(page, 'plan-preview-create');
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel('Mode', { exact: true }).selectOption('FULL');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.waitForURL(`**/ui#/runs/${id}`);
  expect(await waitForRun(id)).toBe('completed');

  await page.goto(`${bed.url}/ui#/plan?deployment=${id}`);
  await page.locator('.cm-content').getByText('"release"').waitFor();
  const changed = config(
    { build: delay({ duration_ms: 10 }), release: delay({ duration_ms: 25 }, { depends_on: ['build'] }) },
    {},
    id,
  );
  await typeConfig(page, changed);
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  const release = page.getByRole('listitem', { name: 'release: update' });
  await release.waitFor();
  expect(await release.textContent()).toContain('~ update');
  expect(await release.getByRole('list', { name: 'Changes to release' }).textContent()).toBe(
    'properties.duration_ms: 10 → 25',
  );
  await page.getByRole('listitem', { name: 'build: no-op' }).waitFor();
  await page.getByText(`Compared with the last apply of ${id}: v1, run`).waitFor();
  await screenshot(page, 'plan-preview-update');
  await page.setViewportSize({ width: 400, height: 800 });
  await screenshot(page, 'plan-preview-update-narrow');
  expect(await seriousViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

it('previews the update of a deployment applied over the API, and a resource dropped from the config', async () => {
  const id = uniqueId('plan-api');
  const resources = {
    build: delay({ duration_ms: 10 }),
    release: delay({ duration_ms: 10 }, { depends_on: ['build'] }),
    notify: delay({ duration_ms: 10 }, { depends_on: ['release'] }),
  };
  const applied = await bed.http.post('/deploy/apply', { config: config(resources, {}, id), mode: 'FULL', wait: 30 });
  expect(applied.body.status).toBe('completed');

  const page = await bed.open(`/ui#/plan?deployment=${id}`);
  await page.locator('.cm-content').waitFor();
  await typeConfig(page, config({ build: delay({ duration_ms: 40 }), release: resources.release }, {}, id));
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  const build = page.getByRole('listitem', { name: 'build: update' });
  await build.waitFor();
  expect(await build.getByRole('list', { name: 'Changes to build' }).textContent()).toBe(
    'properties.duration_ms: 10 → 40',
  );
  await page.getByRole('listitem', { name: 'release: no-op' }).waitFor();
  expect(await page.getByRole('listitem', { name: 'notify: removed' }).textContent()).toContain(
    'an apply leaves it in place, not destroyed',
  );
  await page.getByText(`run ${String(applied.body.run_id)}`).waitFor();
  await screenshot(page, 'plan-preview-applied-over-api');
  expect(await seriousViolations(page)).toEqual([]);
});

it('underlines schema errors in the editor, completes from the schema, and shows the API’s validation errors by field', async () => {
  const page = await bed.open('/ui#/plan');
  const errors = consoleErrors(page);
  await page.locator('.cm-content').waitFor();
  await typeConfig(page, { ...config({ a: delay() }), resource: {} });
  await page.locator('.cm-lintRange-error').first().hover();
  const problem = page.locator('.cm-tooltip-lint');
  await problem.waitFor();
  expect(await problem.textContent()).toMatch(/resource/);
  await screenshot(page, 'plan-editor-lint');
  await page.locator('.cm-content').click();

  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('{\n  "');
  await page.keyboard.press('Control+Space');
  await page.locator('.cm-tooltip-autocomplete').getByText('deployment_id').first().waitFor();
  await screenshot(page, 'plan-editor-completion');
  await page.keyboard.press('Escape');

  await typeConfig(page, config({ slow: delay({ duration_ms: 'soon' }) }, {}, uniqueId('plan-ui')));
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/Not planned:.*resources\.slow\.properties\.duration_ms/);
  await page.locator('.cm-lintRange-error', { hasText: '"duration_ms"' }).hover();
  expect(await page.locator('.cm-tooltip-lint').textContent()).toContain(
    'config.resources.slow.properties.duration_ms',
  );
  await screenshot(page, 'plan-invalid-config');
  expect(await seriousViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});
