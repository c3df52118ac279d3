/** With API_KEYS, the schedules page offers each control only to the role the API asks for it. */
import type { Page } from 'playwright-core';
import { config, delay } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { API_KEYS, KEYS } from '../api/helpers/app';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';

const bed = useDashboard({ keys: API_KEYS });

async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

it('disables pause and trigger for a read key and delete for an operate key', async () => {
  const created = await bed.http.post(
    '/schedules',
    { config: config({ a: delay() }, {}, uniqueId('sched-ui')), interval: '1h' },
    { key: KEYS.aAdmin },
  );
  expect(created.status).toBe(201);
  const id = (created.body as { schedule_id: string }).schedule_id;

  const read = await bed.open('/ui#/schedules');
  await signIn(read, KEYS.aRead);
  const controls = read.getByRole('group', { name: `Controls of ${id}` });
  await controls.waitFor();
  for (const name of ['Pause', 'Trigger now', 'Delete'])
    expect(await controls.getByRole('button', { name, exact: true }).isDisabled()).toBe(true);
  await read.getByText('Pausing, resuming and triggering need an operate key; deleting an admin key.').waitFor();
  await screenshot(read, 'schedules-read-key');
  expect(await seriousViolations(read)).toEqual([]);

  const operate = await bed.open('/ui#/schedules');
  await signIn(operate, KEYS.aOperate);
  const operated = operate.getByRole('group', { name: `Controls of ${id}` });
  await operated.waitFor();
  expect(await operated.getByRole('button', { name: 'Pause', exact: true }).isDisabled()).toBe(false);
  expect(await operated.getByRole('button', { name: 'Delete', exact: true }).isDisabled()).toBe(true);
  await bed.http.call('delete', `/schedules/${id}`, { key: KEYS.aAdmin });
});
