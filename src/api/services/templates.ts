/**
 * Templates behind the routes: one looked up by id (404), described for the list and for forms,
 * and rendered with a request's inputs (and sealed credentials) into a deployment config checked
 * as POST /deploy/plan and /deploy/apply check theirs, by the same parsers (config-bodies.ts).
 * Bad inputs are a 400 naming each input (`inputs.app`), a rendered config that does not validate a
 * 400 naming its field (`config.resources.build.properties.duration_ms`); neither starts anything.
 */
import type { TemplateCatalog } from '../../templates/load-templates';
import { renderTemplate } from '../../templates/render';
import type { Template } from '../../templates/template-file';
import { NotFoundError, ValidationError } from '../errors/api-errors';
import { configBodies, type ConfigBody } from '../schemas/config-bodies';
import { fieldPath } from '../schemas/parse';
import type { TemplateApplyRequest, TemplatePlanRequest } from '../schemas/templates';

export function findTemplate(catalog: TemplateCatalog, id: string): Template {
  const template = catalog.get(id);
  if (!template) throw new NotFoundError(`template "${id}"`);
  return template;
}

export const templateSummary = ({ id, title, description, source }: Template) => ({ id, title, description, source });

export const templateDetail = (template: Template) => ({
  ...templateSummary(template),
  inputs: template.inputs,
  config: template.config,
});

/** The template's config with the inputs (defaults applied) in place, and the request's credentials on it. */
function rendered(template: Template, request: TemplatePlanRequest | TemplateApplyRequest): Record<string, unknown> {
  const checked = template.checkInputs(request.inputs);
  if (!checked.ok)
    throw new ValidationError(
      checked.issues.map((issue) => ({ path: fieldPath('inputs', issue.path), message: issue.message })),
    );
  const config = renderTemplate(template.config, checked.inputs);
  return request.credentials === undefined ? config : { ...config, credentials: request.credentials };
}

/** A plan request's body as POST /deploy/plan would have it, the config rendered from the template. */
export function renderedPlanBody(template: Template, request: TemplatePlanRequest): ConfigBody<'plan'> {
  const { mode, live, validate_only } = request;
  return configBodies.plan({ config: rendered(template, request), mode, live, validate_only });
}

/** An apply request's body as POST /deploy/apply would have it, the config rendered from the template. */
export function renderedApplyBody(template: Template, request: TemplateApplyRequest): ConfigBody<'apply'> {
  const { mode, wait } = request;
  return configBodies.apply({ config: rendered(template, request), mode, wait });
}
