/**
 * The release train's other long waits at their real durations on Temporal's time-skipping test
 * server, against the GitHub surrogate: the deploy PR's approval (default 24 h) fails with
 * error_type timeout when nobody approves, and an operator's continue an hour before the end
 * approves it by hand; a release that never appears fails github:release:notes at its 2 h timeout.
 * A day of server time, seconds of ours.
 */
import { startDeployment } from '../../src/client/start-deployment';
import { continueUpdate, statusQuery } from '../../src/workflows/messages';
import { config, deploymentInput, node, result, waitFor } from '../../support/deployments';
import type { TestWorker } from '../../support/temporal';
import { useTimeSkipping } from '../../support/time-skipping';
import type { PullRequest } from '../surrogates/github/state-pulls';
import { deployPull, timeSkippingWorker } from './helpers/deploy-pull';
import { startTestBed, type TestBed } from './helpers/test-bed';

const timeSkipping = useTimeSkipping();
const HOUR_MS = 3_600_000;
/** Server time a workflow task may take between a timer firing and the workflow reading the clock. */
const TASK_SLACK_MS = 60_000;

let bed: TestBed;
let pull: PullRequest;
let worker: TestWorker;

beforeEach(async () => {
  bed = await startTestBed();
  ({ pull } = await deployPull(bed));
  worker = await timeSkippingWorker(bed, timeSkipping);
});
afterEach(async () => {
  await worker.stop();
  await bed.finish();
});

async function start(resources: Record<string, Record<string, unknown>>) {
  const cfg = { ...config(resources, { decision_timeout: '1s' }), targets: [{ provider: 'github' }] };
  const input = { ...deploymentInput(cfg), credentials: { github: { encrypted_pat: await bed.seal(bed.user.token) } } };
  const { workflowId, runId } = await startDeployment(timeSkipping.env.client, { input, taskQueue: worker.taskQueue });
  return timeSkipping.env.client.workflow.getHandle(workflowId, runId);
}

const waited = (n: { started_at: string | null; completed_at: string | null }): number =>
  Date.parse(n.completed_at ?? '') - Date.parse(n.started_at ?? '');

describe('github:pull:approval with its default 24 h timeout', () => {
  const approval = () => ({
    approval: { type: 'github:pull:approval', properties: { owner: 'octo-user', repo: 'app', number: pull.number } },
  });

  it('fails with timeout at 24 h when nobody approves', async () => {
    const wallStart = Date.now();
    const final = await result(await start(approval()));
    const waits = node(final, 'approval');
    expect([final.status, waits.status, waits.error_type]).toEqual(['failed', 'failed', 'timeout']);
    expect(waited(waits)).toBeGreaterThanOrEqual(24 * HOUR_MS);
    expect(waited(waits)).toBeLessThan(24 * HOUR_MS + TASK_SLACK_MS);
    expect(Date.now() - wallStart).toBeLessThan(30_000);
  }, 60_000);

  it('is approved by an operator’s continue an hour before its timeout', async () => {
    const handle = await start(approval());
    const waiting = await waitFor(handle, (s) => node(s, 'approval').waiting_on !== null);
    const began = Date.parse(node(waiting, 'approval').started_at ?? '');
    await timeSkipping.env.sleep(began + 23 * HOUR_MS - (await timeSkipping.env.currentTimeMs()));
    expect(node(await handle.query(statusQuery), 'approval').status).toBe('running');
    await handle.executeUpdate(continueUpdate, { args: [{ node_id: 'approval' }] });
    const final = await result(handle);
    expect(final.status).toBe('completed');
    expect(node(final, 'approval').outputs).toEqual({ approved_by: 'operator' });
    expect(waited(node(final, 'approval'))).toBeLessThan(24 * HOUR_MS);
  }, 60_000);
});

it('github:release:notes fails with timeout at 2 h when the release never appears', async () => {
  const final = await result(
    await start({
      notes: {
        type: 'github:release:notes',
        properties: { owner: 'octo-user', repo: 'app', tag: 'v9.9.9', merged: [] },
      },
    }),
  );
  const notes = node(final, 'notes');
  expect([final.status, notes.error_type]).toEqual(['failed', 'timeout']);
  expect(waited(notes)).toBeGreaterThanOrEqual(2 * HOUR_MS);
  expect(waited(notes)).toBeLessThan(2 * HOUR_MS + TASK_SLACK_MS);
}, 60_000);
