/**
 * `github:pulls:merge`: merges the gathered pull requests (`pulls`, a reference to
 * github:pulls:gather's output) one by one into the deploy `branch`, in number order, each at the
 * head it was gathered at (`sha`), with `merge_method`. One that cannot merge now (a conflict with
 * one merged before it: 405; its head moved since it was gathered: 409) is retargeted back to
 * `base` and reported in `left_out`; past the first merge the node fails only on errors its
 * retries cover (GitHub unavailable, rate limits, the branch moved under a merge).
 *
 * Idempotent: each pull request is read first; one already merged counts as merged and one no
 * longer targeting `branch` (an earlier attempt moved it back) as left out, so a retry after a
 * crash never merges twice. Each merge is heartbeated as progress.
 *
 * Compensation: none possible ("merged pull requests cannot be unmerged"), said in plans by
 * `irreversible()`; the release train marks this node its point of no return. Nothing to verify
 * or destroy: a merge is history, not a resource.
 * With a reference named `left_out` (the gather's), its `left_out` reports those too, so the
 * deploy pull request lists everything the train left out.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { githubError } from './errors';
import { branchHead, getPull, pullList, repoLabel, repoProperties, retarget } from './pull-requests';
import { leftOutSchema, pullSummarySchema, type LeftOut, type PullSummary } from './pull-summary';
import { githubClient } from './session';
import { propertyOrRef } from './wait-settings';

const BRANCH = z.string().min(1).max(255);
const PULLS = z.array(pullSummarySchema).max(500);
const IRREVERSIBLE = 'merged pull requests cannot be unmerged';

const properties = z
  .object({
    ...repoProperties,
    base: BRANCH.default('staging').meta({ description: 'Where a pull request that cannot merge goes back to' }),
    branch: BRANCH.optional().meta({ description: 'The deploy branch they merge into; or a reference named branch' }),
    pulls: PULLS.optional().meta({
      description: "The pull requests to merge; usually a reference named pulls (github:pulls:gather's pulls)",
    }),
    merge_method: z.enum(['merge', 'squash']).default('merge'),
  })
  .strict();

/** What the gather left out already (a reference named left_out): reported on with this node's own. */
const EARLIER_LEFT_OUT = z.array(leftOutSchema).max(500);

export type PullsMergeProperties = z.output<typeof properties>;
type Target = NodeTarget<PullsMergeProperties>;

/** The property, else the reference named pulls (github:pulls:gather's output). */
function pullsOf(target: Target): PullSummary[] {
  const parsed = PULLS.safeParse(target.properties.pulls ?? target.refs['pulls']);
  if (parsed.success) return [...parsed.data];
  throw new OperationError(
    'invalid_input',
    `${target.node.resource_id}: give properties.pulls or references.pulls (github:pulls:gather's pulls): ${parsed.error.issues[0]?.message ?? 'missing'}`,
    { retryable: false },
  );
}

interface HttpFault {
  readonly status?: unknown;
  readonly message?: unknown;
}

/** Why GitHub refused to merge it now, when that leaves it out (405 conflict, 409 head moved); else null. */
function leftOutReason(err: unknown, branch: string): string | null {
  const { status, message } = (typeof err === 'object' && err !== null ? err : {}) as HttpFault;
  const said = typeof message === 'string' ? message : '';
  if (/base branch was modified/i.test(said)) return null;
  if (status === 405) return `cannot merge into ${branch} (conflicts with a pull request merged before it): ${said}`;
  if (status === 409) return `its head moved after it was gathered: ${said}`;
  return null;
}

/** Merges one at its gathered head; null when merged, else why it was left out (and retargeted back). */
async function mergeOne(
  client: GitHubClient,
  target: Target,
  pull: PullSummary,
  where: { branch: string; base: string },
): Promise<string | null> {
  const p = target.properties;
  const call = { action: `merge pull request #${pull.number} into ${where.branch}`, target: repoLabel(p) };
  try {
    await client.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
      owner: p.owner,
      repo: p.repo,
      pull_number: pull.number,
      sha: pull.head_sha,
      merge_method: p.merge_method,
    });
    return null;
  } catch (err) {
    const reason = leftOutReason(err, where.branch);
    if (reason === null) {
      const mapped = githubError(err, call);
      throw /base branch was modified/i.test(mapped.message)
        ? new OperationError('operation_failed', mapped.message, { retryable: true })
        : mapped;
    }
    await retarget(client, p, pull.number, where.base);
    return reason;
  }
}

async function mergeAll(ctx: OperationContext, target: Target) {
  const p = target.properties;
  const branch = propertyOrRef(target, 'branch', 'string');
  const base = p.base;
  const pulls = pullsOf(target).sort((a, b) => a.number - b.number);
  const client = await githubClient(ctx);
  const merged: PullSummary[] = [];
  const earlier = EARLIER_LEFT_OUT.safeParse(target.refs['left_out']);
  const left_out: LeftOut[] = earlier.success ? [...earlier.data] : [];
  for (const pull of pulls) {
    const now = await getPull(client, p, pull.number);
    let reason: string | null;
    if (now.merged) reason = null;
    else if (now.state !== 'open') reason = 'closed before it was merged';
    else if (now.base.ref !== branch) reason = `targets ${now.base.ref}, not ${branch} (moved back after a conflict)`;
    else reason = await mergeOne(client, target, pull, { branch, base });
    if (reason === null) merged.push(pull);
    else left_out.push({ ...pull, reason });
    ctx.heartbeat({ merged: merged.map((m) => m.number) });
  }
  const head = await branchHead(client, p, branch);
  if (head === null) throw new OperationError('not_found', `branch ${branch} is gone from ${repoLabel(p)}`);
  if (left_out.length > 0) ctx.log(`left out of ${branch}: ${pullList(left_out.map((l) => l.number))}`);
  return {
    outputs: { merged, left_out, head_sha: head },
    undo: { branch, merged: merged.map((m) => m.number) },
  };
}

export const githubPullsMerge: ResourceType<PullsMergeProperties> = {
  type: 'github:pulls:merge',
  provider: 'github',
  description:
    'Merges gathered pull requests one by one into a deploy branch; one that cannot merge is retargeted back and left out.',
  regional: false,
  properties,
  irreversible: () => IRREVERSIBLE,

  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),

  apply: mergeAll,

  verify: () => Promise.resolve({ drift: [] }),

  compensate(_ctx, _target, undo) {
    const merged = Array.isArray(undo?.['merged']) ? (undo['merged'] as number[]) : [];
    if (merged.length === 0) return Promise.resolve({ outcome: 'nothing to undo (nothing was merged)' });
    const what = `${pullList(merged)} merged into ${String(undo?.['branch'])}`;
    return Promise.resolve({ outcome: `irreversible: ${IRREVERSIBLE} (${what})` });
  },

  destroy: () => Promise.resolve(),
};
