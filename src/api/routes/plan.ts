/** POST /deploy/plan: validate a config and show what a run would do. Never starts a workflow. */
import type { ApiContext } from '../context';
import { offloaded } from '../offload/offloaded';
import { defineOperation, type Operation } from '../openapi/operation';
import { configBodies } from '../schemas/config-bodies';
import { planRequestSchema, planResponseSchema } from '../schemas/plan';
import type { LivePlanner } from '../services/live-plan';
import { planHistory } from '../services/plan-history';
import { answerPlan } from '../services/plan-request';

export function planOperations(ctx: ApiContext, planner: LivePlanner): Operation[] {
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/plan',
      summary:
        'Validate a config and plan it: nodes in order, parallel groups, actions (from current state when live), pauses, irreversible steps, warnings',
      tag: 'deploy',
      access: 'read',
      body: planRequestSchema,
      parseBody: configBodies.plan,
      offload: offloaded('plan', (deploymentId, principal) => planHistory(ctx, principal, deploymentId, false)),
      responses: { 200: { description: 'The plan', schema: planResponseSchema } },
      errors: [409, 503],
      async handle({ body, req, principal }) {
        return { status: 200, body: await answerPlan(ctx, planner, principal, req.log, body) };
      },
    }),
  ];
}
