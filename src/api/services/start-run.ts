/** Starts a run through the deployment lock (a run that deletes anything: admin keys only) and answers with its ids and links. */
import { requireDeleteRight } from '../auth/delete-right';
import type { Principal } from '../auth/principal';
import type { DeploymentInput } from '../../model/run-types';
import { DeploymentAlreadyRunning } from '../../client/deployment-already-running';
import { startDeployment } from '../../client/start-deployment';
import { ConflictError } from '../errors/api-errors';
import { tenantOf } from './run-lookup';
import { webUiUrl, type ApiContext } from '../context';
import type { StartedRunResponse } from '../schemas/runs';

/**
 * Workflow ids are per deployment id, not per tenant: a 409 about another tenant's run must not
 * name it (its ids would reveal it exists).
 */
async function hideForeignRun(ctx: ApiContext, input: DeploymentInput, err: unknown): Promise<never> {
  if (err instanceof DeploymentAlreadyRunning) {
    const running = await ctx.client().workflow.getHandle(err.workflowId, err.runId).describe();
    if (tenantOf(running) !== input.tenant)
      throw new ConflictError('run_active', `deployment id "${input.graph.deployment_id}" is in use by an active run`);
  }
  throw err;
}

export async function startRun(
  ctx: ApiContext,
  principal: Principal,
  input: DeploymentInput,
  idempotencyKey?: string,
): Promise<StartedRunResponse> {
  requireDeleteRight(principal, input);
  const { workflowId, runId } = await startDeployment(ctx.client(), {
    input,
    taskQueue: ctx.taskQueue,
    requestId: idempotencyKey,
  }).catch((err: unknown) => hideForeignRun(ctx, input, err));
  ctx.metrics.runsStarted.inc({ action: input.action, mode: input.settings.mode });
  const deploymentId = input.graph.deployment_id;
  const query = `?run_id=${encodeURIComponent(runId)}`;
  return {
    deployment_id: deploymentId,
    workflow_id: workflowId,
    run_id: runId,
    graph_id: input.graph.graph_id,
    action: input.action,
    mode: input.settings.mode,
    status_url: `/deploy/status/${deploymentId}${query}`,
    events_url: `/deploy/events/${deploymentId}${query}`,
    web_ui_url: webUiUrl(ctx, workflowId, runId),
  };
}
