/**
 * Starts a deployment run. The workflow id (workflowIdFor: `deploy-<tenant>.<deployment_id>`) with
 * a conflict policy of FAIL is the lock: a second start while a run is active is refused, never a
 * second run; another tenant's run of the same deployment id has another id and is no obstacle. A start with
 * a `requestId` (an Idempotency-Key) records it in the run's memo; a retry with the same key finds
 * that run (active or finished) and returns it instead of starting another. A run that finished its
 * walk but has not closed yet (it is reporting its end) is waited for, not answered with a conflict.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isFinished, type DeploymentInput } from '../model/run-types';
import type { deploymentWorkflow } from '../workflows/deployment';
import { DEPLOYMENT_WORKFLOW, workflowIdFor } from '../workflows/messages';
import { runMemo, runSearchAttributes, runSummary } from '../workflows/run-start-options';
import { deploymentStatusKey, deploymentTenantKey } from '../workflows/search-attributes';
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

/** How long a start waits for a run that has finished its walk to close (it is reporting its end). */
const CLOSING_WAIT_MS = 10_000;

/**
 * Whether the active run has finished its walk and is only reporting its end to the deployment's
 * record: then it closes within moments, and a start waits for that instead of answering 409.
 */
async function closedAfterItsWalk(client: Client, workflowId: string): Promise<boolean> {
  const handle = client.workflow.getHandle(workflowId);
  const running = await handle.describe();
  if (!isFinished(running.typedSearchAttributes.get(deploymentStatusKey) ?? '')) return false;
  return client
    .withDeadline(Date.now() + CLOSING_WAIT_MS, () => handle.result())
    .then(() => true)
    .catch(() => false);
}

/**
 * A tenant's run started before workflow ids carried the tenant holds `deploy-<deployment_id>`:
 * while it is active, the tenant's new id must not let a second run start beside it. Another
 * tenant's run under that id is none of this tenant's business.
 */
async function legacyRunActive(client: Client, input: DeploymentInput): Promise<void> {
  if (input.tenant === null) return;
  const legacyId = workflowIdFor(input.graph.deployment_id, null);
  const running = await client.workflow
    .getHandle(legacyId)
    .describe()
    .catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    });
  if (running?.status.name === 'RUNNING' && running.typedSearchAttributes.get(deploymentTenantKey) === input.tenant)
    throw new DeploymentAlreadyRunning(legacyId, running.runId);
}

export async function startDeployment(client: Client, options: StartOptions, retried = false): Promise<StartedRun> {
  const { input, taskQueue, requestId } = options;
  const workflowId = workflowIdFor(input.graph.deployment_id, input.tenant);
  if (requestId !== undefined) {
    const earlier = await runWithKey(client, workflowId, requestId);
    if (earlier) return earlier;
  }
  await legacyRunActive(client, input);
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
    if (!retried && (await closedAfterItsWalk(client, workflowId))) return startDeployment(client, options, true);
    const running = await client.workflow.getHandle(workflowId).describe();
    throw new DeploymentAlreadyRunning(workflowId, running.runId);
  }
}
