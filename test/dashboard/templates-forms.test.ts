/**
 * The template forms in Chromium against the real product (Temporal, worker, API) and the GitHub
 * surrogate: the list opens each form; seed 003's form (provision-instance) refuses a duplicate
 * pod in mode new, in its live preview and in the run ("Pod acme/prod already exists.", nothing
 * dispatched), and in mode edit dispatches deploy-pod.yml with the form's values and links the
 * Actions run; the release-train form shows field errors before any request; a rendered config
 * the service refuses is shown naming its field. No serious or critical axe violation on the list
 * or a form.
 */
import type { Page } from 'playwright-core';
import type { OperationDeps } from '../../src/activities/operation-context';
import { createGitHubClients } from '../../src/providers/github';
import { startTestBed, type TestBed } from '../github/helpers/test-bed';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard, type DashboardBedOptions } from './helpers/dashboard-bed';

let gh: TestBed;
// Filled once the surrogate listens (its address is only known then), before the bed starts.
const worker: NonNullable<DashboardBedOptions['worker']> = {};
const app: { operations?: OperationDeps } = {};
beforeAll(async () => {
  gh = await startTestBed();
  const github = createGitHubClients({ baseUrl: gh.surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 });
  worker.deps = { clients: { github }, secrets: gh.keyring };
  app.operations = { clients: { github }, secrets: gh.keyring };
  const repo = gh.surrogate.addRepo(gh.user, 'pod-specs');
  await gh.surrogate.seedRepository(repo, { 'pods/acme/prod/spec.yml': 'instance_type: t3.small\n' });
  const input = { required: true };
  gh.surrogate.addWorkflow(repo, 'deploy-pod.yml', {
    inputs: { customer: input, environment: input, instance_name: input, instance_type: input, waf_enabled: input },
  });
});
afterAll(() => gh.finish());
const bed = useDashboard({ worker, app });

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
/** The errors rjsf shows under an input (the list its input's aria-describedby names). */
const fieldError = (page: Page, input: string) => page.locator(`#root_${input}__error`);

/** Fills seed 003's form for acme/prod in `mode`, with the user's PAT sealed to the service. */
async function fillProvision(page: Page, mode: 'new' | 'edit'): Promise<void> {
  await field(page, 'Mode*').selectOption(mode);
  await field(page, 'Customer*').fill('acme');
  await field(page, 'Environment*').fill('prod');
  await field(page, 'Instance name*').fill('acme-prod-web');
  await field(page, 'Instance type*').fill('t3.medium');
  await field(page, 'WAF enabled').check();
  await field(page, 'Repository owner*').fill(gh.user.login);
  await field(page, 'Repository*').fill('pod-specs');
  await field(page, 'GitHub token, sealed').fill(await gh.seal(gh.user.token));
}

const dispatches = (): number => gh.surrogate.count('POST', /dispatches$/);

describe('the templates list', () => {
  it('lists every template and opens its form; neither page has a serious accessibility violation', async () => {
    const page = await bed.open('/ui#/templates');
    for (const title of ['Build, approve, release', 'Provision or update an instance (seed 003)'])
      await page.getByRole('link', { name: title, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Release train (seed 004)', exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'templates-list');

    await page.getByRole('link', { name: 'Provision or update an instance (seed 003)', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Provision or update an instance (seed 003)' }).waitFor();
    await field(page, 'Customer*').waitFor();
    expect(await field(page, 'Mode*').locator('option:checked').textContent()).toBe('edit');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'templates-provision-form');
  });
});

describe('seed 003: provision or update an instance', () => {
  it('mode new refuses an existing pod: the live preview says so, and the run fails with the message, dispatching nothing', async () => {
    const page = await bed.open('/ui#/templates/provision-instance');
    await fillProvision(page, 'new');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('region', { name: 'Preview: pod-acme-prod' });
    await preview.getByRole('alert').getByText('spec-check: Pod acme/prod already exists.').waitFor();
    await screenshot(page, 'templates-provision-new-preview');

    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const failure = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Already exists' }) });
    await failure.getByText('Pod acme/prod already exists.').waitFor();
    expect(await failure.textContent()).toContain('already exists');
    await screenshot(page, 'templates-provision-new-refused');
    expect(dispatches()).toBe(0);
  });

  it('mode edit dispatches deploy-pod.yml on main with the form’s values and links the Actions run', async () => {
    const page = await bed.open('/ui#/templates/provision-instance');
    await fillProvision(page, 'edit');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('region', { name: 'Preview: pod-acme-prod' });
    await preview
      .getByRole('listitem', { name: /^deploy: / })
      .filter({ hasText: 'github:action:trigger' })
      .waitFor();
    expect(await preview.getByRole('alert').count()).toBe(0);
    expect(await preview.textContent()).toContain('2 operations in 2 groups');

    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByRole('heading', { name: 'Deployment started' }).waitFor();
    const link = page.getByRole('link', { name: 'GitHub Actions run', exact: true });
    const [run] = [...gh.surrogate.state.runs.values()];
    expect(await link.getAttribute('href')).toBe(
      `https://github.com/${gh.user.login}/pod-specs/actions/runs/${run?.id}`,
    );
    expect(run?.inputs).toEqual({
      customer: 'acme',
      environment: 'prod',
      instance_name: 'acme-prod-web',
      instance_type: 't3.medium',
      waf_enabled: 'true',
    });
    expect(dispatches()).toBe(1);
    await screenshot(page, 'templates-provision-edit-started');
  });
});

describe('the release-train form', () => {
  it('shows each bad or missing input on its field before any request, then previews once they are right', async () => {
    const page = await bed.open('/ui#/templates/release-train');
    const plans: string[] = [];
    page.on('request', (r) => r.url().endsWith('/plan') && plans.push(r.url()));
    await field(page, 'Owner*').fill('Not A Valid Owner');
    await field(page, 'checks_timeout').fill('soon');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await fieldError(page, 'owner').getByText('must match pattern "^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$"').waitFor();
    await fieldError(page, 'repo').getByText('is required').waitFor();
    await fieldError(page, 'slack_channel').getByText('is required').waitFor();
    await fieldError(page, 'checks_timeout')
      .getByText(/^must match pattern/)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'templates-release-train-invalid');
    expect(plans).toEqual([]);

    await field(page, 'Owner*').fill('acme');
    await field(page, 'Repository*').fill('app');
    await field(page, 'Slack channel*').fill('#releases');
    await field(page, 'checks_timeout').fill('2h');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('region', { name: 'Preview: release-acme-app' }).waitFor();
    expect(plans).toHaveLength(1);
    for (const input of ['owner', 'repo', 'slack_channel', 'checks_timeout'])
      expect(await fieldError(page, input).count()).toBe(0);
  });
});

describe('a refusal of the rendered config', () => {
  it('names the config field the service refused, as it said it', async () => {
    const page = await bed.open('/ui#/templates/approval-release?app=billing');
    await field(page, 'Approval timeout').fill('9999999999999d');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'The service refused' });
    await refusal.getByText(/^config\.resources\.approve\.properties\.timeout: /).waitFor();
    await screenshot(page, 'templates-config-refused');
  });
});
