/**
 * `github:checks:wait`: waits for CI on a commit (seed 004 step 7, usually the deploy pull
 * request's head: `references.ref` = its `head_sha`). Each look reads the commit's check runs
 * and its commit statuses: pending while any is queued, in progress or pending (waiting_on says
 * how many of how many), or while none has reported yet (CI not started); failed, not retryable,
 * naming each failing check with its link, when any concluded otherwise than success, neutral or
 * skipped (a status: failure or error); done when all passed. The engine looks again on durable
 * timers (wait-settings.ts), holding no worker.
 *
 * Only reads: a retry (an operator's, after the checks were fixed and re-run) simply looks again;
 * nothing to compensate, verify or destroy.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { gh } from './errors';
import { repoProperties } from './pull-requests';
import { githubClient } from './session';
import { pendingAnswer, propertyOrRef, timingProperties } from './wait-settings';

const properties = z
  .object({
    ...repoProperties,
    ref: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .meta({ description: 'The commit (a SHA, or a branch); else the reference `ref` (a head_sha)' }),
    ...timingProperties({ interval: 30_000, max_interval: 300_000, timeout: 7_200_000 }),
  })
  .strict();

export type ChecksWaitProperties = z.output<typeof properties>;
type Target = NodeTarget<ChecksWaitProperties>;

/** One check run or commit status, as the node reports it. */
interface Check {
  readonly name: string;
  readonly kind: 'check_run' | 'status';
  /** `pending` while it runs; else its conclusion (a status: its state). */
  readonly conclusion: string;
  readonly url: string | null;
}

const PASSED: ReadonlySet<string> = new Set(['success', 'neutral', 'skipped']);

/** The commit's check runs and statuses, and the SHA the ref names. */
async function checksOf(client: GitHubClient, p: ChecksWaitProperties, ref: string) {
  const label = { action: `read the checks of ${ref}`, target: `repository ${p.owner}/${p.repo}` };
  const where = { owner: p.owner, repo: p.repo, ref, per_page: 100 };
  const runs = await gh(label, () => client.paginate('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', where));
  const combined = await gh(label, () => client.request('GET /repos/{owner}/{repo}/commits/{ref}/status', where));
  const checks: Check[] = [
    ...runs.map((r) => ({
      name: r.name,
      kind: 'check_run' as const,
      conclusion: r.status === 'completed' ? (r.conclusion ?? 'none') : 'pending',
      url: r.details_url ?? r.html_url ?? null,
    })),
    ...combined.data.statuses.map((s) => ({
      name: s.context,
      kind: 'status' as const,
      conclusion: s.state,
      url: s.target_url ?? null,
    })),
  ];
  return { sha: combined.data.sha, checks };
}

/** One look at the checks of `ref` (apply: the property or reference; poll: the SHA the apply found). */
async function look(ctx: OperationContext, target: Target, ref: string): Promise<ApplyResult> {
  const p = target.properties;
  const { sha, checks } = await checksOf(await githubClient(ctx), p, ref);
  const short = sha.slice(0, 7);
  const failing = checks.filter((c) => c.conclusion !== 'pending' && !PASSED.has(c.conclusion));
  if (failing.length > 0) {
    const named = failing.map((c) => `${c.name} (${c.conclusion}${c.url ? `: ${c.url}` : ''})`).join(', ');
    throw new OperationError('operation_failed', `checks on ${short} failed: ${named}`, { retryable: false });
  }
  const pending = checks.filter((c) => c.conclusion === 'pending').length;
  if (checks.length === 0 || pending > 0) {
    const waiting_on =
      checks.length === 0
        ? `checks on ${short}: none reported yet`
        : `checks on ${short}: ${pending} of ${checks.length} pending`;
    return pendingAnswer(p, { state: { sha }, waiting_on });
  }
  return { outputs: { sha, checks }, undo: null };
}

export const githubChecksWait: ResourceType<ChecksWaitProperties> = {
  type: 'github:checks:wait',
  provider: 'github',
  description:
    'Waits (durable timers, no worker held) until every check run and commit status of a commit passed; fails naming the failing ones.',
  regional: false,
  properties,
  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),
  apply: async (ctx, target) => look(ctx, target, propertyOrRef(target, 'ref', 'string')),
  poll: (ctx, target, state) => look(ctx, target, String(state['sha'])),
  verify: () => Promise.resolve({ drift: [] }),
  compensate: () => Promise.resolve({ outcome: 'nothing to undo (a wait on checks)' }),
  destroy: () => Promise.resolve(),
};
