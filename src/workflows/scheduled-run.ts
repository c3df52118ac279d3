/**
 * A schedule's trigger. Temporal appends the scheduled time to a scheduled workflow's id, so a
 * schedule cannot start the run lock's id (workflowIdFor) itself without bypassing the one-run lock. The
 * trigger starts the deployment run as its child under the lock's id instead (same memo, search
 * attributes and summary as an API start), and waits for it so the schedule's overlap policy
 * applies to whole runs. A run of the deployment already active means no second run: the trigger
 * completes saying so. The run is abandoned, not terminated, if the trigger is terminated.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { DeploymentInput, RunPhase } from '../model/run-types';
import type { deploymentWorkflow } from './deployment';
import { DEPLOYMENT_WORKFLOW, workflowIdFor } from './messages';
import { TENANT_WORKFLOW_IDS_PATCH } from './patches';
import { runMemo, runSearchAttributes, runSummary } from './run-start-options';

export type ScheduledRunResult =
  | { readonly started: true; readonly workflow_id: string; readonly run_id: string; readonly status: RunPhase }
  | { readonly started: false; readonly workflow_id: string; readonly reason: string };

export async function scheduledRunWorkflow(input: DeploymentInput): Promise<ScheduledRunResult> {
  const workflowId = workflowIdFor(
    input.graph.deployment_id,
    wf.patched(TENANT_WORKFLOW_IDS_PATCH) ? input.tenant : null,
  );
  let child: wf.ChildWorkflowHandle<typeof deploymentWorkflow>;
  try {
    child = await wf.startChild<typeof deploymentWorkflow>(DEPLOYMENT_WORKFLOW, {
      workflowId,
      args: [input],
      parentClosePolicy: wf.ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      memo: runMemo(input),
      typedSearchAttributes: runSearchAttributes(input),
      staticSummary: runSummary(input),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const reason = `a run of ${input.graph.deployment_id} is already active`;
    wf.log.info(`scheduled run not started: ${reason}`, { workflow_id: workflowId });
    return { started: false, workflow_id: workflowId, reason };
  }
  const status = await child.result();
  return { started: true, workflow_id: workflowId, run_id: child.firstExecutionRunId, status: status.status };
}
