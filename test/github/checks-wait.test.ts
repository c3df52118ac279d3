/**
 * github:checks:wait at activity level, as the engine drives it: apply, then poll with the state
 * each pending answer gave, against the surrogate's scripted checks on a real pull request head.
 */
import { githubChecksWait } from '../../src/resources/github/checks-wait';
import type { ApplyResult } from '../../src/resources/resource-type';
import type { Repository } from '../surrogates/github/state';
import type { PullRequest } from '../surrogates/github/state-pulls';
import { deployPull } from './helpers/deploy-pull';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let pull: PullRequest;

beforeEach(async () => {
  bed = await startTestBed();
  ({ repo, pull } = await deployPull(bed));
});
afterEach(() => bed.finish());

const where = { owner: 'octo-user', repo: 'app' };

async function applyThenPoll(refs: Record<string, unknown>, looks: number): Promise<ApplyResult[]> {
  const target = bed.target(githubChecksWait, where, { refs });
  const ctx = await bed.ctx();
  const answers = [await githubChecksWait.apply(ctx, target)];
  for (let i = 1; i < looks; i++) {
    const state = answers[i - 1]?.pending?.state ?? {};
    answers.push(await githubChecksWait.poll!(ctx, target, state));
  }
  return answers;
}

describe('github:checks:wait', () => {
  it('is pending (how many of how many, with its backoff) while checks run, then done with every check passed', async () => {
    bed.surrogate.scriptChecks(
      repo,
      { pull: pull.number },
      { names: ['build', 'test'], contexts: ['ci/lint'], pendingPolls: 2 },
    );
    const answers = await applyThenPoll({ ref: pull.head_sha }, 3);
    const short = pull.head_sha.slice(0, 7);
    expect(answers.slice(0, 2).map((a) => a.pending)).toEqual([
      {
        state: { sha: pull.head_sha },
        waiting_on: `checks on ${short}: 3 of 3 pending`,
        interval_ms: 30_000,
        max_interval_ms: 300_000,
        timeout_ms: 7_200_000,
      },
      {
        state: { sha: pull.head_sha },
        waiting_on: `checks on ${short}: 3 of 3 pending`,
        interval_ms: 30_000,
        max_interval_ms: 300_000,
        timeout_ms: 7_200_000,
      },
    ]);
    expect(answers[2]).toEqual({
      outputs: {
        sha: pull.head_sha,
        checks: [
          {
            name: 'build',
            kind: 'check_run',
            conclusion: 'success',
            url: expect.stringMatching(/\/runs\/\d+$/) as unknown,
          },
          {
            name: 'test',
            kind: 'check_run',
            conclusion: 'success',
            url: expect.stringMatching(/\/runs\/\d+$/) as unknown,
          },
          {
            name: 'ci/lint',
            kind: 'status',
            conclusion: 'success',
            url: expect.stringMatching(/\/statuses\/\d+$/) as unknown,
          },
        ],
      },
      undo: null,
    });
  });

  it('waits while no check has reported yet, with the timing its properties give', async () => {
    const target = bed.target(githubChecksWait, {
      ...where,
      ref: 'deploy-20261202',
      interval: '1s',
      max_interval: '4s',
      timeout: '10m',
    });
    const answer = await githubChecksWait.apply(await bed.ctx(), target);
    expect(answer.pending).toEqual({
      state: { sha: pull.head_sha },
      waiting_on: `checks on ${pull.head_sha.slice(0, 7)}: none reported yet`,
      interval_ms: 1_000,
      max_interval_ms: 4_000,
      timeout_ms: 600_000,
    });
  });

  it('fails, not retryably, naming each failing check and its link; a retry after the fix looks again and passes', async () => {
    const checks = bed.surrogate.scriptChecks(
      repo,
      { pull: pull.number },
      {
        names: ['build', 'test'],
        contexts: ['ci/lint'],
        pendingPolls: 1,
        conclusion: 'failure',
        failing: ['test', 'ci/lint'],
      },
    );
    const target = bed.target(githubChecksWait, where, { refs: { ref: pull.head_sha } });
    const ctx = await bed.ctx();
    const first = await githubChecksWait.apply(ctx, target);
    const failure = await githubChecksWait.poll!(ctx, target, first.pending?.state ?? {}).catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'operation_failed', retryable: false });
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^checks on ${pull.head_sha.slice(0, 7)} failed: test \\(failure: https://github.com/octo-user/app/runs/\\d+\\), ci/lint \\(failure: https://github.com/octo-user/app/statuses/\\d+\\)$`,
      ),
    );

    checks.update({ conclusion: 'success', pendingPolls: 0 });
    const retried = await githubChecksWait.apply(ctx, target);
    expect(retried.pending).toBeUndefined();
    expect(retried.outputs['checks']).toHaveLength(3);
  });

  it('asks for the commit when neither the property nor the reference gives it', async () => {
    const target = bed.target(githubChecksWait, where, { resource_id: 'ci' });
    await expect(githubChecksWait.apply(await bed.ctx(), target)).rejects.toMatchObject({
      type: 'invalid_input',
      message: 'ci: give properties.ref or references.ref (a string; it is missing)',
    });
  });
});
