/**
 * Scheduled runs as Temporal Schedules. The run's input is fixed at creation (the given config, or
 * the stored config of the last apply); the schedule's memo keeps its tenant and how it was asked
 * for, and every read or change checks the tenant (another tenant's schedule is "not found").
 * Each action starts a trigger (`schedule-<schedule_id>-<time>`, workflows/scheduled-run.ts) that
 * starts the run itself as `deploy-<deployment_id>`, under the same lock as an apply.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduleSummary } from '@temporalio/client';
import type { z } from 'zod';
import type { DeploymentInput } from '../../model/run-types';
import { SCHEDULED_RUN_WORKFLOW, triggerIdFor } from '../../workflows/messages';
import { runSummary } from '../../workflows/run-start-options';
import { deploymentIdKey, deploymentTenantKey } from '../../workflows/search-attributes';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { NotFoundError } from '../errors/api-errors';
import type { DeploymentConfig } from '../../model/config-schema';
import type { scheduleEnvelope, scheduleSchema } from '../schemas/schedules';
import { inputFromConfig, lifecycleInput, storedApply } from './run-input';

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
  if (request.config) return inputFromConfig(request.config, 'apply', principal, { mode: request.mode });
  const deploymentId = request.deployment_id ?? '';
  const { input: stored } = await storedApply(
    ctx,
    principal,
    deploymentId,
    `an apply of deployment "${deploymentId}" to schedule (send a config instead)`,
  );
  return {
    ...stored,
    tenant: principal.tenant,
    settings: request.mode ? { ...stored.settings, mode: request.mode } : stored.settings,
  };
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

export async function createSchedule(
  ctx: ApiContext,
  principal: Principal,
  request: CreateRequest,
): Promise<ScheduleView> {
  const input = await scheduledInput(ctx, principal, request);
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
  const handle = await ctx.client().schedule.create({
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
  });
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
