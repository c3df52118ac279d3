/**
 * github:branch against the surrogate's real git repositories: the deploy branch is made from
 * staging, named by the run's start day, and starts with one empty commit naming the run; any
 * retry finds it again; a second run the same day gets a suffix; compensation deletes it only
 * while nothing landed on it since.
 */
import { execFileSync } from 'node:child_process';
import { startDeployment } from '../../src/client/start-deployment';
import { createGitHubClients } from '../../src/providers/github';
import { githubBranch } from '../../src/resources/github/branch';
import { config, deploymentInput, node, result } from '../../support/deployments';
import { startTestWorker, testClient } from '../../support/temporal';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
const STARTED = '2026-12-02T07:41:06.000Z';

beforeAll(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, { VERSION: '1.4.2\n' });
});
afterAll(async () => {
  bed.surrogate.expectNoViolations();
  await bed.finish();
});

const git = async (...args: string[]): Promise<string> =>
  execFileSync('git', ['--git-dir', await bed.surrogate.gitDir(repo), ...args], { encoding: 'utf8' }).trim();

const target = (runKey: string, properties: Record<string, unknown> = {}) =>
  bed.target(
    githubBranch,
    { owner: bed.user.login, repo: 'app', ...properties },
    {
      refs: { $run_key: runKey, $run_started_at: STARTED },
    },
  );

it('makes deploy-YYYYMMDD from staging with a first commit naming the run, and finds it again on a retry', async () => {
  const applied = await githubBranch.apply(await bed.ctx(), target('run-one'));
  const staging = await git('rev-parse', 'staging');
  expect(applied.outputs).toEqual({
    branch: 'deploy-20261202',
    sha: expect.any(String),
    base_sha: staging,
    created: true,
  });
  expect(await git('rev-parse', 'deploy-20261202')).toBe(applied.outputs['sha']);
  expect(await git('rev-parse', 'deploy-20261202^')).toBe(staging);
  expect(await git('log', '-1', '--format=%B', 'deploy-20261202')).toContain('Deployment-Run: run-one');
  expect(await git('diff', '--stat', 'staging', 'deploy-20261202')).toBe('');

  const again = await githubBranch.apply(await bed.ctx({ attempt: 2 }), target('run-one'));
  expect(again.outputs).toEqual({ ...applied.outputs, created: false });
  expect(await git('for-each-ref', '--format=%(refname:short)', 'refs/heads/deploy-*')).toBe('deploy-20261202');
});

it('gives a second run the same day the first free suffix', async () => {
  const second = await githubBranch.apply(await bed.ctx(), target('run-two'));
  expect(second.outputs['branch']).toBe('deploy-20261202-2');
  expect(await git('log', '-1', '--format=%B', 'deploy-20261202-2')).toContain('Deployment-Run: run-two');
});

it('deletes the branch on compensation while nothing landed on it, and leaves one that holds later commits', async () => {
  const made = await githubBranch.apply(await bed.ctx(), target('run-three', { name: 'release-{date}' }));
  expect(await githubBranch.compensate(await bed.ctx(), target('run-three'), made.undo)).toEqual({
    outcome: 'compensated (deleted branch release-20261202)',
  });
  expect(await git('for-each-ref', 'refs/heads/release-20261202')).toBe('');

  const kept = await githubBranch.apply(await bed.ctx(), target('run-four', { name: 'hotfix-{date}' }));
  await bed.surrogate.commitFiles(repo, 'hotfix-20261202', { VERSION: '1.4.3\n' }, { message: 'merged work' });
  const outcome = await githubBranch.compensate(await bed.ctx(), target('run-four'), kept.undo);
  expect(outcome.outcome).toMatch(/^irreversible: branch hotfix-20261202 holds commits made after it/);
  expect(await git('log', '-1', '--format=%s', 'hotfix-20261202')).toBe('merged work');
});

it('refuses a missing base branch, naming it', async () => {
  await expect(githubBranch.apply(await bed.ctx(), target('run-five', { from: 'nope' }))).rejects.toThrow(
    `branch nope does not exist in repository ${bed.user.login}/app`,
  );
});

it('in a real run, names the branch by the day the run started (the engine hands every node $run_started_at)', async () => {
  const worker = await startTestWorker({
    deps: {
      clients: { github: createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0 }) },
      secrets: bed.keyring,
    },
  });
  const connected = await testClient();
  try {
    const cfg = config({
      branch: { type: 'github:branch', properties: { owner: bed.user.login, repo: 'app', name: 'train-{date}' } },
    });
    const input = {
      ...deploymentInput(cfg),
      credentials: { github: { encrypted_pat: await bed.seal(bed.user.token) } },
    };
    const { workflowId, runId } = await startDeployment(connected.client, { input, taskQueue: worker.taskQueue });
    const done = await result(connected.client.workflow.getHandle(workflowId, runId));
    expect(done.status).toBe('completed');
    const day = done.started_at.slice(0, 10).replace(/-/g, '');
    expect(node(done, 'branch').outputs).toMatchObject({ branch: `train-${day}`, created: true });
    expect(await git('log', '-1', '--format=%B', `train-${day}`)).toContain(`Deployment-Run: ${runId}`);
  } finally {
    await worker.stop();
    await connected.close();
  }
});
