/** POST /deploy/plan: validate a config and show what a run would do. Never starts a workflow. */
import { resolveSettings } from '../../model/config-schema';
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { configRequestParser } from '../schemas/config-request';
import { planEnvelope, planRequestSchema, planResponseSchema } from '../schemas/plan';
import type { LivePlanner } from '../services/live-plan';
import { planDeployment } from '../services/plan';
import { previousOutputsForPlan } from '../services/run-input';
import { savePlan } from '../services/saved-plans';
import { roleAllows } from '../auth/principal';
import { ForbiddenError } from '../errors/api-errors';

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
      errors: [409, 503],
      async handle({ body, req, principal }) {
        if (!body.validate_only && !roleAllows(principal.role, 'operate'))
          throw new ForbiddenError(
            `saving a plan (validate_only false) needs an operate key; this key's role is ${principal.role}`,
          );
        const live = body.live ?? body.config.credentials !== undefined;
        const mode = body.mode ?? resolveSettings(body.config.settings).mode;
        const previous = live
          ? await previousOutputsForPlan(ctx, principal, body.config.deployment_id)
          : { outputs: {}, warning: null };
        const plan = await planDeployment(
          body.config,
          mode,
          principal.tenant,
          live ? { planner, log: req.log, previousOutputs: previous.outputs } : null,
        );
        const saved = body.validate_only ? null : await savePlan(ctx, principal, body.config, plan.graph_id, mode);
        const warnings = previous.warning ? [...plan.warnings, previous.warning] : plan.warnings;
        return { status: 200, body: { ...plan, warnings, saved_plan: saved } };
      },
    }),
  ];
}
