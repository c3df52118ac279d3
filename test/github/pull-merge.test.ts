/**
 * github:pull:merge at activity level against the surrogate's real git repository: the deploy
 * pull request lands as a real merge commit on its base, a retry adopts it instead of merging
 * again, the push run the merge started is found (pending until GitHub shows one), and a pull
 * request GitHub will not merge fails the node with its reason.
 */
import { execFileSync } from 'node:child_process';
import { githubPullMerge } from '../../src/resources/github/pull-merge';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Account, Repository } from '../surrogates/github/state';
import type { PullRequest } from '../surrogates/github/state-pulls';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let hubot: Account;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES);
  hubot = bed.surrogate.addAccount('hubot');
});
afterEach(() => bed.finish());

const where = { owner: 'octo-user', repo: 'app' };

const git = async (...args: string[]): Promise<string> =>
  execFileSync('git', ['--git-dir', await bed.surrogate.gitDir(repo), ...args], { encoding: 'utf8' }).trim();

const deployPull = (head = 'deploy-20261202', version = '1.4.3'): Promise<PullRequest> =>
  bed.surrogate.addPullRequest(repo, { author: hubot, head, base: 'staging', files: { VERSION: `${version}\n` } });

describe('github:pull:merge', () => {
  it('merges the deploy pull request into its base once, finds the push run it started, and adopts the merge on a retry', async () => {
    bed.surrogate.addWorkflow(repo, 'ci.yml', { name: 'CI', on_push: { branches: ['main'] } });
    bed.surrogate.addWorkflow(repo, 'release.yml', { name: 'Release', on_push: { branches: ['staging'] } });
    const pull = await deployPull();
    const target = bed.target(githubPullMerge, where, { refs: { number: pull.number } });
    const ctx = await bed.ctx();

    const first = await githubPullMerge.apply(ctx, target);
    const mergeSha = await git('rev-parse', 'staging');
    expect(await git('rev-list', '--parents', '-n', '1', 'staging')).toBe(
      `${mergeSha} ${await git('rev-parse', 'staging^1')} ${pull.head_sha}`,
    );
    expect(first).toEqual({
      outputs: {
        merge_sha: mergeSha,
        run_id: expect.any(Number) as unknown,
        run_url: expect.stringMatching(/^https:\/\/github.com\/octo-user\/app\/actions\/runs\/\d+$/) as unknown,
      },
      undo: { merge_sha: mergeSha },
    });

    await expect(githubPullMerge.apply(ctx, target)).resolves.toEqual(first);
    expect(await git('rev-parse', 'staging')).toBe(mergeSha);
    expect(bed.logs).toContain(`pull request #${pull.number} was merged already (${mergeSha}): adopted`);
    expect(githubPullMerge.irreversible?.(target.properties)).toBe('a merged pull request cannot be unmerged');
    await expect(githubPullMerge.compensate(ctx, target, first.undo)).resolves.toEqual({
      outcome: `irreversible: a merged pull request cannot be unmerged (merge ${mergeSha})`,
    });
  });

  it('is pending until GitHub shows a push run of the merge commit (of the workflow named, when one is)', async () => {
    bed.surrogate.addWorkflow(repo, 'ci.yml', { name: 'CI', on_push: { branches: ['staging'] } });
    const pull = await deployPull();
    const target = bed.target(githubPullMerge, {
      ...where,
      number: pull.number,
      workflow: 'release.yml',
      interval: '10s',
    });
    const ctx = await bed.ctx();
    const first = await githubPullMerge.apply(ctx, target);
    const mergeSha = await git('rev-parse', 'staging');
    expect(first).toEqual({
      outputs: {},
      undo: { merge_sha: mergeSha },
      pending: {
        state: { merge_sha: mergeSha },
        waiting_on: `the release.yml run of merge ${mergeSha.slice(0, 7)} in octo-user/app`,
        interval_ms: 10_000,
        max_interval_ms: 60_000,
        timeout_ms: 900_000,
      },
    });
    const again = await githubPullMerge.poll!(ctx, target, first.pending?.state ?? {});
    expect(again.pending?.state).toEqual({ merge_sha: mergeSha });
  });

  it('fails, not retryably, on a pull request GitHub will not merge (a conflict), leaving the base alone', async () => {
    const ctx = await bed.ctx();
    const merged = await deployPull('feature-a', '1.5.0');
    const conflicting = await deployPull('feature-b', '2.0.0');
    await githubPullMerge.apply(ctx, bed.target(githubPullMerge, { ...where, number: merged.number }));
    const staging = await git('rev-parse', 'staging');
    await expect(
      githubPullMerge.apply(ctx, bed.target(githubPullMerge, { ...where, number: conflicting.number })),
    ).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining(`merge pull request #${conflicting.number} into staging`) as unknown,
    });
    expect(await git('rev-parse', 'staging')).toBe(staging);
  });
});
