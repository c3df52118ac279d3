/** Schedules: a Temporal Schedule that starts apply or verify runs of a stored config. */
import { z } from 'zod';
import { parseDuration } from '../../model/duration';
import { componentRef } from './components';
import { deploymentIdSchema } from './common';
import { modeSchema } from './plan';

export const OVERLAP_POLICIES = [
  'skip',
  'buffer_one',
  'buffer_all',
  'cancel_other',
  'terminate_other',
  'allow_all',
] as const;

/** How often a schedule may fire, and how many one tenant may have. */
export const SCHEDULE_LIMITS = {
  minInterval: '1m',
  maxInterval: '365d',
  perTenant: 100,
} as const;

const MIN_INTERVAL_MS = parseDuration(SCHEDULE_LIMITS.minInterval) ?? 0;
const MAX_INTERVAL_MS = parseDuration(SCHEDULE_LIMITS.maxInterval) ?? 0;
const INTERVAL = /^\d+(ms|s|m|h|d)$/;
const INTERVAL_RANGE = `interval must be between ${SCHEDULE_LIMITS.minInterval} and ${SCHEDULE_LIMITS.maxInterval}`;

/**
 * Five fields (minute hour day-of-month month day-of-week): at most once a minute. Temporal would
 * also take seconds and years (six or seven fields) and `@every 1s`, so those are refused.
 */
const CRON_FIELD = /^[0-9A-Za-z*,/?#-]+$/;
const CRON_SHAPE =
  'cron must be five fields (minute hour day-of-month month day-of-week, UTC) such as "0 3 * * *": no seconds, years or @-forms';

export const scheduleEnvelope = z
  .object({
    deployment_id: deploymentIdSchema
      .optional()
      .meta({ description: 'Run the stored config of this deployment’s last apply' }),
    action: z.enum(['apply', 'verify']).default('apply'),
    mode: modeSchema.optional(),
    interval: z
      .string()
      .regex(INTERVAL, 'must be a duration like 5m, 1h, 1d')
      .superRefine((interval, ctx) => {
        const ms = INTERVAL.test(interval) ? parseDuration(interval) : MIN_INTERVAL_MS;
        if (ms === null || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS)
          ctx.addIssue({ code: 'custom', message: `${INTERVAL_RANGE}, not "${interval}"` });
      })
      .optional()
      .meta({
        description: `Every this long, from ${SCHEDULE_LIMITS.minInterval} to ${SCHEDULE_LIMITS.maxInterval} (give interval or cron)`,
        example: '1h',
      }),
    cron: z
      .string()
      .max(120)
      .refine((cron) => {
        const fields = cron.trim().split(/\s+/);
        return fields.length === 5 && fields.every((field) => CRON_FIELD.test(field));
      }, CRON_SHAPE)
      .optional()
      .meta({
        description:
          'A five-field cron expression in UTC: minute hour day-of-month month day-of-week (give interval or cron)',
        example: '0 3 * * *',
      }),
    overlap: z
      .enum(OVERLAP_POLICIES)
      .default('skip')
      .meta({ description: 'When a run is still going at the next time: skip it by default' }),
    paused: z.boolean().default(false),
    note: z.string().max(500).optional(),
  })
  .strict();

export const createScheduleSchema = scheduleEnvelope
  .extend({
    config: componentRef('DeploymentConfig').optional().meta({ description: 'Or run this config' }),
  })
  .meta({ id: 'CreateScheduleRequest' });

export const scheduleIdParams = z.object({
  id: z.string().regex(/^sched-[a-z0-9-]{1,80}$/, 'must be a schedule id (sched-…)'),
});

export const scheduleSchema = z
  .object({
    schedule_id: z.string(),
    deployment_id: z.string(),
    action: z.enum(['apply', 'verify']),
    mode: modeSchema,
    interval: z.string().nullable(),
    cron: z.string().nullable(),
    overlap: z.enum(OVERLAP_POLICIES),
    paused: z.boolean(),
    note: z.string().nullable(),
    next_runs: z.array(z.string().meta({ format: 'date-time' })),
    recent_runs: z
      .array(
        z.object({
          workflow_id: z.string().meta({
            description:
              'The trigger workflow the schedule started (schedule-<schedule_id>-<time>), not the deployment run',
            example: 'schedule-sched-my-app-1a2b3c4d-2026-01-01T03:00:00Z',
          }),
          run_id: z.string().meta({ description: 'The trigger’s run id' }),
          scheduled_at: z.string().meta({ format: 'date-time' }),
          started_at: z.string().meta({ format: 'date-time' }),
        }),
      )
      .meta({
        description:
          'Recent schedule actions. Each starts a trigger that runs the deployment as deploy-<deployment_id> under the same one-run lock as an apply ' +
          '(or, if a run of it is already active, starts nothing): find the runs with GET /deploy/status/{deployment_id} and GET /deploy/history/{deployment_id}.',
      }),
  })
  .meta({ id: 'Schedule' });

export const scheduleListSchema = z.object({ schedules: z.array(scheduleSchema) }).meta({ id: 'ScheduleList' });

export const scheduleActionResultSchema = z
  .object({
    schedule_id: z.string(),
    done: z.enum(['paused', 'unpaused', 'triggered', 'deleted']),
  })
  .meta({ id: 'ScheduleActionResult' });
