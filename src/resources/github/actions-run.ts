/**
 * `github:actions:run`: waits for an Actions run to complete (seed 004 step 9: the run the deploy
 * PR's merge started; `run_id` usually the reference to github:pull:merge's). Pending, on durable
 * timers (wait-settings.ts), holding no worker, while the run is queued or in progress (waiting_on
 * names its status and link); then done when it concluded `success`, else failed, not retryably,
 * naming its conclusion and link.
 *
 * Only reads: a retry (an operator's, after the run was re-run) simply looks again; nothing to
 * compensate (the run is the merge's, not this node's), verify or destroy.
 */
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { gh } from './errors';
import { repoLabel, repoProperties } from './pull-requests';
import { githubClient } from './session';
import { pendingAnswer, propertyOrRef, timingProperties } from './wait-settings';

const properties = z
  .object({
    ...repoProperties,
    run_id: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'The workflow run; else the reference `run_id` (github:pull:merge’s)' }),
    ...timingProperties({ interval: 30_000, max_interval: 300_000, timeout: 7_200_000 }),
  })
  .strict();

export type ActionsRunProperties = z.output<typeof properties>;
type Target = NodeTarget<ActionsRunProperties>;

async function look(ctx: OperationContext, target: Target, runId: number): Promise<ApplyResult> {
  const p = target.properties;
  const client = await githubClient(ctx);
  const { data: run } = await gh({ action: `read workflow run ${runId}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { owner: p.owner, repo: p.repo, run_id: runId }),
  );
  if (run.status !== 'completed')
    return pendingAnswer(p, {
      state: { run_id: runId },
      waiting_on: `workflow run ${runId} (${run.html_url}): ${run.status ?? 'queued'}`,
    });
  if (run.conclusion !== 'success')
    throw new OperationError(
      'operation_failed',
      `workflow run ${runId} concluded ${run.conclusion ?? 'without a conclusion'}: see ${run.html_url}`,
      { retryable: false },
    );
  return { outputs: { run_id: runId, run_url: run.html_url, conclusion: run.conclusion }, undo: null };
}

export const githubActionsRun: ResourceType<ActionsRunProperties> = {
  type: 'github:actions:run',
  provider: 'github',
  description:
    'Waits (durable timers, no worker held) until a GitHub Actions run completes; fails unless it concluded success.',
  regional: false,
  properties,
  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),
  apply: async (ctx, target) => look(ctx, target, propertyOrRef(target, 'run_id', 'number')),
  poll: (ctx, target, state) => look(ctx, target, Number(state['run_id'])),
  verify: () => Promise.resolve({ drift: [] }),
  compensate: () => Promise.resolve({ outcome: 'nothing to undo (a wait on a workflow run)' }),
  destroy: () => Promise.resolve(),
};
