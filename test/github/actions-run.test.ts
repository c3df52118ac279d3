/**
 * github:actions:run at activity level, as the engine drives it (apply, then poll with the state
 * each pending answer gave), on the push run a real merge of a deploy pull request started in
 * the surrogate: pending while it runs, done on success, failed naming any other conclusion.
 */
import { githubActionsRun } from '../../src/resources/github/actions-run';
import { githubPullMerge } from '../../src/resources/github/pull-merge';
import type { OperationContext } from '../../src/resources/resource-type';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let ctx: OperationContext;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES);
  ctx = await bed.ctx();
});
afterEach(() => bed.finish());

const where = { owner: 'octo-user', repo: 'app' };

/** Merges a deploy pull request into staging; the id of the push run it started. */
async function mergedRun(): Promise<number> {
  const pull = await bed.surrogate.addPullRequest(repo, {
    author: bed.surrogate.addAccount('hubot'),
    head: 'deploy-20261202',
    base: 'staging',
    files: { VERSION: '1.4.3\n' },
  });
  const merged = await githubPullMerge.apply(ctx, bed.target(githubPullMerge, { ...where, number: pull.number }));
  return merged.outputs['run_id'] as number;
}

describe('github:actions:run', () => {
  it('is pending while the run is in progress, then done with its conclusion', async () => {
    bed.surrogate.addWorkflow(repo, 'release.yml', { on_push: { branches: ['staging'], pending_polls: 2 } });
    const runId = await mergedRun();
    const url = `https://github.com/octo-user/app/actions/runs/${runId}`;
    const target = bed.target(githubActionsRun, where, { refs: { run_id: runId } });
    const first = await githubActionsRun.apply(ctx, target);
    expect(first.pending).toEqual({
      state: { run_id: runId },
      waiting_on: `workflow run ${runId} (${url}): in_progress`,
      interval_ms: 30_000,
      max_interval_ms: 300_000,
      timeout_ms: 7_200_000,
    });
    await expect(githubActionsRun.poll!(ctx, target, first.pending?.state ?? {})).resolves.toEqual({
      outputs: { run_id: runId, run_url: url, conclusion: 'success' },
      undo: null,
    });
  });

  it('fails, not retryably, naming a conclusion other than success and the run’s link', async () => {
    bed.surrogate.addWorkflow(repo, 'release.yml', { conclusion: 'failure', on_push: { branches: ['staging'] } });
    const runId = await mergedRun();
    const target = bed.target(githubActionsRun, { ...where, run_id: runId });
    await expect(githubActionsRun.apply(ctx, target)).rejects.toMatchObject({
      type: 'operation_failed',
      retryable: false,
      message: `workflow run ${runId} concluded failure: see https://github.com/octo-user/app/actions/runs/${runId}`,
    });
  });
});
