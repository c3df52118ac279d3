/** With API_KEYS, a read key plans but may not apply: the page says why instead of offering the control. */
import type { Page } from 'playwright-core';
import { API_KEYS, KEYS } from '../api/helpers/app';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';

const bed = useDashboard({ keys: API_KEYS });

async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

it('plans with a read key and refuses to apply, saying which role it needs', async () => {
  const page = await bed.open('/ui#/plan?deployment=read-only-app');
  await signIn(page, KEYS.aRead);
  await page.locator('.cm-content').getByText('"read-only-app"').waitFor();
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  await page.getByRole('heading', { name: 'Plan: read-only-app v1' }).waitFor();
  expect(await page.getByRole('button', { name: 'Apply', exact: true }).isDisabled()).toBe(true);
  await page.getByText("Applying needs an operate key; this key's role is read.").waitFor();
  await screenshot(page, 'plan-read-key');
  expect(await seriousViolations(page)).toEqual([]);
});
