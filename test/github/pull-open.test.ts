/**
 * github:pull:open against the surrogate's real repository: the deploy pull request's description
 * (merged and left-out pull requests), its requested reviewers, a retry adopting it, compensation.
 */
import { Octokit } from '@octokit/rest';
import { githubPullOpen } from '../../src/resources/github/pull-open';
import { summaryOf, type LeftOut, type PullSummary } from '../../src/resources/github/pull-summary';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let octokit: Octokit;
let merged: PullSummary[];
let leftOut: LeftOut[];
const where = { owner: 'octo-user', repo: 'app' };
const BRANCH = 'deploy-20261202';
const run = { $run_key: 'run-7', $run_started_at: '2026-12-02T09:00:00Z' };

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES, ['staging', BRANCH]);
  bed.surrogate.addAccount('octocat');
  const author = bed.surrogate.addAccount('hubot');
  octokit = new Octokit({
    auth: bed.user.token,
    baseUrl: bed.surrogate.url,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const pull = async (head: string, title: string) => {
    const made = await bed.surrogate.addPullRequest(repo, {
      author,
      head,
      base: BRANCH,
      title,
      files: { [head]: 'x\n' },
    });
    return summaryOf((await octokit.rest.pulls.get({ ...where, pull_number: made.number })).data);
  };
  merged = [await pull('feature-a', 'Add login'), await pull('feature-b', 'Fix crash')];
  leftOut = [{ ...(await pull('feature-c', 'Rework header')), reason: `conflicts with ${BRANCH}` }];
  await bed.surrogate.commitFiles(repo, BRANCH, { 'deployed.txt': 'yes\n' });
});
afterEach(() => bed.finish());

async function apply(properties: Record<string, unknown> = {}, refs: Record<string, unknown> = {}) {
  const target = bed.target(
    githubPullOpen,
    { ...where, reviewers: ['octocat', 'octo-user'], ...properties },
    { refs: { ...run, head: BRANCH, merged, left_out: leftOut, version: '1.4.3', ...refs } },
  );
  return { target, result: await githubPullOpen.apply(await bed.ctx(), target) };
}

const line = (p: PullSummary) => `- #${p.number} ${p.title} (@hubot) ${p.url}`;

describe('github:pull:open', () => {
  it('opens the deploy pull request listing the merged and left-out pull requests, reviewers requested', async () => {
    const { result } = await apply();
    const number = result.outputs['number'] as number;
    const pull = (await octokit.rest.pulls.get({ ...where, pull_number: number })).data;
    expect(result.outputs).toEqual({ number, url: pull.html_url, head_sha: pull.head.sha });
    expect(pull).toMatchObject({
      title: 'Deploy 2026-12-02',
      state: 'open',
      head: { ref: BRANCH },
      base: { ref: 'staging' },
    });
    expect(pull.body).toBe(
      [
        '## Merged (2)',
        `${line(merged[0]!)}\n${line(merged[1]!)}`,
        '## Left out (1)',
        `${line(leftOut[0]!)}: conflicts with ${BRANCH}`,
        'Version: 1.4.3',
        '<!-- Deployment-Run: run-7 -->',
      ].join('\n\n'),
    );
    const requested = await octokit.rest.pulls.listRequestedReviewers({ ...where, pull_number: number });
    expect(requested.data.users.map((u) => u.login)).toEqual(['octocat']);
  });

  it('adopts the same pull request on a retry', async () => {
    const first = await apply();
    const again = await apply();
    expect(again.result).toEqual(first.result);
    const open = await octokit.rest.pulls.list({ ...where, state: 'all', base: 'staging' });
    expect(open.data.map((p) => p.number)).toEqual([first.result.outputs['number']]);
  });

  it('titles it with {version}, and refuses {version} without a version', async () => {
    const { result } = await apply({ title: 'Release {version} ({date})' });
    const pull = await octokit.rest.pulls.get({ ...where, pull_number: result.outputs['number'] as number });
    expect(pull.data.title).toBe('Release 1.4.3 (2026-12-02)');
    await expect(apply({ title: '{version}' }, { version: undefined })).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('{version}') as unknown,
    });
  });

  it('compensates by closing the pull request it opened, which verify then reports', async () => {
    const { target, result } = await apply();
    const outcome = await githubPullOpen.compensate(await bed.ctx(), target, result.undo);
    const number = result.outputs['number'] as number;
    expect(outcome).toEqual({ outcome: `compensated (closed pull request #${number})` });
    expect((await octokit.rest.pulls.get({ ...where, pull_number: number })).data.state).toBe('closed');
    expect(await githubPullOpen.verify(await bed.ctx(), target, result.outputs)).toEqual({
      drift: [{ property: 'state', desired: 'open or merged', actual: 'closed' }],
    });
  });

  it('adopts one opened by someone else, and its compensation only puts its description back', async () => {
    const theirs = await octokit.rest.pulls.create({
      ...where,
      head: BRANCH,
      base: 'staging',
      title: 'Mine',
      body: 'hand-made',
    });
    const { target, result } = await apply();
    const number = theirs.data.number;
    expect(result.outputs['number']).toBe(number);
    expect((await octokit.rest.pulls.get({ ...where, pull_number: number })).data.body).toContain('## Merged (2)');
    expect((await githubPullOpen.compensate(await bed.ctx(), target, result.undo)).outcome).toMatch(
      /^compensated \(.*adopted/,
    );
    const after = (await octokit.rest.pulls.get({ ...where, pull_number: number })).data;
    expect(after).toMatchObject({ state: 'open', body: 'hand-made', title: 'Mine' });
  });
});
