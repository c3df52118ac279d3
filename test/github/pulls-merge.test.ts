/**
 * github:pulls:merge against the surrogate's real git repositories: the gathered pull requests
 * land on the deploy branch as real merge commits (read back with git log), a retried apply merges
 * nothing twice, one that conflicts with an earlier merge is left out and retargeted back, and
 * compensation says what it cannot undo.
 */
import { execFileSync } from 'node:child_process';
import { startDeployment } from '../../src/client/start-deployment';
import { createGitHubClients } from '../../src/providers/github';
import { githubBranch } from '../../src/resources/github/branch';
import { githubPullsGather } from '../../src/resources/github/pulls-gather';
import { githubPullsMerge } from '../../src/resources/github/pulls-merge';
import type { PullSummary } from '../../src/resources/github/pull-summary';
import { config, deploymentInput, node, result } from '../../support/deployments';
import { startTestWorker, testClient } from '../../support/temporal';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Account, Repository } from '../surrogates/github/state';
import type { PullRequest } from '../surrogates/github/state-pulls';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let author: Account;
let reviewer: Account;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES);
  author = bed.surrogate.addAccount('hubot');
  reviewer = bed.surrogate.addAccount('octocat');
});
afterEach(() => bed.finish());

const where = () => ({ owner: bed.user.login, repo: 'app' });

const git = async (...args: string[]): Promise<string> =>
  execFileSync('git', ['--git-dir', await bed.surrogate.gitDir(repo), ...args], { encoding: 'utf8' }).trim();

async function approvedPull(head: string, files: Record<string, string>): Promise<PullRequest> {
  const pull = await bed.surrogate.addPullRequest(repo, { author, head, base: 'staging', files });
  bed.surrogate.addReview(pull, reviewer, 'APPROVED');
  return pull;
}

/** The deploy branch and the gathered pull requests, made by the train's earlier nodes. */
async function gathered(): Promise<{ branch: string; pulls: PullSummary[]; undo: Record<string, unknown> | null }> {
  const ctx = await bed.ctx();
  const made = await githubBranch.apply(
    ctx,
    bed.target(githubBranch, where(), { refs: { $run_key: 'run-1', $run_started_at: '2026-12-02T07:00:00.000Z' } }),
  );
  const branch = made.outputs['branch'] as string;
  const answer = await githubPullsGather.apply(ctx, bed.target(githubPullsGather, where(), { refs: { branch } }));
  return { branch, pulls: answer.outputs['pulls'] as PullSummary[], undo: answer.undo };
}

const mergeTarget = (refs: Record<string, unknown>, properties: Record<string, unknown> = {}) =>
  bed.target(githubPullsMerge, { ...where(), ...properties }, { refs });

const baseOf = (pull: PullRequest): string =>
  bed.surrogate.state.repo(bed.user.login, 'app')!.pulls.get(pull.number)!.base;

describe('github:pulls:merge', () => {
  it('merges exactly the gathered pull requests as real merge commits, once, even when applied again', async () => {
    const pulls = [
      await approvedPull('a', { 'a.txt': 'a\n' }),
      await approvedPull('b', { 'b.txt': 'b\n' }),
      await approvedPull('c', { 'c.txt': 'c\n' }),
    ];
    const skipped = await bed.surrogate.addPullRequest(repo, {
      author,
      head: 'd',
      base: 'staging',
      files: { 'd.txt': 'd\n' },
    });
    const { branch, pulls: summaries } = await gathered();
    const target = mergeTarget({ branch, pulls: summaries });
    const ctx = await bed.ctx();

    const answer = await githubPullsMerge.apply(ctx, target);
    const numbers = pulls.map((p) => p.number);
    expect((answer.outputs['merged'] as PullSummary[]).map((p) => p.number)).toEqual(numbers);
    expect(answer.outputs['left_out']).toEqual([]);
    expect(answer.outputs['head_sha']).toBe(await git('rev-parse', branch));
    const merges = numbers.map((n, i) => `Merge pull request #${n} from ${bed.user.login}/${'abc'[i]}`);
    expect(await git('log', '--merges', '--format=%s', branch)).toBe([...merges].reverse().join('\n'));
    expect(await git('show', `${branch}:c.txt`)).toBe('c');
    expect(baseOf(skipped)).toBe('staging');

    const again = await githubPullsMerge.apply(ctx, target);
    expect(again.outputs).toEqual(answer.outputs);
    expect((await git('log', '--merges', '--format=%s', branch)).split('\n')).toHaveLength(3);
    expect(bed.heartbeats.at(-1)).toEqual({ merged: numbers });

    expect(githubPullsMerge.irreversible?.(target.properties)).toBe('merged pull requests cannot be unmerged');
    expect((await githubPullsMerge.compensate(ctx, target, answer.undo)).outcome).toBe(
      `irreversible: merged pull requests cannot be unmerged (${numbers.map((n) => `#${n}`).join(', ')} merged into ${branch})`,
    );
  });

  it('leaves out one that conflicts with a pull request merged before it, retargeted back to the base', async () => {
    const first = await approvedPull('one', { VERSION: '2.0.0\n' });
    const second = await approvedPull('two', { VERSION: '3.0.0\n' });
    const { branch, pulls, undo } = await gathered();
    expect(pulls.map((p) => p.number)).toEqual([first.number, second.number]);

    const answer = await githubPullsMerge.apply(await bed.ctx(), mergeTarget({ branch, pulls }));
    expect((answer.outputs['merged'] as PullSummary[]).map((p) => p.number)).toEqual([first.number]);
    expect(answer.outputs['left_out']).toEqual([
      expect.objectContaining({
        number: second.number,
        reason: expect.stringContaining(`cannot merge into ${branch}`) as unknown,
      }),
    ]);
    expect([baseOf(first), baseOf(second)]).toEqual([branch, 'staging']);
    expect(await git('show', `${branch}:VERSION`)).toBe('2.0.0');

    const again = await githubPullsMerge.apply(await bed.ctx(), mergeTarget({ branch, pulls }));
    expect(again.outputs['merged']).toEqual(answer.outputs['merged']);
    expect(again.outputs['left_out']).toEqual([expect.objectContaining({ number: second.number })]);

    const gatherTarget = bed.target(githubPullsGather, where(), { refs: { branch } });
    expect((await githubPullsGather.compensate(await bed.ctx(), gatherTarget, undo)).outcome).toBe(
      `irreversible: #${first.number} merged into ${branch}, cannot be retargeted; none left to retarget`,
    );
  });

  it('leaves out one whose head moved after it was gathered (unreviewed commits), retargeted back', async () => {
    const moved = await approvedPull('a', { 'a.txt': 'a\n' });
    const { branch, pulls } = await gathered();
    await bed.surrogate.commitFiles(repo, 'a', { 'a.txt': 'changed after review\n' });
    const answer = await githubPullsMerge.apply(await bed.ctx(), mergeTarget({ branch, pulls }));
    expect(answer.outputs['merged']).toEqual([]);
    expect(answer.outputs['left_out']).toEqual([
      expect.objectContaining({
        number: moved.number,
        reason: expect.stringContaining('its head moved after it was gathered') as unknown,
      }),
    ]);
    expect(baseOf(moved)).toBe('staging');
    expect((await githubPullsMerge.compensate(await bed.ctx(), mergeTarget({}), answer.undo)).outcome).toBe(
      'nothing to undo (nothing was merged)',
    );
  });

  it('squashes when asked: one commit per pull request, no merge commits', async () => {
    await approvedPull('a', { 'a.txt': 'a\n' });
    await approvedPull('b', { 'b.txt': 'b\n' });
    const { branch, pulls } = await gathered();
    await githubPullsMerge.apply(await bed.ctx(), mergeTarget({ branch, pulls }, { merge_method: 'squash' }));
    expect(await git('log', '--merges', '--format=%s', branch)).toBe('');
    expect((await git('log', '-2', '--format=%s', branch)).split('\n')).toEqual([
      expect.stringContaining(`(#${pulls[1]!.number})`),
      expect.stringContaining(`(#${pulls[0]!.number})`),
    ]);
  });

  it('fails with a message naming what to give when pulls are neither a property nor a reference', async () => {
    await expect(githubPullsMerge.apply(await bed.ctx(), mergeTarget({ branch: 'staging' }))).rejects.toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('give properties.pulls or references.pulls') as unknown,
    });
  });

  it('in a real run: branch, gather and merge hand on branch and pulls by reference; a failure before the merge rolls back', async () => {
    const pulls = [await approvedPull('a', { 'a.txt': 'a\n' }), await approvedPull('b', { 'b.txt': 'b\n' })];
    const worker = await startTestWorker({
      deps: {
        clients: { github: createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0 }) },
        secrets: bed.keyring,
      },
    });
    const connected = await testClient();
    const run = async (between: Record<string, unknown>) => {
      const cfg = config(
        {
          branch: { type: 'github:branch', properties: { ...where(), name: 'train-{date}' } },
          gather: { type: 'github:pulls:gather', properties: where(), references: { branch: 'branch.branch' } },
          between,
          merge: {
            type: 'github:pulls:merge',
            properties: where(),
            references: { branch: 'gather.branch', pulls: 'gather.pulls' },
            depends_on: ['between'],
            point_of_no_return: true,
          },
        },
        { on_failure: 'rollback' },
      );
      const input = {
        ...deploymentInput(cfg),
        credentials: { github: { encrypted_pat: await bed.seal(bed.user.token) } },
      };
      const { workflowId, runId } = await startDeployment(connected.client, { input, taskQueue: worker.taskQueue });
      return result(connected.client.workflow.getHandle(workflowId, runId));
    };
    try {
      const failed = await run({
        type: 'core:delay',
        properties: { duration_ms: 1, fail_times: 99, non_retryable: true },
        depends_on: ['gather'],
      });
      expect(failed.status).toBe('rolled_back');
      expect(node(failed, 'gather').compensation).toBe(
        `compensated (retargeted #${pulls[0]!.number}, #${pulls[1]!.number} back to staging)`,
      );
      expect(node(failed, 'branch').compensation).toMatch(/^compensated \(deleted branch train-\d{8}\)$/);
      expect(node(failed, 'merge').status).toBe('blocked');
      // Retargeted back before the branch went: deleting it first would have closed them.
      expect(pulls.map((p) => bed.surrogate.state.repo(bed.user.login, 'app')!.pulls.get(p.number)!.state)).toEqual([
        'open',
        'open',
      ]);
      expect(pulls.map(baseOf)).toEqual(['staging', 'staging']);
      expect(await git('for-each-ref', 'refs/heads/train-*')).toBe('');

      const done = await run({ type: 'core:delay', properties: { duration_ms: 1 }, depends_on: ['gather'] });
      expect(done.status).toBe('completed');
      const branch = node(done, 'gather').outputs?.['branch'] as string;
      expect(node(done, 'merge').outputs).toMatchObject({
        merged: pulls.map((p) => expect.objectContaining({ number: p.number }) as unknown),
        left_out: [],
        head_sha: await git('rev-parse', branch),
      });
      expect((await git('log', '--merges', '--format=%s', branch)).split('\n')).toHaveLength(2);
    } finally {
      await worker.stop();
      await connected.close();
    }
  });
});
