/**
 * Issue 21, acceptance 1: the release train end to end over REST (POST /templates/release-train/apply)
 * on the real Temporal server with a real worker, against the GitHub surrogate's real git
 * repositories and the Slack surrogate. Staging and five pull requests (three approved, one with
 * changes requested, one draft): the train makes the deploy branch, retargets and merges exactly
 * the three, bumps the version in three files in one commit, opens the deploy PR listing them and
 * requests the reviewer, waits for its checks and approval, merges it, posts the release run's
 * link, waits for the run and the release, writes the release notes (PRs and the issues they
 * resolve) and posts them as a reply in the link's thread.
 */
import { execFileSync } from 'node:child_process';
import { createGitHubClients } from '../../src/providers/github';
import { createSlackClients } from '../../src/providers/slack';
import { testApi } from '../api/helpers/app';
import { finished, waitForRun } from '../api/helpers/runs';
import { eventually } from '../helpers/eventually';
import { historyText, leaks } from '../helpers/leaks';
import { SlackSurrogate } from '../surrogates/slack/server';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Account, Repository } from '../surrogates/github/state';
import { startTestWorker, testClient, type TestWorker } from '../../support/temporal';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let slack: SlackSurrogate;
let worker: TestWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
const BOT_TOKEN = 'xoxb-release-train-canary';

beforeAll(async () => {
  bed = await startTestBed();
  slack = await SlackSurrogate.start();
  slack.addToken(BOT_TOKEN);
  slack.addChannel('releases');
  const github = createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 });
  worker = await startTestWorker({
    deps: { clients: { github, slack: createSlackClients({ apiUrl: slack.apiUrl }) }, secrets: bed.keyring },
  });
  temporal = await testClient();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await slack?.close();
  bed?.surrogate.expectNoViolations();
  await bed?.finish();
});

async function git(repo: Repository, ...args: string[]): Promise<string> {
  const dir = await bed.surrogate.gitDir(repo);
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim();
}

async function pullRequests(repo: Repository, author: Account, reviewer: Account, other: Account) {
  const gh = bed.surrogate;
  const issue = gh.addIssue(repo, author, 'Login fails on Safari');
  const open = (n: number, extra: Record<string, unknown> = {}) =>
    gh.addPullRequest(repo, {
      author,
      head: `feature-${n}`,
      base: 'staging',
      title: `Feature ${n}`,
      body: n === 1 ? `Fixes #${issue.number}` : `Feature ${n}`,
      files: { [`src/feature-${n}.txt`]: `feature ${n}\n` },
      ...extra,
    });
  const [one, two, three, blocked, draft] = [
    await open(1),
    await open(2),
    await open(3),
    await open(4),
    await open(5, { draft: true }),
  ];
  for (const pull of [one, two, three]) gh.addReview(pull, reviewer, 'APPROVED');
  gh.addReview(blocked, reviewer, 'APPROVED');
  gh.addReview(blocked, other, 'CHANGES_REQUESTED');
  gh.addReview(draft, reviewer, 'APPROVED');
  return { issue, merged: [one, two, three], leftAlone: [blocked, draft] };
}

it('runs the whole release as one saga, from approved pull requests to the notes in a Slack thread', async () => {
  const gh = bed.surrogate;
  const repo = gh.addRepo(bed.user, 'app');
  await gh.seedRepository(repo, VERSION_FILES);
  const author = gh.addAccount('hubot');
  const reviewer = gh.addAccount('octocat');
  const { issue, merged, leftAlone } = await pullRequests(repo, author, reviewer, gh.addAccount('monalisa'));
  gh.addWorkflow(repo, 'release.yml', { on_push: { branches: ['staging'], pending_polls: 2, release: {} } });
  const deployNumber = issue.number + 6; // the next number after the issue and five pull requests
  gh.scriptChecks(repo, { pull: deployNumber }, { names: ['build', 'test'], pendingPolls: 2 });

  const api = testApi({ client: temporal.client, taskQueue: worker.taskQueue });
  const started = await api.post('/templates/release-train/apply', {
    inputs: {
      owner: bed.user.login,
      repo: 'app',
      slack_channel: '#releases',
      reviewers: ['octocat'],
      poll_interval: '200ms',
      checklist: ['Smoke-test the login'],
    },
    credentials: {
      github: { encrypted_pat: await bed.seal(bed.user.token) },
      slack: { encrypted_bot_token: await bed.seal(BOT_TOKEN) },
    },
  });
  expect(started.status).toBe(202);

  // The deploy PR waits for its reviewer: approve it once it is open.
  await eventually(async () => {
    const pull = gh.state.repo(bed.user.login, 'app')?.pulls.get(deployNumber);
    expect(pull).toBeDefined();
    return Promise.resolve();
  });
  const deployPull = gh.state.repo(bed.user.login, 'app')?.pulls.get(deployNumber);
  if (!deployPull) throw new Error('no deploy pull request');
  expect(deployPull.requested_reviewers.map((a) => a.login)).toEqual(['octocat']);
  gh.addReview(deployPull, reviewer, 'APPROVED');

  const run = await waitForRun(api, started.body.status_url as string, finished, undefined, 120_000);
  expect(run.status).toBe('completed');
  const checked = run.nodes.find((n) => n.resource_id === 'checks')?.outputs?.['checks'] as { name: string }[];
  expect(checked.map((c) => c.name).sort()).toEqual(['build', 'test']);

  // Exactly the three approved merged into the deploy branch, as real merges; the others untouched.
  const branch = run.nodes.find((n) => n.resource_id === 'branch')?.outputs?.['branch'] as string;
  expect(branch).toMatch(/^deploy-\d{8}$/);
  for (const pull of merged) expect(pull.merged).toMatchObject({ base_sha: expect.any(String) });
  for (const pull of leftAlone) expect([pull.merged, pull.base]).toEqual([null, 'staging']);
  const merges = await git(repo, 'log', '--merges', '--format=%s', branch);
  for (const pull of merged) expect(merges).toContain(`#${pull.number}`);
  // One commit bumps the three files; staging got it through the deploy PR.
  const bump = await git(repo, 'log', '-1', '--format=%H', '--grep=Bump version to 1.4.3', 'staging');
  expect((await git(repo, 'show', '--format=', '--name-only', bump)).split('\n').sort()).toEqual([
    'VERSION',
    'mix.exs',
    'package.json',
  ]);
  expect(await git(repo, 'show', 'staging:VERSION')).toBe('1.4.3');
  // The deploy PR lists the merged ones.
  for (const pull of merged) expect(deployPull.body).toContain(`#${pull.number} Feature`);
  expect(deployPull.merged).not.toBeNull();
  // The release carries the notes; Slack has the link and, in its thread, the notes.
  const release = [...(gh.state.repo(bed.user.login, 'app')?.releases.values() ?? [])][0];
  expect(release?.tag_name).toBe('v1.4.3');
  expect(release?.body).toContain(`#${issue.number}`);
  expect(release?.body).toContain('Smoke-test the login');
  const posted = slack.messages('releases');
  const link = posted.find((m) => m.thread_ts === undefined && m.text.includes('Releasing'));
  expect(link?.text).toMatch(/actions\/runs\/\d+/);
  const reply = posted.find((m) => m.thread_ts === link?.ts);
  expect(reply?.text).toContain(`#${merged[0]?.number}`);

  // Neither token is anywhere in the run's history.
  const history = await temporal.client.workflow.getHandle(run.workflow_id, run.run_id).fetchHistory();
  expect(leaks({ pat: bed.user.token, bot: BOT_TOKEN }, 'history', historyText(history))).toEqual([]);
}, 180_000);
