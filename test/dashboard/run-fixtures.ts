/** Runs for the run page's browser tests: applied over REST, then shown at #/runs/<deployment id>. */
import type { Page } from 'playwright-core';
import { config, type Resources } from '../../support/deployments';
import { eventually } from '../helpers/eventually';
import type { DashboardBed } from './helpers/dashboard-bed';

/** Applies a config of `resources` (with `settings`, as the caller with `key`) and answers its deployment id. */
export async function applied(
  bed: DashboardBed,
  resources: Resources,
  settings: Record<string, unknown> = {},
  key?: string,
): Promise<string> {
  const cfg = config(resources, settings);
  const started = await bed.http.post('/deploy/apply', { config: cfg }, { key });
  if (started.status !== 202) throw new Error(`apply: ${started.status} ${JSON.stringify(started.body)}`);
  return cfg['deployment_id'] as string;
}

/**
 * Opens the run page of deployment `id` with the run's event stream refused: the page then knows
 * only the statuses it reads, so a test that refuses those too keeps the page out of date.
 */
export async function openWithoutEvents(bed: DashboardBed, id: string): Promise<Page> {
  const page = await bed.open('/ui#/deployments');
  await page.route('**/deploy/events/**', (route) => route.abort());
  await page.evaluate(`window.location.hash = ${JSON.stringify(`#/runs/${id}`)}`);
  return page;
}

/** The graph's node for resource `name`, once it shows `status`. */
export const graphNode = (page: Page, name: string, status: string) =>
  page.getByRole('button', { name: `${name} ${status}`, exact: true });

/** The run's phase as the summary shows it, once it says `status`. */
export const runStatus = (page: Page, status: string) =>
  page.getByTestId('run-status').filter({ hasText: new RegExp(`^${status}$`) });

/** Accepts every confirmation the page asks for (the destructive controls). */
export function acceptDialogs(page: Page): string[] {
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.accept();
  });
  return asked;
}

/**
 * Waits until the deployment's record lists its run as `status`: the worker has then reported the
 * run's end, so nothing of it is still under way when the test's worker and connection stop.
 */
export async function recorded(bed: DashboardBed, id: string, status: string, key?: string): Promise<void> {
  await eventually(async () => {
    const list = await bed.http.get(`/deploy/list?status=${status}`, { key });
    const ids = (list.body as { deployments: { deployment_id: string }[] }).deployments.map((d) => d.deployment_id);
    if (!ids.includes(id)) throw new Error(`${id} is not listed as ${status} yet`);
  });
}
