/**
 * A release-train bed: the GitHub surrogate (real git repositories) and the Slack surrogate, a real
 * worker on the shared Temporal server reaching both, and the real API. `seedTrain(name)` makes a
 * repository like seed 004's: staging with a version in three files, an issue, five pull requests
 * (three approved, one with changes requested, one draft) and a push workflow whose run makes the
 * release; `apply` starts the built-in release-train template on it over REST.
 */
import { execFileSync } from 'node:child_process';
import { createGitHubClients } from '../../../src/providers/github';
import { createSlackClients } from '../../../src/providers/slack';
import { startTestWorker, testClient, type TestWorker } from '../../../support/temporal';
import { testApi } from '../../api/helpers/app';
import type { Http } from '../../api/helpers/http';
import { VERSION_FILES } from '../../surrogates/github/release-repo';
import type { Issue, PullRequest } from '../../surrogates/github/state-pulls';
import type { Account, Repository } from '../../surrogates/github/state';
import { SlackSurrogate } from '../../surrogates/slack/server';
import { startTestBed, type TestBed } from './test-bed';

export const BOT_TOKEN = 'xoxb-release-train-canary';

export interface TrainBed {
  readonly bed: TestBed;
  readonly slack: SlackSurrogate;
  readonly worker: TestWorker;
  readonly client: Awaited<ReturnType<typeof testClient>>['client'];
  readonly api: Http;
  readonly reviewer: Account;
}

export interface SeededTrain {
  readonly repo: Repository;
  readonly issue: Issue;
  /** The three approved pull requests, in number order. */
  readonly approved: readonly PullRequest[];
  /** The one with changes requested, and the draft. */
  readonly leftAlone: readonly PullRequest[];
  /** The number the deploy pull request will get. */
  readonly deployNumber: number;
  git(...args: string[]): Promise<string>;
  /** Starts the train with these inputs over the defaults (owner, repo, channel, reviewer, fast polls). */
  apply(inputs?: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
  deployPull(): PullRequest | undefined;
}

export function useTrainBed(): () => TrainBed {
  let train: TrainBed | undefined;
  let close: () => Promise<void> = () => Promise.resolve();
  beforeAll(async () => {
    const bed = await startTestBed();
    const slack = await SlackSurrogate.start();
    slack.addToken(BOT_TOKEN);
    slack.addChannel('releases');
    const github = createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 });
    const worker = await startTestWorker({
      deps: { clients: { github, slack: createSlackClients({ apiUrl: slack.apiUrl }) }, secrets: bed.keyring },
    });
    const temporal = await testClient();
    const api = testApi({ client: temporal.client, taskQueue: worker.taskQueue });
    train = { bed, slack, worker, client: temporal.client, api, reviewer: bed.surrogate.addAccount('octocat') };
    close = async () => {
      await worker.stop();
      await temporal.close();
      await slack.close();
      bed.surrogate.expectNoViolations();
      await bed.finish();
    };
  }, 60_000);
  afterAll(() => close());
  return () => {
    if (!train) throw new Error('the train bed starts in beforeAll');
    return train;
  };
}

export async function seedTrain(train: Pick<TrainBed, 'bed' | 'api' | 'reviewer'>, name: string): Promise<SeededTrain> {
  const gh = train.bed.surrogate;
  const owner = train.bed.user;
  const repo = gh.addRepo(owner, name);
  await gh.seedRepository(repo, VERSION_FILES);
  const author = gh.state.accounts.get('hubot') ?? gh.addAccount('hubot');
  const critic = gh.state.accounts.get('monalisa') ?? gh.addAccount('monalisa');
  const issue = gh.addIssue(repo, author, 'Login fails on Safari');
  const open = (n: number, draft = false) =>
    gh.addPullRequest(repo, {
      author,
      head: `feature-${n}`,
      base: 'staging',
      title: `Feature ${n}`,
      body: n === 1 ? `Fixes #${issue.number}` : `Feature ${n}`,
      files: { [`src/feature-${n}.txt`]: `feature ${n}\n` },
      draft,
    });
  const pulls = [await open(1), await open(2), await open(3), await open(4), await open(5, true)];
  for (const pull of pulls) gh.addReview(pull, train.reviewer, 'APPROVED');
  gh.addReview(pulls[3] as PullRequest, critic, 'CHANGES_REQUESTED');
  gh.addWorkflow(repo, 'release.yml', { on_push: { branches: ['staging'], pending_polls: 2, release: {} } });
  const deployNumber = issue.number + 6;
  return {
    repo,
    issue,
    approved: pulls.slice(0, 3),
    leftAlone: pulls.slice(3),
    deployNumber,
    async git(...args) {
      const dir = await gh.gitDir(repo);
      return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim();
    },
    async apply(inputs = {}) {
      return train.api.post('/templates/release-train/apply', {
        inputs: {
          owner: owner.login,
          repo: name,
          slack_channel: '#releases',
          reviewers: ['octocat'],
          poll_interval: '200ms',
          ...inputs,
        },
        credentials: {
          github: { encrypted_pat: await train.bed.seal(owner.token) },
          slack: { encrypted_bot_token: await train.bed.seal(BOT_TOKEN) },
        },
      });
    },
    deployPull: () => gh.state.repo(owner.login, name)?.pulls.get(deployNumber),
  };
}
