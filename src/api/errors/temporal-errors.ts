/**
 * Temporal client errors as gateway errors: an unreachable server is a 503 (never a 500), an
 * unknown execution or schedule a 404, an update its validator refused a 409 with the reason.
 */
import {
  isGrpcServiceError,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { DeploymentAlreadyRunning } from '../../client/deployment-already-running';
import { type ApiError, ConflictError, NotFoundError, UnavailableError } from './api-errors';

/**
 * gRPC status codes UNAVAILABLE (14), DEADLINE_EXCEEDED (4) and CANCELLED (1): a call cut off on the way, as a query
 * was while the worker it went to had just been killed (test/cluster/faults.test.ts); the API cancels its own calls
 * only when it is stopping.
 */
const UNREACHABLE: ReadonlySet<number> = new Set([14, 4, 1]);

/** A gRPC failure to reach the server, directly or as the cause of a ServiceError. */
function unreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) {
    if (isGrpcServiceError(e) && UNREACHABLE.has(e.code)) return true;
    if (e instanceof ServiceError && /Failed to connect/i.test(e.message)) return true;
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  }
  return false;
}

export function fromTemporal(err: unknown): ApiError | null {
  if (unreachable(err)) return new UnavailableError('Temporal is unreachable right now; retry shortly');
  if (err instanceof DeploymentAlreadyRunning) {
    return new ConflictError(
      'run_active',
      `deployment already has an active run (${err.workflowId}, run ${err.runId})`,
      {
        workflow_id: err.workflowId,
        run_id: err.runId,
      },
    );
  }
  if (err instanceof WorkflowUpdateFailedError) {
    return new ConflictError('wrong_state', err.cause?.message ?? err.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    return /already completed/i.test(err.message)
      ? new ConflictError('wrong_state', 'the run has already finished')
      : new NotFoundError('deployment run');
  }
  if (err instanceof ScheduleNotFoundError) return new NotFoundError('schedule');
  if (err instanceof ScheduleAlreadyRunning)
    return new ConflictError('already_exists', 'a schedule with this id already exists');
  return null;
}
