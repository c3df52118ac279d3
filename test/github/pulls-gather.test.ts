/**
 * github:pulls:gather against the surrogate's real git repositories: GitHub's approval rule picks
 * the pull requests, each is retargeted to the deploy branch (made by github:branch), a retry
 * gathers the same ones, a conflicting one is left out or halts the node with every retarget
 * undone, and compensation restores every base.
 */
import { githubBranch } from '../../src/resources/github/branch';
import * as pullRequests from '../../src/resources/github/pull-requests';
import { githubPullsGather } from '../../src/resources/github/pulls-gather';
import type { ApplyResult } from '../../src/resources/resource-type';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Account, Repository } from '../surrogates/github/state';
import type { PullRequest } from '../surrogates/github/state-pulls';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let author: Account;
let reviewers: Account[];
let branch: string;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES);
  author = bed.surrogate.addAccount('hubot');
  reviewers = [bed.surrogate.addAccount('octocat'), bed.surrogate.addAccount('monalisa')];
});
afterEach(async () => {
  jest.restoreAllMocks();
  await bed.finish();
});

const where = () => ({ owner: bed.user.login, repo: 'app' });

/** An open pull request on staging changing `file`, with these reviews (by octocat, then monalisa). */
async function pullWith(head: string, reviews: ('APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED')[][], extra = {}) {
  const pull = await bed.surrogate.addPullRequest(repo, {
    author,
    head,
    base: 'staging',
    files: { [`${head}.txt`]: `${head}\n` },
    ...extra,
  });
  reviews.forEach((states, i) => states.forEach((s) => bed.surrogate.addReview(pull, reviewers[i]!, s)));
  return pull;
}

/** The deploy branch, made by github:branch as the train does. */
async function deployBranch(): Promise<string> {
  const made = await githubBranch.apply(
    await bed.ctx(),
    bed.target(githubBranch, where(), {
      refs: { $run_key: 'run-1', $run_started_at: '2026-12-02T07:00:00.000Z' },
    }),
  );
  return made.outputs['branch'] as string;
}

const gatherTarget = (properties: Record<string, unknown> = {}) =>
  bed.target(githubPullsGather, { ...where(), ...properties }, { refs: { branch } });

const gather = async (properties: Record<string, unknown> = {}): Promise<ApplyResult> =>
  githubPullsGather.apply(await bed.ctx(), gatherTarget(properties));

const baseOf = (pull: PullRequest): string =>
  bed.surrogate.state.repo(bed.user.login, 'app')!.pulls.get(pull.number)!.base;
const numbers = (value: unknown): number[] => (value as { number: number }[]).map((p) => p.number);

describe('github:pulls:gather', () => {
  it('gathers exactly the approved pull requests (GitHub’s rule, no drafts) and retargets them to the branch', async () => {
    const approved = await pullWith('a', [['APPROVED']]);
    const commented = await pullWith('b', [['APPROVED'], ['COMMENTED']]);
    const changedMind = await pullWith('c', [['CHANGES_REQUESTED', 'APPROVED']]);
    const blocked = await pullWith('d', [['APPROVED'], ['CHANGES_REQUESTED']]);
    const draft = await pullWith('e', [['APPROVED']], { draft: true });
    branch = await deployBranch();

    const answer = await gather();
    expect(answer.pending).toBeUndefined();
    expect(numbers(answer.outputs['pulls'])).toEqual([approved.number, commented.number, changedMind.number]);
    expect(answer.outputs).toMatchObject({ left_out: [], base: 'staging', branch });
    expect((answer.outputs['pulls'] as unknown[])[0]).toEqual({
      number: approved.number,
      title: approved.title,
      author: 'hubot',
      url: expect.stringContaining(`/pull/${approved.number}`) as unknown,
      head_sha: approved.head_sha,
      body: '',
    });
    expect([approved, commented, changedMind, blocked, draft].map(baseOf)).toEqual([
      branch,
      branch,
      branch,
      'staging',
      'staging',
    ]);
    expect(answer.undo).toEqual({
      base: 'staging',
      branch,
      pulls: [approved.number, commented.number, changedMind.number],
    });

    const retried = await gather();
    expect(retried.outputs).toEqual(answer.outputs);
  });

  it('filters by label when one is given', async () => {
    await pullWith('a', [['APPROVED']]);
    const labelled = await pullWith('b', [['APPROVED']], { labels: ['release'] });
    branch = await deployBranch();
    expect(numbers((await gather({ label: 'release' })).outputs['pulls'])).toEqual([labelled.number]);
  });

  it('leaves out a conflicting approved pull request, retargeted back to the base', async () => {
    const fine = await pullWith('a', [['APPROVED']]);
    const conflicting = await bed.surrogate.addPullRequest(repo, {
      author,
      head: 'f',
      base: 'staging',
      files: { VERSION: '2.0.0\n' },
    });
    bed.surrogate.addReview(conflicting, reviewers[0]!, 'APPROVED');
    await bed.surrogate.commitFiles(repo, 'staging', { VERSION: '1.5.0\n' });
    branch = await deployBranch();

    const answer = await gather();
    expect(numbers(answer.outputs['pulls'])).toEqual([fine.number]);
    expect(answer.outputs['left_out']).toEqual([
      expect.objectContaining({ number: conflicting.number, reason: `conflicts with ${branch}` }),
    ]);
    expect([baseOf(fine), baseOf(conflicting)]).toEqual([branch, 'staging']);
    expect(answer.undo).toEqual({ base: 'staging', branch, pulls: [fine.number] });
  });

  it('with on_conflict halt, fails naming the conflicting one with every retarget undone', async () => {
    const fine = await pullWith('a', [['APPROVED']]);
    const conflicting = await bed.surrogate.addPullRequest(repo, {
      author,
      head: 'f',
      base: 'staging',
      title: 'Version two',
      files: { VERSION: '2.0.0\n' },
    });
    bed.surrogate.addReview(conflicting, reviewers[0]!, 'APPROVED');
    await bed.surrogate.commitFiles(repo, 'staging', { VERSION: '1.5.0\n' });
    branch = await deployBranch();

    await expect(gather({ on_conflict: 'halt' })).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: `#${conflicting.number} (Version two) conflicts with ${branch} (on_conflict: halt): every gathered pull request was retargeted back to staging, nothing merged`,
    });
    expect([baseOf(fine), baseOf(conflicting)]).toEqual(['staging', 'staging']);
  });

  it('compensates by retargeting every gathered one still open back to the base', async () => {
    const pulls = [await pullWith('a', [['APPROVED']]), await pullWith('b', [['APPROVED']])];
    branch = await deployBranch();
    const answer = await gather();
    expect(pulls.map(baseOf)).toEqual([branch, branch]);
    const ctx = await bed.ctx();
    expect(await githubPullsGather.verify(ctx, gatherTarget(), answer.outputs)).toEqual({ drift: [] });

    const outcome = await githubPullsGather.compensate(ctx, gatherTarget(), answer.undo);
    expect(outcome.outcome).toBe(`compensated (retargeted #${pulls[0]!.number}, #${pulls[1]!.number} back to staging)`);
    expect(pulls.map(baseOf)).toEqual(['staging', 'staging']);
    expect((await githubPullsGather.verify(ctx, gatherTarget(), answer.outputs)).drift).toEqual(
      pulls.map((p) => ({ property: `pull request #${p.number} base`, desired: branch, actual: 'staging' })),
    );
    expect((await githubPullsGather.compensate(ctx, gatherTarget(), answer.undo)).outcome).toBe(
      'compensated (none left to retarget)',
    );
  });

  it('is pending while GitHub computes mergeability, then done; one still unknown past its limit is left out', async () => {
    const pull = await pullWith('a', [['APPROVED']]);
    branch = await deployBranch();
    const real = pullRequests.getPull;
    const computing = jest
      .spyOn(pullRequests, 'getPull')
      .mockImplementation(async (...args) => ({ ...(await real(...args)), mergeable: null }));

    const ctx = await bed.ctx();
    const first = await githubPullsGather.apply(ctx, gatherTarget());
    expect(first.pending).toMatchObject({
      state: { pulls: [pull.number], deadline: expect.any(Number) as unknown },
      waiting_on: `GitHub computing whether #${pull.number} merges cleanly into ${branch}`,
      interval_ms: 2_000,
      max_interval_ms: 30_000,
      timeout_ms: 900_000,
    });
    expect(first.undo).toEqual({ base: 'staging', branch, pulls: [pull.number] });
    const past = await githubPullsGather.poll!(ctx, gatherTarget(), { pulls: [pull.number], deadline: 0 });
    expect(past.outputs['left_out']).toEqual([
      expect.objectContaining({ number: pull.number, reason: 'GitHub did not say whether it merges cleanly in time' }),
    ]);
    expect(baseOf(pull)).toBe('staging');

    await githubPullsGather.apply(ctx, gatherTarget());
    computing.mockRestore();
    const done = await githubPullsGather.poll!(ctx, gatherTarget(), first.pending!.state);
    expect(done.pending).toBeUndefined();
    expect(numbers(done.outputs['pulls'])).toEqual([pull.number]);
    expect(baseOf(pull)).toBe(branch);
  });
});
