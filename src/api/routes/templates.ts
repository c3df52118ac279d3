/**
 * GET /templates, GET /templates/{id}, POST /templates/{id}/plan and /apply: deployment templates
 * with typed inputs (docs/reference/templates.md). Plan and apply render the template with the
 * request's inputs, then do what POST /deploy/plan and /deploy/apply do with that config, with the
 * same roles and the same answers (a saved plan, `wait`, `Prefer: wait=N`, Idempotency-Key).
 */
import type { DeploymentConfig } from '../../model/config-schema';
import type { TemplateCatalog } from '../../templates/load-templates';
import type { ApiContext } from '../context';
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
import { answerPlan } from '../services/plan-request';
import { applyInput } from '../services/run-input';
import { startAndAnswer, WAIT_POLL_MS } from '../services/run-wait';
import { RunWatchers } from '../services/run-watcher';
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
        return { status: 200, body: await answerPlan(ctx, planner, principal, req.log, request) };
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
        const input = await applyInput(ctx, call.principal, config as DeploymentConfig, { mode });
        return startAndAnswer(ctx, watchers, input, call);
      },
    }),
  ];
}
