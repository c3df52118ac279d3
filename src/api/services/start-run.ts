/**
 * Starts a run through the deployment lock, the tenant's own (workflowIdFor), and answers with its
 * ids and links. A run that deletes anything needs an admin key; a tenant's run with AWS resources,
 * its own AWS credentials (or the operator's leave to use the service's).
 */
import { requireOwnAwsCredentialsFor } from '../auth/aws-identity';
import { requireDeleteRight } from '../auth/delete-right';
import type { Principal } from '../auth/principal';
import type { DeploymentInput } from '../../model/run-types';
import { startDeployment } from '../../client/start-deployment';
import { startedOutcome } from '../../model/run-outcome';
import { webUiUrl, type ApiContext } from '../context';
import type { StartedRunResponse } from '../schemas/runs';
import { withUndoReads } from './undo-reads';

export async function startRun(
  ctx: ApiContext,
  principal: Principal,
  input: DeploymentInput,
  idempotencyKey?: string,
): Promise<StartedRunResponse> {
  requireDeleteRight(principal, input);
  requireOwnAwsCredentialsFor(ctx, input);
  const { workflowId, runId } = await startDeployment(ctx.client(), {
    input: withUndoReads(input),
    taskQueue: ctx.taskQueue,
    requestId: idempotencyKey,
  });
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
    ...startedOutcome(input.graph),
    cache_id: runId,
    status: 'running',
  };
}
