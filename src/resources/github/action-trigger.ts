/**
 * `github:action:trigger`: dispatches a workflow (`workflow_dispatch`) with inputs on a ref, and
 * reports the run: its id comes from the dispatch answer (`return_run_details: true`); a server
 * that refuses that field (400) is asked again without it, and the run is found by a unique value
 * passed in `correlation_input` (which the workflow's `run-name` must show). Optionally waits for
 * the run to complete, heartbeating while it polls. A run cannot be undone: compensation is
 * "irreversible" unless `cancel_on_rollback` asks to cancel a run still in progress.
 *
 * Retries (activities are at-least-once: a worker crash, the node_timeout firing while waiting, a
 * heartbeat timeout) never dispatch twice once an attempt knew its run id: the id is heartbeated
 * as soon as it is known and at every poll, and a retry whose last heartbeat carries it adopts that
 * run and waits as configured (its `timeout_ms` starts again). An attempt that died before it knew
 * the id is covered only by `correlation_input`: the retry looks for the run titled with it. Not
 * covered: without `correlation_input`, a crash between the dispatch request and its answer (or
 * before the heartbeat left the worker) dispatches a second run on retry; so does an operator's
 * `retry` of a failed node, which is a new activity without the earlier heartbeats.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { actionTriggerProperties, type ActionTriggerProperties } from './action-trigger-properties';
import { gh, ghOrNull, githubError, type GitHubCall } from './errors';
import { repoLabel } from './pull-requests';
import { githubClient } from './session';

interface Run {
  readonly id: number;
  readonly html_url: string;
  readonly status: string | null;
  readonly conclusion: string | null;
  readonly display_title: string;
}

const IRREVERSIBLE = 'a triggered workflow run cannot be undone';
const workflowLabel = (p: ActionTriggerProperties): string => `workflow ${p.workflow} of ${p.owner}/${p.repo}`;

function correlationId(target: NodeTarget<ActionTriggerProperties>): string {
  const runKey = target.refs['$run_key'];
  return typeof runKey === 'string' ? `${runKey}-${target.node.node_id}` : randomUUID();
}

async function getRun(client: GitHubClient, p: ActionTriggerProperties, runId: number): Promise<Run> {
  const res = await gh({ action: `read workflow run ${runId}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { owner: p.owner, repo: p.repo, run_id: runId }),
  );
  return res.data as Run;
}

/** The run whose title shows the correlation id, among this workflow's recent dispatches. */
async function findRun(
  client: GitHubClient,
  p: ActionTriggerProperties,
  correlation: string,
  since: Date,
): Promise<Run | null> {
  const res = await gh({ action: 'list workflow runs', target: workflowLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
      owner: p.owner,
      repo: p.repo,
      workflow_id: p.workflow,
      event: 'workflow_dispatch',
      branch: p.ref.replace(/^refs\/heads\//, ''),
      per_page: 100,
    }),
  );
  // Newest first; GitHub's `created` filter is not used: its description allows only one date-time.
  return (
    (res.data.workflow_runs as (Run & { created_at: string })[]).find(
      (run) => Date.parse(run.created_at) >= since.getTime() - 1_000 && run.display_title.includes(correlation),
    ) ?? null
  );
}

function dispatch(
  ctx: OperationContext,
  client: GitHubClient,
  p: ActionTriggerProperties,
  inputs: Readonly<Record<string, string>>,
  runDetails: boolean,
) {
  return client.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    owner: p.owner,
    repo: p.repo,
    workflow_id: p.workflow,
    ref: p.ref,
    inputs,
    ...(runDetails ? { return_run_details: true } : {}),
    request: { signal: ctx.signal },
  });
}

/** An older server's answer to `return_run_details`: 400 naming the field. */
const refusesRunDetails = (err: unknown): boolean =>
  (err as { status?: unknown }).status === 400 && /return_run_details/.test(err instanceof Error ? err.message : '');

/** The run id an earlier attempt of this activity heartbeated (`{ run_id }`), or null. */
function heartbeatedRunId(ctx: OperationContext): number | null {
  const details: unknown = ctx.lastHeartbeat;
  const runId = typeof details === 'object' && details !== null ? (details as { run_id?: unknown }).run_id : undefined;
  return typeof runId === 'number' && Number.isSafeInteger(runId) && runId > 0 ? runId : null;
}

/** Records the run id in a heartbeat, so that a retry of this attempt adopts the run. */
function known(ctx: OperationContext, runId: number): number {
  ctx.heartbeat({ run_id: runId });
  return runId;
}

/** Dispatches (or adopts an earlier attempt's run) and returns the run id; null when the server gives no details and nothing correlates the run. */
async function trigger(
  ctx: OperationContext,
  client: GitHubClient,
  target: NodeTarget<ActionTriggerProperties>,
): Promise<number | null> {
  const p = target.properties;
  const heartbeated = heartbeatedRunId(ctx);
  if (heartbeated !== null) {
    ctx.log(`adopted workflow run ${heartbeated} dispatched by an earlier attempt (from its last heartbeat)`);
    return known(ctx, heartbeated);
  }
  const correlation = p.correlation_input ? correlationId(target) : null;
  const since = new Date(Date.now() - 60_000);
  if (correlation && ctx.attempt > 1) {
    const earlier = await findRun(client, p, correlation, new Date(Date.now() - 24 * 3_600_000));
    if (earlier) {
      ctx.log(`adopted workflow run ${earlier.id} dispatched by an earlier attempt`);
      return known(ctx, earlier.id);
    }
  }
  const inputs = { ...p.inputs, ...(p.correlation_input && correlation ? { [p.correlation_input]: correlation } : {}) };
  const call: GitHubCall = { action: `dispatch on ${p.ref}`, target: workflowLabel(p) };
  try {
    const res = await dispatch(ctx, client, p, inputs, true);
    if ((res.status as number) === 200)
      return known(ctx, (res.data as unknown as { workflow_run_id: number }).workflow_run_id);
  } catch (err) {
    if (!refusesRunDetails(err)) throw githubError(err, call);
    ctx.log('this GitHub server does not return run details; dispatching without them');
    await gh(call, () => dispatch(ctx, client, p, inputs, false));
  }
  if (!correlation) return null;
  const deadline = Date.now() + p.find_timeout_ms;
  for (;;) {
    const run = await findRun(client, p, correlation, since);
    if (run) return known(ctx, run.id);
    if (Date.now() >= deadline) {
      throw new OperationError(
        'operation_failed',
        `dispatched ${workflowLabel(p)} but found no run titled with ${p.correlation_input}=${correlation} within ${p.find_timeout_ms} ms: does the workflow's run-name include \${{ inputs.${p.correlation_input} }}?`,
        { retryable: false },
      );
    }
    ctx.heartbeat({ finding_run: correlation });
    await sleep(Math.min(1_000, p.poll_interval_ms), undefined, { signal: ctx.signal });
  }
}

async function waitForCompletion(
  ctx: OperationContext,
  client: GitHubClient,
  p: ActionTriggerProperties,
  runId: number,
): Promise<Run> {
  const deadline = Date.now() + p.timeout_ms;
  for (;;) {
    const run = await getRun(client, p, runId);
    ctx.heartbeat({ run_id: runId, status: run.status });
    if (run.status === 'completed') return run;
    if (Date.now() >= deadline) {
      throw new OperationError(
        'operation_failed',
        `workflow run ${runId} (${run.html_url}) did not complete within ${p.timeout_ms} ms (status ${run.status ?? 'unknown'})`,
        { retryable: false },
      );
    }
    await sleep(p.poll_interval_ms, undefined, { signal: ctx.signal });
  }
}

export const githubActionTrigger: ResourceType<ActionTriggerProperties> = {
  type: 'github:action:trigger',
  provider: 'github',
  description:
    'Triggers a GitHub Actions workflow_dispatch with inputs on a ref; reports the run id and URL, and optionally waits for its conclusion',
  regional: false,
  properties: actionTriggerProperties,
  irreversible: (p) =>
    p.cancel_on_rollback ? null : `${IRREVERSIBLE} (set cancel_on_rollback to cancel a run still in progress)`,
  // Finding the run, waiting for it, and 5 minutes for GitHub's answers around them.
  attemptTimeoutMs: (p) => p.find_timeout_ms + (p.wait_for_completion ? p.timeout_ms : 0) + 5 * 60_000,

  async plan(ctx, target) {
    const p = target.properties;
    const client = await githubClient(ctx);
    await gh({ action: 'read the workflow', target: workflowLabel(p) }, () =>
      client.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}', {
        owner: p.owner,
        repo: p.repo,
        workflow_id: p.workflow,
      }),
    );
    return {
      action: 'create',
      diff: [],
      warnings: [`dispatches ${workflowLabel(p)} on ${p.ref}: a new run every apply`],
    };
  },

  async apply(ctx, target) {
    const p = target.properties;
    const client = await githubClient(ctx);
    const runId = await trigger(ctx, client, target);
    if (runId === null) {
      if (p.wait_for_completion) {
        throw new OperationError(
          'invalid_input',
          `cannot wait for ${workflowLabel(p)}: this GitHub server does not return run details; set correlation_input to a workflow input shown in the workflow's run-name`,
          { retryable: false },
        );
      }
      const repo = await gh({ action: 'read the repository', target: repoLabel(p) }, () =>
        client.request('GET /repos/{owner}/{repo}', { owner: p.owner, repo: p.repo }),
      );
      ctx.log('dispatched; the run cannot be identified on this server (no run details, no correlation_input)');
      return {
        outputs: { run_id: null, run_url: `${repo.data.html_url}/actions`, status: 'dispatched', conclusion: null },
        undo: { run_id: null },
      };
    }
    const run = p.wait_for_completion ? await waitForCompletion(ctx, client, p, runId) : await getRun(client, p, runId);
    if (p.wait_for_completion && p.require_success && run.conclusion !== 'success') {
      throw new OperationError(
        'operation_failed',
        `workflow run ${run.id} concluded ${run.conclusion ?? 'without a conclusion'}: see ${run.html_url}`,
        { retryable: false },
      );
    }
    return {
      outputs: { run_id: run.id, run_url: run.html_url, status: run.status, conclusion: run.conclusion },
      undo: { run_id: run.id },
    };
  },

  async verify(ctx, target, outputs) {
    const runId = outputs?.['run_id'];
    if (typeof runId !== 'number') return { drift: [] };
    const run = await getRun(await githubClient(ctx), target.properties, runId);
    return {
      drift:
        run.status === 'completed' && run.conclusion !== 'success'
          ? [{ property: 'conclusion', desired: 'success', actual: run.conclusion }]
          : [],
    };
  },

  async compensate(ctx, target, undo) {
    const p = target.properties;
    const runId = undo?.['run_id'];
    if (!p.cancel_on_rollback) return { outcome: `irreversible: ${IRREVERSIBLE}` };
    if (typeof runId !== 'number')
      return { outcome: `irreversible: ${IRREVERSIBLE} (its run was not identified, so it cannot be cancelled)` };
    const client = await githubClient(ctx);
    const cancelled = await ghOrNull({ action: `cancel workflow run ${runId}`, target: repoLabel(p) }, () =>
      client.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', {
        owner: p.owner,
        repo: p.repo,
        run_id: runId,
      }),
    ).catch((err: unknown) => {
      if (err instanceof OperationError && err.type === 'conflict') return 'completed' as const;
      throw err;
    });
    if (cancelled === 'completed')
      return { outcome: `irreversible: workflow run ${runId} had already completed; ${IRREVERSIBLE}` };
    return {
      outcome: cancelled === null ? `nothing to cancel: workflow run ${runId} no longer exists` : 'compensated',
    };
  },

  async destroy() {
    // A workflow run is history, not a resource: nothing to delete.
  },
};
