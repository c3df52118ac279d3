/** POST /deploy/plan: validate a config and show what a run would do. Never starts a workflow. */
import type { ApiContext } from '../context';
import { offloaded } from '../offload/offloaded';
import { defineOperation, type Operation } from '../openapi/operation';
import { configBodies } from '../schemas/config-bodies';
import { planRequestSchema, planResponseSchema } from '../schemas/plan';
import type { LivePlanner } from '../services/live-plan';
import { planAnswer, planDeployment, planModeOf, readsLive } from '../services/plan';
import { planHistory } from '../services/plan-history';
import { savePlan } from '../services/saved-plans';
import { roleAllows } from '../auth/principal';
import { ForbiddenError } from '../errors/api-errors';

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
      offload: offloaded(
        'plan',
        async (deploymentId, principal) => (await planHistory(ctx, principal, deploymentId, false)).durations,
      ),
      responses: { 200: { description: 'The plan', schema: planResponseSchema } },
      errors: [409, 503],
      async handle({ body, req, principal }) {
        if (!body.validate_only && !roleAllows(principal.role, 'operate'))
          throw new ForbiddenError(
            `saving a plan (validate_only false) needs an operate key; this key's role is ${principal.role}`,
          );
        const live = readsLive(body);
        const mode = planModeOf(body);
        const history = await planHistory(ctx, principal, body.config.deployment_id, live);
        const { plan } = await planDeployment(
          body.config,
          mode,
          principal.tenant,
          live ? { planner, log: req.log, previousOutputs: history.outputs } : null,
          history.durations,
        );
        const saved = body.validate_only ? null : await savePlan(ctx, principal, body.config, plan.graph_id, mode);
        return { status: 200, body: planAnswer(plan, history.warning, saved) };
      },
    }),
  ];
}
