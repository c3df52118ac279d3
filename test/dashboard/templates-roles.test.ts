/**
 * A template form with API_KEYS: a read key previews (inputs filled from the location's query, a
 * name the template has no input for ignored) but is offered no Apply; an operate key is.
 */
import type { Page } from 'playwright-core';
import { API_KEYS, KEYS } from '../api/helpers/app';
import { screenshot } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';

const bed = useDashboard({ keys: API_KEYS });

async function previewAs(key: string): Promise<Page> {
  const page = await bed.open('/ui#/templates/approval-release?app=billing&build_ms=5&colour=red');
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(await page.getByLabel('Application*', { exact: true }).inputValue()).toBe('billing');
  expect(await page.getByLabel('Build time (ms)', { exact: true }).inputValue()).toBe('5');
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await page.getByRole('region', { name: 'Preview: release-billing' }).waitFor();
  return page;
}

it('a read key previews but is offered no Apply', async () => {
  const page = await previewAs(KEYS.aRead);
  await page.getByText('Your role (read) can preview but not apply.').waitFor();
  expect(await page.getByRole('button', { name: 'Apply', exact: true }).count()).toBe(0);
  await screenshot(page, 'templates-read-role');
});

it('an operate key is offered Apply', async () => {
  const page = await previewAs(KEYS.aOperate);
  await page.getByRole('button', { name: 'Apply', exact: true }).waitFor();
});
