/**
 * The run page's decisions after a failure: the failed node shows its error, Retry completes it;
 * Rollback (confirmed first) compensates what completed. Real worker, real API, real browser.
 */
import { delay } from '../../support/deployments';
import { eventually } from '../helpers/eventually';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';
import { acceptDialogs, applied, graphNode, openWithoutEvents, recorded, runStatus } from './run-fixtures';

const bed = useDashboard();

it('shows a failed node with its error, and Retry completes it', async () => {
  const id = await applied(bed, {
    flaky: delay({ fail_times: 1, fail_message: 'the flaky step broke', non_retryable: true }),
    after: delay({}, { depends_on: ['flaky'] }),
  });
  const page = await bed.open(`/ui#/runs/${id}`);
  await graphNode(page, 'flaky', 'failed').waitFor();
  await graphNode(page, 'after', 'blocked').waitFor();
  await runStatus(page, 'awaiting decision').waitFor();
  await graphNode(page, 'flaky', 'failed').click();
  const panel = page.getByRole('region', { name: /^flaky/ });
  await panel.getByRole('alert').getByText('the flaky step broke', { exact: false }).waitFor();
  await panel.getByText('core:delay failed').or(panel.getByText('the flaky step broke')).first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'run-failed-node');

  await panel.getByRole('button', { name: 'Retry flaky', exact: true }).click();
  await runStatus(page, 'completed').waitFor();
  await graphNode(page, 'flaky', 'completed').waitFor();
  await graphNode(page, 'after', 'completed').waitFor();
  await screenshot(page, 'run-retried-completed');
  await recorded(bed, id, 'completed');
});

it('rolls back after a confirmation and shows the compensated nodes', async () => {
  const id = await applied(bed, {
    first: delay(),
    second: delay({}, { depends_on: ['first'] }),
    broken: delay({ fail_times: 9, fail_message: 'cannot go on' }, { depends_on: ['second'] }),
  });
  const page = await bed.open(`/ui#/runs/${id}`);
  const asked = acceptDialogs(page);
  await graphNode(page, 'broken', 'failed').waitFor();
  await page.getByRole('button', { name: 'Roll back', exact: true }).click();
  await runStatus(page, 'rolled back').waitFor();
  await graphNode(page, 'first', 'compensated').waitFor();
  await graphNode(page, 'second', 'compensated').waitFor();
  expect(asked).toEqual([expect.stringMatching(/^Roll back /)]);
  await screenshot(page, 'run-rolled-back');
  await recorded(bed, id, 'rolled_back');
});

it("shows the run's refusal when a decision no longer applies (the page was out of date)", async () => {
  const id = await applied(bed, { flaky: delay({ fail_times: 1, fail_message: 'broke once', non_retryable: true }) });
  await eventually(async () =>
    expect((await bed.http.get(`/deploy/status/${id}`)).body).toMatchObject({ status: 'awaiting_decision' }),
  );
  // Without the run's events, then without its status: someone else retries, and this page still offers Skip.
  const page = await openWithoutEvents(bed, id);
  const asked = acceptDialogs(page);
  await runStatus(page, 'awaiting decision').waitFor();
  await page.route('**/deploy/status/**', (route) => route.abort());
  expect((await bed.http.post('/deploy/retry', { deployment_id: id })).status).toBe(200);
  await recorded(bed, id, 'completed');
  await page.getByRole('button', { name: 'Skip failed', exact: true }).click();
  const refusal = page.getByRole('region', { name: 'Controls' }).getByRole('alert');
  await refusal.getByText('Refused:', { exact: false }).waitFor();
  expect(await refusal.textContent()).toMatch(/409/);
  expect(asked).toEqual([expect.stringMatching(/^Skip 1 failed node/)]);
  await screenshot(page, 'run-refused-decision');
});
