/** Schedules: POST/GET /schedules, GET/DELETE /schedules/{id}, POST /schedules/{id}/pause|unpause|trigger. */
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { configRequestParser } from '../schemas/config-request';
import {
  createScheduleSchema,
  scheduleActionResultSchema,
  scheduleEnvelope,
  scheduleIdParams,
  scheduleListSchema,
  scheduleSchema,
  SCHEDULE_LIMITS,
} from '../schemas/schedules';
import { createSchedule, findSchedule, listSchedules, viewOf } from '../services/schedules';

type ScheduleAction = 'pause' | 'unpause' | 'trigger' | 'delete';
const DONE = { pause: 'paused', unpause: 'unpaused', trigger: 'triggered', delete: 'deleted' } as const;

const PAUSED_NOTE = 'paused over the API';
const RESUMED_NOTE = 'resumed over the API';
const OWN_NOTES = new Set([PAUSED_NOTE, RESUMED_NOTE]);

function actionOperation(ctx: ApiContext, action: ScheduleAction): Operation {
  return defineOperation({
    method: action === 'delete' ? 'delete' : 'post',
    path: action === 'delete' ? '/schedules/{id}' : `/schedules/{id}/${action}`,
    summary: {
      pause: 'Pause a schedule',
      unpause: 'Resume a paused schedule',
      trigger: 'Start one run now (the overlap policy applies)',
      delete: 'Delete a schedule',
    }[action],
    tag: 'schedules',
    access: action === 'delete' ? 'admin' : 'operate',
    params: scheduleIdParams,
    responses: { 200: { description: `The schedule was ${DONE[action]}`, schema: scheduleActionResultSchema } },
    errors: [404, 503],
    async handle({ params, principal }) {
      const { handle, description } = await findSchedule(ctx, principal, params.id);
      // Temporal's pause and unpause replace the schedule's note: keep the one its owner wrote.
      const note = OWN_NOTES.has(description.state.note ?? '') ? undefined : description.state.note || undefined;
      if (action === 'pause') await handle.pause(note ?? PAUSED_NOTE);
      else if (action === 'unpause') await handle.unpause(note ?? RESUMED_NOTE);
      else if (action === 'trigger') await handle.trigger();
      else await handle.delete();
      return { status: 200, body: { schedule_id: params.id, done: DONE[action] } };
    },
  });
}

export function scheduleOperations(ctx: ApiContext): Operation[] {
  const parse = configRequestParser(scheduleEnvelope, false, (body) => [
    ...((body['interval'] === undefined) === (body['cron'] === undefined)
      ? [{ path: 'interval', message: 'give exactly one of interval or cron' }]
      : []),
    ...(body['config'] === undefined && body['deployment_id'] === undefined
      ? [{ path: 'deployment_id', message: 'give deployment_id or config' }]
      : []),
  ]);
  return [
    defineOperation({
      method: 'post',
      path: '/schedules',
      summary: `Schedule apply or verify runs (interval of ${SCHEDULE_LIMITS.minInterval} to ${SCHEDULE_LIMITS.maxInterval}, or five-field cron; overlapping runs skipped by default; at most ${SCHEDULE_LIMITS.perTenant} per tenant)`,
      tag: 'schedules',
      access: 'admin',
      body: createScheduleSchema,
      parseBody: parse,
      responses: { 201: { description: 'The schedule', schema: scheduleSchema } },
      // 409: a schedule with this id exists, or the tenant has SCHEDULE_LIMITS.perTenant schedules already.
      errors: [404, 409, 503],
      handle: async ({ body, principal }) => ({ status: 201, body: await createSchedule(ctx, principal, body) }),
    }),
    defineOperation({
      method: 'get',
      path: '/schedules',
      summary: "This tenant's schedules",
      tag: 'schedules',
      access: 'read',
      responses: { 200: { description: 'Schedules', schema: scheduleListSchema } },
      errors: [503],
      handle: async ({ principal }) => ({ status: 200, body: { schedules: await listSchedules(ctx, principal) } }),
    }),
    defineOperation({
      method: 'get',
      path: '/schedules/{id}',
      summary: 'A schedule: its spec, next and recent runs',
      tag: 'schedules',
      access: 'read',
      params: scheduleIdParams,
      responses: { 200: { description: 'The schedule', schema: scheduleSchema } },
      errors: [404, 503],
      handle: async ({ params, principal }) => ({
        status: 200,
        body: viewOf((await findSchedule(ctx, principal, params.id)).description),
      }),
    }),
    ...(['pause', 'unpause', 'trigger', 'delete'] as const).map((action) => actionOperation(ctx, action)),
  ];
}
