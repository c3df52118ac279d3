/**
 * A plan request answered, as POST /deploy/plan and POST /templates/{id}/plan answer it: saving
 * it (validate_only false) needs an operate key; the deployment's record gives the history
 * (estimates, the last apply to compare with, and a live plan's last outputs); the plan compared
 * with that apply; and the saved plan when asked for.
 */
import type { Logger } from 'pino';
import { roleAllows, type Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ForbiddenError } from '../errors/api-errors';
import type { ConfigBody } from '../schemas/config-bodies';
import type { PlanResponse } from '../schemas/plan';
import type { LivePlanner } from './live-plan';
import { specGraphOf } from '../offload/spec-graphs';
import { planAnswer, planDeployment, planModeOf, readsLive } from './plan';
import { comparedPlan } from './plan-against-applied';
import { planHistory } from './plan-history';
import { savePlan } from './saved-plans';

export async function answerPlan(
  ctx: ApiContext,
  planner: LivePlanner,
  principal: Principal,
  log: Logger,
  request: ConfigBody<'plan'>,
): Promise<PlanResponse> {
  if (!request.validate_only && !roleAllows(principal.role, 'operate'))
    throw new ForbiddenError(
      `saving a plan (validate_only false) needs an operate key; this key's role is ${principal.role}`,
    );
  const live = readsLive(request);
  const mode = planModeOf(request);
  const history = await planHistory(ctx, principal, request.config.deployment_id, live);
  const { plan } = await planDeployment(
    request.config,
    mode,
    principal.tenant,
    live ? { planner, log, previousOutputs: history.outputs } : null,
    history.durations,
  );
  const saved = request.validate_only ? null : await savePlan(ctx, principal, request.config, plan.graph_id, mode);
  const compared = comparedPlan(plan, specGraphOf(request.config, principal.tenant), history.applied);
  return planAnswer(compared, history.warning, saved);
}
