/** POST /deploy/plan: validate a config and show what a run would do. Never starts a workflow. */
import { resolveSettings } from '../../spec/config-schema';
import { defineOperation, type Operation } from '../openapi/operation';
import { configRequestParser } from '../schemas/config-request';
import { planEnvelope, planRequestSchema, planResponseSchema } from '../schemas/plan';
import type { LivePlanner } from '../services/live-plan';
import { planDeployment } from '../services/plan';

export function planOperations(planner: LivePlanner): Operation[] {
  const parseBody = configRequestParser(planEnvelope, true);
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/plan',
      summary: 'Validate a config and plan it: nodes in order, parallel groups, actions (from current state when live), pauses, irreversible steps, warnings',
      tag: 'deploy',
      access: 'read',
      body: planRequestSchema,
      parseBody,
      responses: { 200: { description: 'The plan', schema: planResponseSchema } },
      async handle({ body, req }) {
        const live = body.live ?? body.config.credentials !== undefined;
        const mode = body.mode ?? resolveSettings(body.config.settings).mode;
        return { status: 200, body: await planDeployment(body.config, mode, live ? { planner, log: req.log } : null) };
      },
    }),
  ];
}
