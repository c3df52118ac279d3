/**
 * Checks, Actions runs and releases as the surrogate drives them: scripted checks go from pending
 * to their conclusion by reads, a merge into a release branch starts a push run that completes by
 * reads and creates a release, and every exchange validates against GitHub's OpenAPI description.
 */
import type { Octokit } from '@octokit/rest';
import { startReleaseRepo, statusOf, type ReleaseRepo } from './release-repo';
import type { GitHubSurrogate } from './server';
import type { Account, Repository } from './state';

let bed: ReleaseRepo;
let gh: GitHubSurrogate;
let author: Account;
let repo: Repository;
let octokit: Octokit;
let git: ReleaseRepo['git'];
const where = { owner: 'mona', repo: 'app' };

beforeEach(async () => {
  bed = await startReleaseRepo();
  ({ gh, author, repo, octokit, git } = bed);
});
afterEach(() => bed.finish());

describe('checks, Actions runs and releases driven by the surrogate', () => {
  it('reports checks pending for the scripted reads, then their conclusion, and a later fix', async () => {
    const pull = await gh.addPullRequest(repo, {
      author,
      head: 'feature-c',
      base: 'staging',
      files: { 'c.txt': 'c\n' },
    });
    const checks = gh.scriptChecks(
      repo,
      { pull: pull.number },
      {
        names: ['build', 'test'],
        contexts: ['ci/lint'],
        pendingPolls: 2,
        conclusion: 'failure',
        failing: ['test'],
      },
    );
    const read = async () => {
      const runs = (await octokit.rest.checks.listForRef({ ...where, ref: 'feature-c' })).data.check_runs;
      const status = (await octokit.rest.repos.getCombinedStatusForRef({ ...where, ref: pull.head_sha })).data;
      return { runs: runs.map((r) => `${r.name}:${r.status}:${String(r.conclusion)}`), status: status.state };
    };
    const pending = { runs: ['build:in_progress:null', 'test:in_progress:null'], status: 'pending' };
    expect(await read()).toEqual(pending);
    expect(await read()).toEqual(pending);
    expect(await read()).toEqual({ runs: ['build:completed:success', 'test:completed:failure'], status: 'success' });
    checks.update({ failing: ['ci/lint'] });
    expect(await read()).toEqual(pending);
    await read();
    expect(await read()).toEqual({ runs: ['build:completed:success', 'test:completed:success'], status: 'failure' });
    checks.update({ conclusion: 'success', pendingPolls: 0 });
    expect(await read()).toEqual({ runs: ['build:completed:success', 'test:completed:success'], status: 'success' });

    const unscripted = await octokit.rest.checks.listForRef({ ...where, ref: 'main' });
    expect(unscripted.data.total_count).toBe(0);
  });

  it('starts a push run for a merge into the release branch, completes it after its polls and creates the release', async () => {
    gh.addWorkflow(repo, 'release.yml', {
      name: 'Release',
      on_push: { branches: ['staging'], pending_polls: 2, release: {} },
    });
    const pull = await gh.addPullRequest(repo, {
      author,
      head: 'bump',
      base: 'staging',
      files: { VERSION: '1.5.0\n' },
    });
    const { sha } = (await octokit.rest.pulls.merge({ ...where, pull_number: pull.number })).data;

    const found = await octokit.rest.actions.listWorkflowRunsForRepo({ ...where, head_sha: sha, event: 'push' });
    expect(found.data.workflow_runs.map((r) => [r.name, r.event, r.head_sha, r.head_branch, r.status])).toEqual([
      ['Release', 'push', sha, 'staging', 'in_progress'],
    ]);
    const runId = found.data.workflow_runs[0]?.id ?? 0;
    expect((await octokit.rest.actions.getWorkflowRun({ ...where, run_id: runId })).data.status).toBe('in_progress');
    expect(await statusOf(octokit.rest.repos.getReleaseByTag({ ...where, tag: 'v1.5.0' }))).toBe(404);
    const done = (await octokit.rest.actions.getWorkflowRun({ ...where, run_id: runId })).data;
    expect([done.status, done.conclusion, done.html_url]).toEqual([
      'completed',
      'success',
      `https://github.com/mona/app/actions/runs/${runId}`,
    ]);

    const created = await octokit.rest.repos.getReleaseByTag({ ...where, tag: 'v1.5.0' });
    expect(created.data).toMatchObject({ tag_name: 'v1.5.0', target_commitish: 'staging', draft: false });
    expect(await git('rev-parse', 'v1.5.0^{commit}')).toBe(sha);
    await octokit.rest.repos.updateRelease({ ...where, release_id: created.data.id, body: '## PRs\n- #1' });
    expect((await octokit.rest.repos.getLatestRelease(where)).data.body).toBe('## PRs\n- #1');
    expect((await octokit.rest.repos.listReleases(where)).data.map((r) => r.tag_name)).toEqual(['v1.5.0']);
    expect(await octokit.rest.actions.listWorkflowRunsForRepo({ ...where, event: 'workflow_dispatch' })).toMatchObject({
      data: { total_count: 0 },
    });
  });
});
