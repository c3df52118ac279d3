/**
 * GET /templates, GET /templates/{id}, POST /templates/{id}/plan and /apply: deployment templates
 * with typed inputs (docs/reference/templates.md). Plan and apply render the template with the
 * request's inputs, then do what POST /deploy/plan and /deploy/apply do with that config, with the
 * same roles and the same answers (a saved plan, `wait`, `Prefer: wait=N`, Idempotency-Key).
 */
import type { DeploymentConfig } from '../../model/config-schema';
import type { TemplateCatalog } from '../../templates/load-templates';
import { roleAllows } from '../auth/principal';
import type { ApiContext } from '../context';
import { ForbiddenError } from '../errors/api-errors';
import { defineOperation, type Operation } from '../openapi/operation';
import { planResponseSchema } from '../schemas/plan';
import { startHeaders, waitedResponses } from '../schemas/runs';
import {
  templateApplyRequestSchema,
  templateListSchema,
  templateParamsSchema,
  templatePlanRequestSchema,
  templateSchema,
} from '../schemas/templates';
import type { LivePlanner } from '../services/live-plan';
import { planAnswer, planDeployment, planModeOf, readsLive } from '../services/plan';
import { planHistory } from '../services/plan-history';
import { inputFromConfig, lastApplyOutputs } from '../services/run-input';
import { startAndAnswer, WAIT_POLL_MS } from '../services/run-wait';
import { RunWatchers } from '../services/run-watcher';
import { savePlan } from '../services/saved-plans';
import {
  findTemplate,
  renderedApplyBody,
  renderedPlanBody,
  templateDetail,
  templateSummary,
} from '../services/templates';

export function templateOperations(ctx: ApiContext, planner: LivePlanner, catalog: TemplateCatalog): Operation[] {
  const watchers = new RunWatchers(ctx, WAIT_POLL_MS);
  return [
    defineOperation({
      method: 'get',
      path: '/templates',
      summary: 'Every deployment template: the built-in ones and those in TEMPLATES_DIR',
      tag: 'templates',
      access: 'read',
      responses: { 200: { description: 'The templates', schema: templateListSchema } },
      handle: () =>
        Promise.resolve({ status: 200, body: { templates: [...catalog.values()].map((t) => templateSummary(t)) } }),
    }),
    defineOperation({
      method: 'get',
      path: '/templates/{id}',
      summary: 'One template: the JSON Schema of its inputs (for forms) and its config with placeholders',
      tag: 'templates',
      access: 'read',
      params: templateParamsSchema,
      responses: { 200: { description: 'The template', schema: templateSchema } },
      errors: [404],
      handle: ({ params }) => Promise.resolve({ status: 200, body: templateDetail(findTemplate(catalog, params.id)) }),
    }),
    defineOperation({
      method: 'post',
      path: '/templates/{id}/plan',
      summary: 'Render a template with inputs and plan the config, as POST /deploy/plan does; starts nothing',
      tag: 'templates',
      access: 'read',
      params: templateParamsSchema,
      body: templatePlanRequestSchema,
      responses: { 200: { description: 'The plan', schema: planResponseSchema } },
      errors: [404, 409, 503],
      async handle({ params, body, req, principal }) {
        const request = renderedPlanBody(findTemplate(catalog, params.id), body);
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
          live ? { planner, log: req.log, previousOutputs: history.outputs } : null,
          history.durations,
        );
        const saved = request.validate_only
          ? null
          : await savePlan(ctx, principal, request.config, plan.graph_id, mode);
        return { status: 200, body: planAnswer(plan, history.warning, saved) };
      },
    }),
    defineOperation({
      method: 'post',
      path: '/templates/{id}/apply',
      summary:
        'Render a template with inputs and start a run of the config, as POST /deploy/apply does; optionally wait for it to complete, fail or pause',
      tag: 'templates',
      access: 'operate',
      params: templateParamsSchema,
      body: templateApplyRequestSchema,
      headers: startHeaders,
      responses: waitedResponses,
      errors: [404, 409, 503],
      async handle(call) {
        const { config, mode } = renderedApplyBody(findTemplate(catalog, call.params.id), call.body);
        const input = inputFromConfig(config as DeploymentConfig, 'apply', call.principal, { mode });
        // A dry run plans like a live plan: references from the last apply's outputs.
        const planned =
          input.settings.mode === 'DRY_RUN'
            ? { ...input, previous_outputs: await lastApplyOutputs(ctx, call.principal, input.graph.deployment_id) }
            : input;
        return startAndAnswer(ctx, watchers, planned, call);
      },
    }),
  ];
}
