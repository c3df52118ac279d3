/**
 * Scheduled runs as Temporal Schedules. The run's input is fixed at creation (the given config, or
 * the stored config of the last apply); the schedule's memo keeps its tenant and how it was asked
 * for, and every read or change checks the tenant (another tenant's schedule is "not found").
 * Each action starts a trigger (`schedule-<schedule_id>-<time>`, workflows/scheduled-run.ts) that
 * starts the run itself as `deploy-<deployment_id>`, under the same lock as an apply.
 */
import { randomUUID } from 'node:crypto';
import { isGrpcServiceError, type ScheduleSummary } from '@temporalio/client';
import type { z } from 'zod';
import type { DeploymentInput } from '../../model/run-types';
import { SCHEDULED_RUN_WORKFLOW, triggerIdFor } from '../../workflows/messages';
import { runSummary } from '../../workflows/run-start-options';
import { deploymentIdKey, deploymentTenantKey } from '../../workflows/search-attributes';
import { requireOwnAwsCredentialsFor } from '../auth/aws-identity';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ApiError, NotFoundError, ValidationError } from '../errors/api-errors';
import type { DeploymentConfig } from '../../model/config-schema';
import { SCHEDULE_LIMITS, type scheduleEnvelope, type scheduleSchema } from '../schemas/schedules';
import { inputFromConfig, lifecycleInput, storedApply } from './run-input';
import { withUndoReads } from './undo-reads';

type CreateRequest = z.output<typeof scheduleEnvelope> & { readonly config?: DeploymentConfig | undefined };
type ScheduleView = z.output<typeof scheduleSchema>;
type Overlap = ScheduleView['overlap'];

/** The part of a schedule's memo this service writes (Temporal drops its null values). */
interface ScheduleMemo {
  readonly tenant: string | null;
  readonly deployment_id: string;
  readonly action: ScheduleView['action'];
  readonly mode: ScheduleView['mode'];
  readonly interval: string | null;
  readonly cron: string | null;
  readonly overlap: Overlap;
}

async function scheduledInput(ctx: ApiContext, principal: Principal, request: CreateRequest): Promise<DeploymentInput> {
  if (request.action === 'verify') return lifecycleInput(ctx, principal, 'verify', request);
  if (request.config) return withUndoReads(inputFromConfig(request.config, 'apply', principal, { mode: request.mode }));
  const deploymentId = request.deployment_id ?? '';
  const { input: stored } = await storedApply(
    ctx,
    principal,
    deploymentId,
    `an apply of deployment "${deploymentId}" to schedule (send a config instead)`,
  );
  return withUndoReads({
    ...stored,
    tenant: principal.tenant,
    settings: request.mode ? { ...stored.settings, mode: request.mode } : stored.settings,
  });
}

export function viewOf(summary: Pick<ScheduleSummary, 'scheduleId' | 'memo' | 'state' | 'info'>): ScheduleView {
  const memo = summary.memo as unknown as ScheduleMemo;
  return {
    schedule_id: summary.scheduleId,
    deployment_id: memo.deployment_id,
    action: memo.action,
    mode: memo.mode,
    interval: memo.interval ?? null,
    cron: memo.cron ?? null,
    overlap: memo.overlap,
    paused: summary.state.paused,
    note: summary.state.note || null,
    next_runs: summary.info.nextActionTimes.map((time) => time.toISOString()),
    recent_runs: summary.info.recentActions.map((run) => ({
      workflow_id: run.action.workflow.workflowId,
      run_id: run.action.workflow.firstExecutionRunId,
      scheduled_at: run.scheduledAt.toISOString(),
      started_at: run.takenAt.toISOString(),
    })),
  };
}

const visibleTo = (principal: Principal, memo: Record<string, unknown> | undefined): boolean =>
  memo?.['deployment_id'] !== undefined && (principal.tenant === null || memo['tenant'] === principal.tenant);

/** This service's schedules of the principal's tenant (those without a tenant for no tenant), counted up to `limit`. */
async function ownedSchedules(ctx: ApiContext, principal: Principal, limit: number): Promise<number> {
  let count = 0;
  for await (const summary of ctx.client().schedule.list()) {
    const memo = summary.memo;
    if (memo?.['deployment_id'] !== undefined && (memo['tenant'] ?? null) === principal.tenant) count += 1;
    if (count >= limit) break;
  }
  return count;
}

/** 409 when the tenant already has as many schedules as it may. */
async function checkScheduleCap(ctx: ApiContext, principal: Principal): Promise<void> {
  const limit = SCHEDULE_LIMITS.perTenant;
  if ((await ownedSchedules(ctx, principal, limit)) < limit) return;
  throw new ApiError(
    409,
    'limit_reached',
    `${principal.tenant === null ? 'this service' : `tenant ${principal.tenant}`} has ${limit} schedules, the most it may have: delete one (DELETE /schedules/{id}) before creating another`,
    { limit },
  );
}

/** gRPC status code INVALID_ARGUMENT. */
const INVALID_ARGUMENT = 3;

/**
 * Temporal's refusal of a schedule's arguments, or null for any other failure: the SDK turns
 * INVALID_ARGUMENT "Invalid schedule spec: …" into a TypeError with the reason, and any other
 * INVALID_ARGUMENT (gRPC code 3) into a ServiceError caused by it.
 */
function refusedArgument(err: unknown): string | null {
  if (err instanceof TypeError) return err.message;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) {
    if (isGrpcServiceError(e) && Number(e.code) === INVALID_ARGUMENT) return e.details || e.message;
  }
  return null;
}

/** `create`, with Temporal's refusal of its arguments a 400 on `field` (never a 500). */
async function refusalsAsInput<T>(field: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    const refusal = refusedArgument(err);
    if (refusal === null) throw err;
    throw new ValidationError([{ path: field, message: `Temporal refused the schedule: ${refusal}` }]);
  }
}

export async function createSchedule(
  ctx: ApiContext,
  principal: Principal,
  request: CreateRequest,
): Promise<ScheduleView> {
  const input = await scheduledInput(ctx, principal, request);
  requireOwnAwsCredentialsFor(ctx, input);
  const deploymentId = input.graph.deployment_id;
  const scheduleId = `sched-${deploymentId}-${randomUUID().slice(0, 8)}`;
  const tenant = principal.tenant === null ? [] : [{ key: deploymentTenantKey, value: principal.tenant }];
  const memo: ScheduleMemo = {
    tenant: principal.tenant,
    deployment_id: deploymentId,
    action: request.action,
    mode: input.settings.mode,
    interval: request.interval ?? null,
    cron: request.cron ?? null,
    overlap: request.overlap,
  };
  await checkScheduleCap(ctx, principal);
  const spec = request.interval ? 'interval' : 'cron';
  const handle = await refusalsAsInput(spec, () =>
    ctx.client().schedule.create({
      scheduleId,
      spec: request.interval
        ? { intervals: [{ every: request.interval as `${number}s` }] }
        : { cronExpressions: [request.cron ?? ''] },
      // The trigger starts the run as `deploy-<deployment_id>` (the lock); the schedule cannot, it suffixes ids with the time.
      action: {
        type: 'startWorkflow',
        workflowType: SCHEDULED_RUN_WORKFLOW,
        workflowId: triggerIdFor(scheduleId),
        taskQueue: ctx.taskQueue,
        args: [input],
        memo: { deployment_id: deploymentId, schedule_id: scheduleId },
        typedSearchAttributes: [{ key: deploymentIdKey, value: deploymentId }, ...tenant],
        staticSummary: `schedule ${scheduleId}: ${runSummary(input)}`,
      },
      policies: { overlap: request.overlap.toUpperCase() as Uppercase<Overlap> },
      state: { paused: request.paused, ...(request.note ? { note: request.note } : {}) },
      memo: { ...memo },
      typedSearchAttributes: [{ key: deploymentIdKey, value: deploymentId }, ...tenant],
    }),
  );
  return viewOf(await handle.describe());
}

/** The schedule, if this principal may see it. */
export async function findSchedule(ctx: ApiContext, principal: Principal, scheduleId: string) {
  const handle = ctx.client().schedule.getHandle(scheduleId);
  const description = await handle.describe();
  if (!visibleTo(principal, description.memo)) throw new NotFoundError('schedule');
  return { handle, description };
}

export async function listSchedules(ctx: ApiContext, principal: Principal): Promise<ScheduleView[]> {
  const views: ScheduleView[] = [];
  for await (const summary of ctx.client().schedule.list()) {
    if (visibleTo(principal, summary.memo)) views.push(viewOf(summary));
  }
  return views;
}
