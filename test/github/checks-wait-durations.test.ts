/**
 * github:checks:wait at its real durations on Temporal's time-skipping test server, against the
 * GitHub surrogate: checks that never finish keep the node waiting (no worker held) with looks
 * backing off from 30 s to 5 min, until its 2 h timeout fails it with error_type `timeout`; checks
 * that pass after a few looks let the run complete. Hours of server time, seconds of ours.
 */
import { startDeployment } from '../../src/client/start-deployment';
import { config, deploymentInput, node, result } from '../../support/deployments';
import type { TestWorker } from '../../support/temporal';
import { useTimeSkipping } from '../../support/time-skipping';
import type { Repository } from '../surrogates/github/state';
import type { PullRequest } from '../surrogates/github/state-pulls';
import { deployPull, timeSkippingWorker } from './helpers/deploy-pull';
import { startTestBed, type TestBed } from './helpers/test-bed';

const timeSkipping = useTimeSkipping();
const HOUR_MS = 3_600_000;
/** Server time a workflow task may take between a timer firing and the workflow reading the clock. */
const TASK_SLACK_MS = 60_000;

let bed: TestBed;
let repo: Repository;
let pull: PullRequest;
let worker: TestWorker;

beforeEach(async () => {
  bed = await startTestBed();
  ({ repo, pull } = await deployPull(bed));
  worker = await timeSkippingWorker(bed, timeSkipping);
});
afterEach(async () => {
  await worker.stop();
  await bed.finish();
});

/** Runs one github:checks:wait node on the pull request's head; the run's final status. */
async function runChecksWait() {
  const cfg = {
    ...config(
      { ci: { type: 'github:checks:wait', properties: { owner: 'octo-user', repo: 'app', ref: pull.head_sha } } },
      { decision_timeout: '1s' }, // a failed node ends the run instead of waiting for a decision
    ),
    targets: [{ provider: 'github' }],
  };
  const input = { ...deploymentInput(cfg), credentials: { github: { encrypted_pat: await bed.seal(bed.user.token) } } };
  const { workflowId, runId } = await startDeployment(timeSkipping.env.client, { input, taskQueue: worker.taskQueue });
  return result(timeSkipping.env.client.workflow.getHandle(workflowId, runId));
}

describe('github:checks:wait with its default 2 h timeout', () => {
  it('waits through checks that never finish, looking again with backoff, and fails with timeout at 2 h', async () => {
    bed.surrogate.scriptChecks(repo, { pull: pull.number }, { names: ['build'], pendingPolls: 1_000 });
    const wallStart = Date.now();
    const final = await runChecksWait();

    const ci = node(final, 'ci');
    expect({ status: final.status, ci: ci.status, error_type: ci.error_type }).toEqual({
      status: 'failed',
      ci: 'failed',
      error_type: 'timeout',
    });
    expect(ci.error).toContain(`checks on ${pull.head_sha.slice(0, 7)}: 1 of 1 pending: still not done after 7200 s`);
    const waited = Date.parse(ci.completed_at ?? '') - Date.parse(ci.started_at ?? '');
    expect(waited).toBeGreaterThanOrEqual(2 * HOUR_MS);
    expect(waited).toBeLessThan(2 * HOUR_MS + TASK_SLACK_MS);
    // 30 s, 1, 2, 4 min, then every 5 min (±20%): about 26 looks in 2 h, not one every few seconds.
    const looks = bed.surrogate.count('GET', /\/check-runs$/);
    expect(looks).toBeGreaterThanOrEqual(20);
    expect(looks).toBeLessThanOrEqual(32);
    expect(Date.now() - wallStart).toBeLessThan(30_000);
  }, 60_000);

  it('completes once the checks pass, after the backoff of its pending looks', async () => {
    bed.surrogate.scriptChecks(repo, { pull: pull.number }, { names: ['build', 'test'], pendingPolls: 3 });
    const final = await runChecksWait();

    const ci = node(final, 'ci');
    expect(final.status).toBe('completed');
    expect(ci.outputs?.['checks']).toEqual([
      expect.objectContaining({ name: 'build', conclusion: 'success' }),
      expect.objectContaining({ name: 'test', conclusion: 'success' }),
    ]);
    // Pending looks at 0, ~30 s, ~90 s; the fourth, ~3.5 min in, finds them passed.
    const waited = Date.parse(ci.completed_at ?? '') - Date.parse(ci.started_at ?? '');
    expect(waited).toBeGreaterThanOrEqual(0.8 * 210_000);
    expect(waited).toBeLessThan(1.2 * 210_000 + TASK_SLACK_MS);
  }, 60_000);
});
