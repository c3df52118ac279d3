/**
 * POST /workflows/plan and /workflows/execute (seed 000): secret operations on one repository,
 * planned by the live planner and executed as a deployment run (services/secret-workflows.ts).
 */
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import {
  workflowExecuteResponseSchema,
  workflowPlanResponseSchema,
  workflowRequestSchema,
} from '../schemas/secret-workflows';
import type { LivePlanner } from '../services/live-plan';
import { executeWorkflow, planWorkflow } from '../services/secret-workflows';

export function workflowOperations(ctx: ApiContext, planner: LivePlanner): Operation[] {
  return [
    defineOperation({
      method: 'post',
      path: '/workflows/plan',
      summary:
        'Preview secret operations on a repository: will_create / will_update / is_noop per secret, from its current state; nothing is changed',
      tag: 'workflows',
      access: 'read',
      body: workflowRequestSchema,
      responses: { 200: { description: 'The plan', schema: workflowPlanResponseSchema } },
      async handle({ body, req, principal }) {
        return { status: 200, body: await planWorkflow(body, planner, req.log, principal.tenant) };
      },
    }),
    defineOperation({
      method: 'post',
      path: '/workflows/execute',
      summary:
        'Run secret operations on a repository as a deployment run and wait (up to wait_seconds) for their per-secret results',
      tag: 'workflows',
      access: 'operate',
      body: workflowRequestSchema,
      responses: {
        200: { description: 'The run finished: per-secret results', schema: workflowExecuteResponseSchema },
        202: {
          description: 'The run had not finished within wait_seconds: results so far; follow status_url',
          schema: workflowExecuteResponseSchema,
        },
      },
      errors: [409, 503],
      async handle({ body, principal }) {
        const { finished, body: response } = await executeWorkflow(ctx, principal, body);
        return { status: finished ? 200 : 202, body: response };
      },
    }),
  ];
}
