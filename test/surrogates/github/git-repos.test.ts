/**
 * The surrogate's repositories are real git repositories: what a real Octokit client does through
 * the Git data and pulls APIs lands as real commits, merges and refs (read back with the git CLI),
 * and every exchange validates against GitHub's OpenAPI description.
 */
import type { Octokit } from '@octokit/rest';
import { startReleaseRepo, statusOf, VERSION_FILES as FILES, type ReleaseRepo } from './release-repo';
import type { GitHubSurrogate } from './server';
import type { Account, Repository } from './state';

let bed: ReleaseRepo;
let gh: GitHubSurrogate;
let owner: Account;
let author: Account;
let reviewer: Account;
let repo: Repository;
let octokit: Octokit;
let git: ReleaseRepo['git'];
const where = { owner: 'mona', repo: 'app' };

beforeEach(async () => {
  bed = await startReleaseRepo();
  ({ gh, owner, author, reviewer, repo, octokit, git } = bed);
});
afterEach(() => bed.finish());

describe('the Git data API on a real repository', () => {
  it('lands a commit made of blobs, a tree and a commit as a real commit, found again by its trailer', async () => {
    const staging = (await octokit.rest.git.getRef({ ...where, ref: 'heads/staging' })).data.object.sha;
    const parent = (await octokit.rest.git.getCommit({ ...where, commit_sha: staging })).data;
    const blob = (await octokit.rest.git.createBlob({ ...where, content: 'MS40LjMK', encoding: 'base64' })).data;
    const tree = await octokit.rest.git.createTree({
      ...where,
      base_tree: parent.tree.sha,
      tree: [
        { path: 'VERSION', mode: '100644', type: 'blob', sha: blob.sha },
        {
          path: 'package.json',
          mode: '100644',
          type: 'blob',
          content: FILES['package.json'].replace('1.4.2', '1.4.3'),
        },
        { path: 'config/release.txt', mode: '100644', type: 'blob', content: 'on\n' },
      ],
    });
    const commit = await octokit.rest.git.createCommit({
      ...where,
      message: 'Bump version to 1.4.3\n\nRelease-Train-Run: run-7',
      tree: tree.data.sha,
      parents: [staging],
    });
    expect(commit.status).toBe(201);
    await octokit.rest.git.updateRef({ ...where, ref: 'heads/staging', sha: commit.data.sha });

    expect(await git('log', '--format=%s', 'staging')).toBe(
      'Bump version to 1.4.3\nSeed the repository\nInitial commit',
    );
    expect(await git('show', 'staging:VERSION')).toBe('1.4.3');
    expect(await git('show', 'staging:config/release.txt')).toBe('on');
    expect(await git('show', 'staging:mix.exs')).toContain('version: "1.4.2"');
    expect(await git('log', '-1', '--format=%an <%ae>', 'staging')).toBe(
      `mona <${owner.id}+mona@users.noreply.github.com>`,
    );

    const history = await octokit.rest.repos.listCommits({ ...where, sha: 'staging', per_page: 10 });
    expect(history.data.find((c) => c.commit.message.includes('Release-Train-Run: run-7'))?.sha).toBe(commit.data.sha);
    const file = await octokit.rest.repos.getContent({ ...where, path: 'VERSION', ref: 'staging' });
    expect(Buffer.from((file.data as { content: string }).content, 'base64').toString()).toBe('1.4.3\n');
    expect((file.data as { sha: string }).sha).toBe(blob.sha);
    const folder = await octokit.rest.repos.getContent({ ...where, path: 'config', ref: 'staging' });
    expect((folder.data as { path: string; type: string }[]).map((e) => [e.type, e.path])).toEqual([
      ['file', 'config/release.txt'],
    ]);
    const listing = await octokit.rest.git.getTree({ ...where, tree_sha: 'staging', recursive: 'true' });
    expect(listing.data.tree.map((e) => e.path)).toContain('config/release.txt');
    const read = await octokit.rest.git.getBlob({ ...where, file_sha: blob.sha });
    expect(Buffer.from(read.data.content, 'base64').toString()).toBe('1.4.3\n');
  });

  it('creates, lists, moves (fast-forward unless forced) and deletes refs', async () => {
    const staging = await git('rev-parse', 'staging');
    const created = await octokit.rest.git.createRef({ ...where, ref: 'refs/heads/deploy-20250101', sha: staging });
    expect(created.status).toBe(201);
    expect(
      await statusOf(octokit.rest.git.createRef({ ...where, ref: 'refs/heads/deploy-20250101', sha: staging })),
    ).toBe(422);
    const matching = await octokit.rest.git.listMatchingRefs({ ...where, ref: 'heads/deploy-2025' });
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/heads/deploy-20250101']);
    expect((await octokit.rest.repos.getBranch({ ...where, branch: 'deploy-20250101' })).data.commit.sha).toBe(staging);

    const ahead = await gh.commitFiles(repo, 'deploy-20250101', { 'notes.md': 'x\n' });
    const initial = await git('rev-parse', 'main~1');
    expect(await statusOf(octokit.rest.git.updateRef({ ...where, ref: 'heads/deploy-20250101', sha: initial }))).toBe(
      422,
    );
    expect(await git('rev-parse', 'deploy-20250101')).toBe(ahead);
    await octokit.rest.git.updateRef({ ...where, ref: 'heads/deploy-20250101', sha: initial, force: true });
    expect(await git('rev-parse', 'deploy-20250101')).toBe(initial);

    const compared = await octokit.rest.repos.compareCommitsWithBasehead({
      ...where,
      basehead: 'deploy-20250101...staging',
    });
    expect(compared.data).toMatchObject({ status: 'ahead', ahead_by: 1, behind_by: 0 });
    expect(compared.data.files?.map((f) => f.filename).sort()).toEqual(['VERSION', 'mix.exs', 'package.json']);

    expect((await octokit.rest.git.deleteRef({ ...where, ref: 'heads/deploy-20250101' })).status).toBe(204);
    expect(await statusOf(octokit.rest.git.getRef({ ...where, ref: 'heads/deploy-20250101' }))).toBe(404);
    expect(await statusOf(octokit.rest.git.deleteRef({ ...where, ref: 'heads/deploy-20250101' }))).toBe(422);
    expect(await git('branch', '--list')).not.toContain('deploy');
  });
});

describe('pull requests on a real repository', () => {
  it('merges a pull request as a real merge commit with two parents, once', async () => {
    const pull = await gh.addPullRequest(repo, {
      author,
      head: 'feature-a',
      base: 'staging',
      files: { 'a.txt': 'a\n' },
    });
    const before = await git('rev-parse', 'staging');
    const listed = await octokit.rest.pulls.list({ ...where, base: 'staging' });
    expect(listed.data.map((p) => [p.number, p.user?.login, p.head.sha, p.base.ref])).toEqual([
      [pull.number, 'hubot', await git('rev-parse', 'feature-a'), 'staging'],
    ]);
    expect((await octokit.rest.pulls.get({ ...where, pull_number: pull.number })).data).toMatchObject({
      mergeable: true,
      merged: false,
      commits: 1,
    });

    const merged = await octokit.rest.pulls.merge({ ...where, pull_number: pull.number, merge_method: 'merge' });
    expect(await git('rev-parse', 'staging')).toBe(merged.data.sha);
    expect((await git('log', '-1', '--format=%P', 'staging')).split(' ')).toEqual([before, pull.head_sha]);
    expect(await git('log', '-1', '--format=%s', 'staging')).toBe(
      `Merge pull request #${pull.number} from mona/feature-a`,
    );
    expect(await git('show', 'staging:a.txt')).toBe('a');
    expect((await octokit.rest.pulls.get({ ...where, pull_number: pull.number })).data).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merged.data.sha,
    });
    expect(await statusOf(octokit.rest.pulls.merge({ ...where, pull_number: pull.number }))).toBe(405);
  });

  it('answers 405 for a conflicting pull request and 409 for a stale head, leaving the base untouched', async () => {
    const first = await gh.addPullRequest(repo, {
      author,
      head: 'one',
      base: 'staging',
      files: { VERSION: '2.0.0\n' },
    });
    const second = await gh.addPullRequest(repo, {
      author,
      head: 'two',
      base: 'staging',
      files: { VERSION: '3.0.0\n' },
    });
    expect(await statusOf(octokit.rest.pulls.merge({ ...where, pull_number: first.number, sha: 'f'.repeat(40) }))).toBe(
      409,
    );
    await octokit.rest.pulls.merge({ ...where, pull_number: first.number });
    const base = await git('rev-parse', 'staging');
    expect((await octokit.rest.pulls.get({ ...where, pull_number: second.number })).data).toMatchObject({
      mergeable: false,
      mergeable_state: 'dirty',
    });
    const refused = octokit.rest.pulls.merge({ ...where, pull_number: second.number });
    await expect(refused).rejects.toMatchObject({ status: 405, message: expect.stringContaining('not mergeable') });
    expect(await git('rev-parse', 'staging')).toBe(base);
    expect(await git('show', 'staging:VERSION')).toBe('2.0.0');
    expect(gh.state.repo('mona', 'app')?.pulls.get(second.number)?.state).toBe('open');
  });

  it('retargets a pull request, opens one per head and base, requests reviewers and lists reviews in order', async () => {
    const pull = await gh.addPullRequest(repo, {
      author,
      head: 'feature-b',
      base: 'staging',
      files: { 'b.txt': 'b\n' },
      body: 'Fixes #12',
      labels: ['release'],
    });
    gh.addReview(pull, reviewer, 'CHANGES_REQUESTED');
    gh.addReview(pull, reviewer, 'APPROVED', 'now fine');
    const reviews = await octokit.rest.pulls.listReviews({ ...where, pull_number: pull.number });
    expect(reviews.data.map((r) => [r.user?.login, r.state])).toEqual([
      ['octocat', 'CHANGES_REQUESTED'],
      ['octocat', 'APPROVED'],
    ]);

    await octokit.rest.git.createRef({ ...where, ref: 'refs/heads/deploy-1', sha: await git('rev-parse', 'staging') });
    const retargeted = await octokit.rest.pulls.update({ ...where, pull_number: pull.number, base: 'deploy-1' });
    expect(retargeted.data.base.ref).toBe('deploy-1');
    expect(await statusOf(octokit.rest.pulls.update({ ...where, pull_number: pull.number, base: 'nope' }))).toBe(422);
    const squashed = await octokit.rest.pulls.merge({ ...where, pull_number: pull.number, merge_method: 'squash' });
    expect((await git('log', '-1', '--format=%P', 'deploy-1')).split(' ')).toHaveLength(1);
    expect(await git('rev-parse', 'deploy-1')).toBe(squashed.data.sha);
    expect(await git('show', 'staging:b.txt').catch(() => 'absent')).toBe('absent');

    const deployPull = await octokit.rest.pulls.create({
      ...where,
      head: 'deploy-1',
      base: 'staging',
      title: 'Deploy',
    });
    expect(deployPull.status).toBe(201);
    expect(
      await statusOf(octokit.rest.pulls.create({ ...where, head: 'mona:deploy-1', base: 'staging', title: 'Again' })),
    ).toBe(422);
    const number = deployPull.data.number;
    await octokit.rest.pulls.requestReviewers({ ...where, pull_number: number, reviewers: ['octocat'] });
    expect(
      await statusOf(octokit.rest.pulls.requestReviewers({ ...where, pull_number: number, reviewers: ['ghost'] })),
    ).toBe(422);
    const requested = await octokit.rest.pulls.listRequestedReviewers({ ...where, pull_number: number });
    expect(requested.data.users.map((u) => u.login)).toEqual(['octocat']);
    const commits = await octokit.rest.pulls.listCommits({ ...where, pull_number: number });
    expect(commits.data.map((c) => c.sha)).toEqual([squashed.data.sha]);
    const asIssue = await octokit.rest.issues.get({ ...where, issue_number: pull.number });
    expect(asIssue.data).toMatchObject({
      title: pull.title,
      body: 'Fixes #12',
      labels: [expect.objectContaining({ name: 'release' })],
    });
    const issue = gh.addIssue(repo, author, 'Crash on start');
    expect((await octokit.rest.issues.get({ ...where, issue_number: issue.number })).data.title).toBe('Crash on start');
  });

  it('closes the pull requests based on a deleted branch, and will not reopen them while it is gone', async () => {
    const pull = await gh.addPullRequest(repo, {
      author,
      head: 'feature-d',
      base: 'staging',
      files: { 'd.txt': 'd\n' },
    });
    await octokit.rest.git.createRef({ ...where, ref: 'refs/heads/deploy-2', sha: await git('rev-parse', 'staging') });
    await octokit.rest.pulls.update({ ...where, pull_number: pull.number, base: 'deploy-2' });
    await octokit.rest.git.deleteRef({ ...where, ref: 'heads/deploy-2' });
    expect((await octokit.rest.pulls.get({ ...where, pull_number: pull.number })).data.state).toBe('closed');
    expect(await statusOf(octokit.rest.pulls.update({ ...where, pull_number: pull.number, state: 'open' }))).toBe(422);
  });
});
