/**
 * `github:pull:merge`: merges the deploy pull request into its base (seed 004 step 9; `number`
 * usually the reference to the deploy PR's number) at the head it has when the node runs, then
 * finds the Actions run the merge started (a `push` run of the merge commit; with `workflow`, that
 * workflow's): pending, on durable timers (wait-settings.ts), until GitHub shows it. Outputs the
 * merge commit and the run, for a Slack post of its link and `github:actions:run`'s wait.
 *
 * Idempotent: the pull request is read first; one merged already (an earlier attempt whose answer
 * was lost, or a merge by hand) is adopted with its merge commit, so a retry never merges twice.
 * A closed one, or one GitHub will not merge (405: not mergeable; 409: its head moved), fails the
 * node, not retryably, with GitHub's reason.
 *
 * Compensation: none possible (a merged pull request cannot be unmerged), said in plans by
 * `irreversible()`. Nothing to verify or destroy: a merge is history, not a resource.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { gh } from './errors';
import { deployPullNumber, getPull, repoLabel, repoProperties } from './pull-requests';
import { githubClient } from './session';
import { pendingAnswer, propertyOrRef, timingProperties } from './wait-settings';

const IRREVERSIBLE = 'a merged pull request cannot be unmerged';

const properties = z
  .object({
    ...repoProperties,
    number: deployPullNumber,
    merge_method: z.enum(['merge', 'squash', 'rebase']).default('merge'),
    workflow: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .meta({ description: 'The workflow file whose run to find (e.g. release.yml); default: the first push run' }),
    ...timingProperties({ interval: 5_000, max_interval: 60_000, timeout: 900_000 }),
  })
  .strict();

export type PullMergeProperties = z.output<typeof properties>;
type Target = NodeTarget<PullMergeProperties>;

/** Merges it unless it was merged already; its merge commit either way. */
async function merge(ctx: OperationContext, client: GitHubClient, target: Target, number: number): Promise<string> {
  const p = target.properties;
  const pull = await getPull(client, p, number);
  if (pull.merged && pull.merge_commit_sha) {
    ctx.log(`pull request #${number} was merged already (${pull.merge_commit_sha}): adopted`);
    return pull.merge_commit_sha;
  }
  if (pull.state !== 'open')
    throw new OperationError('invalid_input', `pull request #${number} of ${p.owner}/${p.repo} is closed unmerged`, {
      retryable: false,
    });
  const merged = await gh({ action: `merge pull request #${number} into ${pull.base.ref}`, target: repoLabel(p) }, () =>
    client.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
      owner: p.owner,
      repo: p.repo,
      pull_number: number,
      sha: pull.head.sha,
      merge_method: p.merge_method,
    }),
  );
  ctx.heartbeat({ merged: number, merge_sha: merged.data.sha });
  return merged.data.sha;
}

/** The push run of the merge commit (of `workflow` when given; else the oldest), or pending until GitHub shows it. */
async function findRun(ctx: OperationContext, target: Target, mergeSha: string): Promise<ApplyResult> {
  const p = target.properties;
  const client = await githubClient(ctx);
  const runs = await gh({ action: `find the push run of ${mergeSha}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/actions/runs', {
      owner: p.owner,
      repo: p.repo,
      head_sha: mergeSha,
      event: 'push',
      per_page: 100,
    }),
  );
  const run = runs.data.workflow_runs
    .filter((r) => p.workflow === undefined || r.path.split('@')[0]?.endsWith(`/${p.workflow}`))
    .sort((a, b) => a.id - b.id)[0];
  const undo = { merge_sha: mergeSha };
  if (!run)
    return pendingAnswer(
      p,
      {
        state: undo,
        waiting_on: `the ${p.workflow ?? 'Actions'} run of merge ${mergeSha.slice(0, 7)} in ${p.owner}/${p.repo}`,
      },
      undo,
    );
  return { outputs: { merge_sha: mergeSha, run_id: run.id, run_url: run.html_url }, undo };
}

export const githubPullMerge: ResourceType<PullMergeProperties> = {
  type: 'github:pull:merge',
  provider: 'github',
  description:
    'Merges a pull request (the deploy PR) into its base, once, then waits (durable timers) for the Actions run the merge started.',
  regional: false,
  properties,
  irreversible: () => IRREVERSIBLE,
  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),
  async apply(ctx, target) {
    const number = propertyOrRef(target, 'number', 'number');
    return findRun(ctx, target, await merge(ctx, await githubClient(ctx), target, number));
  },
  poll: (ctx, target, state) => findRun(ctx, target, String(state['merge_sha'])),
  verify: () => Promise.resolve({ drift: [] }),
  compensate(_ctx, _target, undo) {
    const sha = undo?.['merge_sha'];
    return Promise.resolve({
      outcome:
        typeof sha === 'string'
          ? `irreversible: ${IRREVERSIBLE} (merge ${sha})`
          : 'nothing to undo (nothing was merged)',
    });
  },
  destroy: () => Promise.resolve(),
};
