/** POST /deploy/plan: validate a config and show what a run would do. Never starts a workflow. */
import { resolveSettings } from '../../model/config-schema';
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { configRequestParser } from '../schemas/config-request';
import { planEnvelope, planRequestSchema, planResponseSchema } from '../schemas/plan';
import type { LivePlanner } from '../services/live-plan';
import { planDeployment } from '../services/plan';
import { previousOutputsForPlan } from '../services/run-input';

export function planOperations(ctx: ApiContext, planner: LivePlanner): Operation[] {
  const parseBody = configRequestParser(planEnvelope, true);
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/plan',
      summary:
        'Validate a config and plan it: nodes in order, parallel groups, actions (from current state when live), pauses, irreversible steps, warnings',
      tag: 'deploy',
      access: 'read',
      body: planRequestSchema,
      parseBody,
      responses: { 200: { description: 'The plan', schema: planResponseSchema } },
      async handle({ body, req, principal }) {
        const live = body.live ?? body.config.credentials !== undefined;
        const mode = body.mode ?? resolveSettings(body.config.settings).mode;
        if (!live) return { status: 200, body: await planDeployment(body.config, mode, principal.tenant, null) };
        const previous = await previousOutputsForPlan(ctx, principal, body.config.deployment_id);
        const plan = await planDeployment(body.config, mode, principal.tenant, {
          planner,
          log: req.log,
          previousOutputs: previous.outputs,
        });
        return {
          status: 200,
          body: previous.warning ? { ...plan, warnings: [...plan.warnings, previous.warning] } : plan,
        };
      },
    }),
  ];
}
