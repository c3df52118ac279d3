/**
 * `github:pull:approval`: waits for the deploy pull request's approval (seed 004 step 8; `number`
 * usually the reference to the deploy PR's number). Each look reads its reviews and applies
 * GitHub's rule (pull-requests.ts isApproved: per reviewer their latest approval, change request
 * or dismissal counts; approved when one approves and none requests changes). Pending until then,
 * on durable timers (wait-settings.ts), holding no worker. The wait is overridable: an operator's
 * continue naming the node approves the deploy pull request by hand, and the node completes with
 * `approved_by: "operator"`; else `approved_by` lists the approving reviewers' logins.
 *
 * Only reads: a retry looks again; nothing to compensate, verify or destroy.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import type { ApplyResult, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { gh } from './errors';
import { deployPullNumber, isApproved, repoLabel, repoProperties } from './pull-requests';
import { githubClient } from './session';
import { pendingAnswer, propertyOrRef, timingProperties } from './wait-settings';

const properties = z
  .object({
    ...repoProperties,
    number: deployPullNumber,
    ...timingProperties({ interval: 60_000, max_interval: 600_000, timeout: 86_400_000 }),
  })
  .strict();

export type PullApprovalProperties = z.output<typeof properties>;
type Target = NodeTarget<PullApprovalProperties>;

const OVERRIDE = 'approves the deploy pull request by hand';

async function reviewsOf(client: GitHubClient, p: PullApprovalProperties, number: number) {
  return gh({ action: `read the reviews of pull request #${number}`, target: repoLabel(p) }, () =>
    client.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      owner: p.owner,
      repo: p.repo,
      pull_number: number,
      per_page: 100,
    }),
  );
}

/** One look at the reviews; with `$override` (an operator's continue) the node completes without one. */
async function look(ctx: OperationContext, target: Target, number: number): Promise<ApplyResult> {
  const p = target.properties;
  const reviews = await reviewsOf(await githubClient(ctx), p, number);
  if (isApproved(reviews)) {
    const reviewers = [...new Set(reviews.flatMap((r) => (r.user ? [r.user.login] : [])))];
    const approvers = reviewers.filter((login) => isApproved(reviews.filter((r) => r.user?.login === login)));
    return { outputs: { approved_by: approvers }, undo: null };
  }
  return pendingAnswer(p, {
    state: { number },
    waiting_on: `an approving review of pull request #${number} in ${p.owner}/${p.repo}, and no changes requested`,
    overridable: OVERRIDE,
  });
}

export const githubPullApproval: ResourceType<PullApprovalProperties> = {
  type: 'github:pull:approval',
  provider: 'github',
  description:
    'Waits (durable timers, no worker held) until a pull request is approved by GitHub’s review rule, or an operator’s continue approves it by hand.',
  regional: false,
  properties,
  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),
  apply: async (ctx, target) => look(ctx, target, propertyOrRef(target, 'number', 'number')),
  async poll(ctx, target, state) {
    const number = Number(state['number']);
    if (state['$override'] !== true) return look(ctx, target, number);
    ctx.log(`pull request #${number}: an operator's continue ${OVERRIDE}`);
    return { outputs: { approved_by: 'operator' }, undo: null };
  },
  verify: () => Promise.resolve({ drift: [] }),
  compensate: () => Promise.resolve({ outcome: 'nothing to undo (a wait for an approval)' }),
  destroy: () => Promise.resolve(),
};
