/**
 * Starts a deployment run. The workflow id `deploy-<deployment_id>` with a conflict policy of FAIL
 * is the lock: a second start while a run is active is refused, never a second run. A start with
 * a `requestId` (an Idempotency-Key) records it in the run's memo; a retry with the same key finds
 * that run (active or finished) and returns it instead of starting another.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DeploymentInput } from '../model/run-types';
import type { deploymentWorkflow } from '../workflows/deployment';
import { DEPLOYMENT_WORKFLOW, workflowIdFor } from '../workflows/messages';
import { runMemo, runSearchAttributes, runSummary } from '../workflows/run-start-options';
import { DeploymentAlreadyRunning } from './deployment-already-running';

export interface StartOptions {
  readonly input: DeploymentInput;
  readonly taskQueue: string;
  readonly requestId?: string | undefined;
}

export interface StartedRun {
  readonly workflowId: string;
  readonly runId: string;
}

/** The latest run of this deployment, if it was started with this idempotency key. */
async function runWithKey(client: Client, workflowId: string, requestId: string): Promise<StartedRun | null> {
  try {
    const latest = await client.workflow.getHandle(workflowId).describe();
    return latest.memo?.['idempotency_key'] === requestId ? { workflowId, runId: latest.runId } : null;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

export async function startDeployment(client: Client, options: StartOptions): Promise<StartedRun> {
  const { input, taskQueue, requestId } = options;
  const workflowId = workflowIdFor(input.graph.deployment_id);
  if (requestId !== undefined) {
    const earlier = await runWithKey(client, workflowId, requestId);
    if (earlier) return earlier;
  }
  try {
    const handle = await client.workflow.start<typeof deploymentWorkflow>(DEPLOYMENT_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: runSearchAttributes(input),
      memo: { ...runMemo(input), ...(requestId === undefined ? {} : { idempotency_key: requestId }) },
      staticSummary: runSummary(input),
      ...(requestId === undefined ? {} : { requestId }),
    });
    return { workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const concurrent = requestId === undefined ? null : await runWithKey(client, workflowId, requestId);
    if (concurrent) return concurrent;
    const running = await client.workflow.getHandle(workflowId).describe();
    throw new DeploymentAlreadyRunning(workflowId, running.runId);
  }
}
