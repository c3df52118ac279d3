/**
 * `github:pulls:gather`: the release train's pull requests (seed 004 step 4, issue 21 steps 2–3). It
 * finds the open pull requests targeting `base` that GitHub counts as approved (pull-requests.ts:
 * each reviewer's latest decision; any change request blocks), not drafts, with `label` if given,
 * retargets each to the deploy `branch`, then reads whether each merges cleanly there. While
 * GitHub is still computing that (`mergeable: null`) the node answers pending and looks again on
 * durable timers; one still unknown after UNKNOWN_LIMIT_MS counts as conflicting. Conflicting
 * ones are retargeted back to `base` and reported in `left_out` (`on_conflict: "leave_out"`), or
 * every one is retargeted back and the node fails naming them (`"halt"`), before anything merged.
 *
 * Idempotent: a retry counts the open pull requests already targeting `branch` as gathered (its
 * earlier attempt retargeted them). A refusal no retry changes (a retarget refused, 403) moves back
 * what it retargeted before it fails, so a rollback that deletes the branch closes none of them; an
 * attempt that ran out of retries on passing faults leaves them on the branch (the engine keeps no
 * undo of a failed node), which is what a rerun of the node gathers.
 *
 * Compensation (and destroy) retargets back to `base` every gathered pull request still open on
 * `branch`; ones merged meanwhile cannot be moved and the outcome says so (irreversible).
 */
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { gh } from './errors';
import { getPull, isApproved, moveBack, pullList, repoLabel, repoProperties, retarget } from './pull-requests';
import { summaryOf, type LeftOut, type PullSummary } from './pull-summary';
import { githubClient } from './session';
import { propertyOrRef } from './wait-settings';

const BRANCH = z.string().min(1).max(255);

const properties = z
  .object({
    ...repoProperties,
    base: BRANCH.default('staging').meta({ description: 'The branch the pull requests target' }),
    branch: BRANCH.optional().meta({
      description: "The deploy branch they are retargeted to; or a reference named branch (github:branch's branch)",
    }),
    label: z.string().min(1).max(100).optional().meta({ description: 'Only pull requests with this label' }),
    on_conflict: z.enum(['leave_out', 'halt']).default('leave_out').meta({
      description: 'A pull request that conflicts with the branch: retargeted back and left out, or the node fails',
    }),
  })
  .strict();

export type PullsGatherProperties = z.output<typeof properties>;
type Target = NodeTarget<PullsGatherProperties>;

/** How long GitHub may take to say whether a pull request merges before it counts as conflicting. */
const UNKNOWN_LIMIT_MS = 10 * 60_000;

const branchOf = (target: Target): string => propertyOrRef(target, 'branch', 'string');

/** The open pull requests targeting `on`, oldest first. */
async function openOn(ctx: OperationContext, target: Target, on: string) {
  const p = target.properties;
  const client = await githubClient(ctx);
  return gh({ action: `list pull requests on ${on}`, target: repoLabel(p) }, () =>
    client.paginate('GET /repos/{owner}/{repo}/pulls', {
      owner: p.owner,
      repo: p.repo,
      base: on,
      state: 'open',
      per_page: 100,
    }),
  );
}

async function approved(ctx: OperationContext, target: Target, number: number): Promise<boolean> {
  const p = target.properties;
  const client = await githubClient(ctx);
  const reviews = await gh({ action: `list reviews of #${number}`, target: repoLabel(p) }, () =>
    client.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      owner: p.owner,
      repo: p.repo,
      pull_number: number,
      per_page: 100,
    }),
  );
  return isApproved(reviews);
}

/** Reads where each gathered one stands; pending while GitHub computes mergeability, else the outcome. */
async function settle(
  ctx: OperationContext,
  target: Target,
  numbers: readonly number[],
  deadline: number,
): Promise<ApplyResult> {
  const p = target.properties;
  const branch = branchOf(target);
  const client = await githubClient(ctx);
  const clean: PullSummary[] = [];
  const conflicting: LeftOut[] = [];
  const unknown: number[] = [];
  const undo = { base: p.base, branch, pulls: [...numbers] };
  for (const number of numbers) {
    const pull = await getPull(client, p, number);
    if (pull.state !== 'open' && !pull.merged) continue; // closed by hand meanwhile: nothing to gather
    if (pull.merged || pull.mergeable === true) clean.push(summaryOf(pull));
    else if (pull.mergeable === false) conflicting.push({ ...summaryOf(pull), reason: `conflicts with ${branch}` });
    else if (Date.now() < deadline) unknown.push(number);
    else conflicting.push({ ...summaryOf(pull), reason: 'GitHub did not say whether it merges cleanly in time' });
  }
  if (unknown.length > 0)
    return {
      outputs: {},
      undo,
      pending: {
        state: { pulls: [...numbers], deadline },
        waiting_on: `GitHub computing whether ${pullList(unknown)} ${unknown.length === 1 ? 'merges' : 'merge'} cleanly into ${branch}`,
        interval_ms: 2_000,
        max_interval_ms: 30_000,
        timeout_ms: UNKNOWN_LIMIT_MS + 5 * 60_000,
      },
    };
  if (conflicting.length > 0 && p.on_conflict === 'halt') {
    await moveBack(client, p, numbers, branch, p.base);
    const named = conflicting.map((c) => `#${c.number} (${c.title})`).join(', ');
    throw new OperationError(
      'conflict',
      `${named} ${conflicting.length === 1 ? 'conflicts' : 'conflict'} with ${branch} (on_conflict: halt): every gathered pull request was retargeted back to ${p.base}, nothing merged`,
      { retryable: false },
    );
  }
  for (const left of conflicting) await retarget(client, p, left.number, p.base);
  const pulls = clean.sort((a, b) => a.number - b.number);
  return {
    outputs: { pulls, left_out: conflicting, base: p.base, branch },
    undo: { ...undo, pulls: pulls.map((pull) => pull.number) },
  };
}

const numbersIn = (value: unknown): number[] =>
  Array.isArray(value) ? value.filter((n): n is number => typeof n === 'number') : [];

/** Moves `numbers` back from the branch to the base, in words for a compensation outcome. */
async function restore(ctx: OperationContext, target: Target, numbers: number[], branch: string, base: string) {
  const done = await moveBack(await githubClient(ctx), target.properties, numbers, branch, base);
  const moved = done.moved.length > 0 ? `retargeted ${pullList(done.moved)} back to ${base}` : 'none left to retarget';
  const closed = done.closed.length > 0 ? `; ${pullList(done.closed)} closed meanwhile, left closed` : '';
  if (done.merged.length > 0)
    return `irreversible: ${pullList(done.merged)} merged into ${branch}, cannot be retargeted; ${moved}${closed}`;
  return `compensated (${moved}${closed})`;
}

export const githubPullsGather: ResourceType<PullsGatherProperties> = {
  type: 'github:pulls:gather',
  provider: 'github',
  description:
    'The approved pull requests on a base branch, retargeted to a deploy branch; conflicting ones left out (or the node halts).',
  regional: false,
  properties,

  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),

  async apply(ctx, target) {
    const p = target.properties;
    const branch = branchOf(target);
    if (branch === p.base)
      throw new OperationError('invalid_input', `branch and base are both ${branch}`, { retryable: false });
    const client = await githubClient(ctx);
    const earlier = (await openOn(ctx, target, branch)).map((pull) => pull.number);
    const numbers = [...earlier];
    try {
      for (const pull of await openOn(ctx, target, p.base)) {
        if (pull.draft || (p.label !== undefined && !pull.labels.some((l) => l.name === p.label))) continue;
        if (!(await approved(ctx, target, pull.number))) continue;
        await retarget(client, p, pull.number, branch);
        ctx.heartbeat({ retargeted: pull.number });
        numbers.push(pull.number);
      }
    } catch (err) {
      // A refusal no retry will change (a retarget refused): nothing stays on the branch, which a rollback deletes.
      if (err instanceof OperationError && !err.retryable) await moveBack(client, p, numbers, branch, p.base);
      throw err;
    }
    if (earlier.length > 0) ctx.log(`an earlier attempt retargeted ${pullList(earlier)} to ${branch}: gathered`);
    return settle(ctx, target, numbers, Date.now() + UNKNOWN_LIMIT_MS);
  },

  poll: (ctx, target, state) =>
    settle(ctx, target, numbersIn(state['pulls']), typeof state['deadline'] === 'number' ? state['deadline'] : 0),

  async verify(ctx, target, outputs) {
    const branch = typeof outputs?.['branch'] === 'string' ? outputs['branch'] : branchOf(target);
    const client = await githubClient(ctx);
    const drift = [];
    for (const pull of (outputs?.['pulls'] ?? []) as PullSummary[]) {
      const now = await getPull(client, target.properties, pull.number);
      if (!now.merged && now.base.ref !== branch)
        drift.push({ property: `pull request #${pull.number} base`, desired: branch, actual: now.base.ref });
    }
    return { drift };
  },

  async compensate(ctx, target, undo) {
    const numbers = numbersIn(undo?.['pulls']);
    if (numbers.length === 0 || typeof undo?.['branch'] !== 'string') return { outcome: 'nothing to undo' };
    return { outcome: await restore(ctx, target, numbers, undo['branch'], target.properties.base) };
  },

  async destroy(ctx, target, outputs) {
    const pulls = (outputs?.['pulls'] ?? []) as PullSummary[];
    if (typeof outputs?.['branch'] === 'string')
      await restore(
        ctx,
        target,
        pulls.map((pull) => pull.number),
        outputs['branch'],
        target.properties.base,
      );
  },
};
