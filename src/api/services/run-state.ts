/**
 * A run's state through the workflow's queries and updates. A finished run answers from its
 * result (no worker needed); a query no worker answers in time is a 503 that says so.
 */
import { isGrpcDeadlineError, WorkflowNotFoundError } from '@temporalio/client';
import { runGraphOf } from '../../model/run-graph';
import type { DeploymentInput, LogEntry, RunGraph, RunStatus } from '../../model/run-types';
import * as msg from '../../workflows/messages';
import { webUiUrl, type ApiContext } from '../context';
import { ConflictError, UnavailableError } from '../errors/api-errors';
import { startInput } from './start-input';
import { deploymentStatusOf, type RunRef } from './run-lookup';

const WORKER_DEADLINE_MS = 10_000;

export async function askWorker<T>(ctx: ApiContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await ctx.client().withDeadline(Date.now() + WORKER_DEADLINE_MS, fn);
  } catch (err) {
    if (isGrpcDeadlineError(err)) {
      throw new UnavailableError(
        `no worker answered within ${WORKER_DEADLINE_MS / 1000} s: are workers polling task queue "${ctx.taskQueue}"?`,
      );
    }
    throw err;
  }
}

const handleOf = (ctx: ApiContext, ref: RunRef) => ctx.client().workflow.getHandle(ref.workflowId, ref.runId);

export async function readStatus(ctx: ApiContext, ref: RunRef): Promise<RunStatus> {
  if (ref.info.status.name === 'COMPLETED') return (await handleOf(ctx, ref).result()) as RunStatus;
  return askWorker(ctx, () => handleOf(ctx, ref).query(msg.statusQuery));
}

/** From the run's first history event (its input), so no worker is asked: a busy run's worker answers queries late. */
export const readGraph = async (ctx: ApiContext, ref: RunRef): Promise<RunGraph> =>
  runGraphOf((await startInput<DeploymentInput>(ctx, ref)).graph);

export const readLogs = (ctx: ApiContext, ref: RunRef, since: number): Promise<LogEntry[]> =>
  askWorker(ctx, () => handleOf(ctx, ref).query(msg.logsQuery, { since }));

/** The ids every response about a run carries. */
export const executionOf = (ctx: ApiContext, ref: RunRef) => ({
  workflow_id: ref.workflowId,
  run_id: ref.runId,
  execution_status: ref.info.status.name,
  web_ui_url: webUiUrl(ctx, ref.workflowId, ref.runId),
});

export type Decision = 'continue' | 'retry' | 'skip' | 'rollback' | 'abort' | 'breakpoint';

/** A decision's arguments as the REST body carries them. */
export interface DecisionRequest {
  readonly node_id?: string | undefined;
  readonly node_ids?: readonly string[] | undefined;
  readonly reason?: string | undefined;
}

/** Sends an operator decision as an Update; the workflow's validator refusing it becomes a 409. */
export async function decide(
  ctx: ApiContext,
  ref: RunRef,
  decision: Decision,
  args: DecisionRequest,
  updateId?: string,
): Promise<msg.DecisionResult> {
  if (ref.info.status.name !== 'RUNNING') {
    const state = deploymentStatusOf(ref.info) ?? ref.info.status.name.toLowerCase();
    throw new ConflictError('wrong_state', `the run has already finished (${state})`, { status: state });
  }
  const handle = handleOf(ctx, ref);
  const options = updateId === undefined ? {} : { updateId };
  const send = (): Promise<msg.DecisionResult> => {
    switch (decision) {
      case 'continue':
        return handle.executeUpdate(msg.continueUpdate, { ...options, args: [{ node_id: args.node_id }] });
      case 'retry':
        return handle.executeUpdate(msg.retryUpdate, { ...options, args: [{ node_ids: args.node_ids }] });
      case 'skip':
        return handle.executeUpdate(msg.skipUpdate, { ...options, args: [{ node_ids: args.node_ids }] });
      case 'rollback':
        return handle.executeUpdate(msg.rollbackUpdate, options);
      case 'abort':
        return handle.executeUpdate(msg.abortUpdate, { ...options, args: [{ reason: args.reason }] });
      case 'breakpoint':
        return handle.executeUpdate(msg.pauseBeforeUpdate, { ...options, args: [{ node_id: args.node_id ?? '' }] });
    }
  };
  try {
    return await askWorker(ctx, send);
  } catch (err) {
    // The run ended between its lookup and the update (Temporal then says "not found" in more than one way).
    if (err instanceof WorkflowNotFoundError) {
      const closed = await handle.describe().then(
        (d) => d.status.name !== 'RUNNING',
        () => false,
      );
      if (closed) throw new ConflictError('wrong_state', 'the run has already finished');
    }
    throw err;
  }
}
