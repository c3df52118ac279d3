/**
 * The bodies that carry a deployment config, one parser per route, by name: the route runs its
 * parser inline on a small body, and the offload thread (src/api/offload) runs the same one, by
 * the same name, on a large body.
 */
import type { FieldIssue } from '../errors/api-errors';
import { configRequestParser } from './config-request';
import { planEnvelope } from './plan';
import { applyEnvelope, destroyEnvelope, lifecycleEnvelope } from './runs';

/** An apply runs a config or a saved plan (graph_id). */
const applyRules = (body: Readonly<Record<string, unknown>>): FieldIssue[] =>
  body['config'] === undefined && body['graph_id'] === undefined
    ? [{ path: 'config', message: 'is required (or graph_id, a saved plan)' }]
    : [];

/**
 * Cross-field rules of verify and destroy bodies: one subject (a config, a deployment id or a graph
 * id); a scan names its deployment and needs no config; a config carries its own credentials.
 */
function lifecycleRules(body: Readonly<Record<string, unknown>>): FieldIssue[] {
  if (body['scan'] !== undefined) {
    return [
      ...(body['deployment_id'] === undefined ? [{ path: 'deployment_id', message: 'is required with scan' }] : []),
      ...(body['config'] !== undefined ? [{ path: 'config', message: 'give scan or config, not both' }] : []),
      ...(body['graph_id'] !== undefined ? [{ path: 'graph_id', message: 'give scan or graph_id, not both' }] : []),
    ];
  }
  const subjects = ['config', 'deployment_id', 'graph_id'].filter((field) => body[field] !== undefined);
  if (subjects.length !== 1)
    return [{ path: subjects[1] ?? 'deployment_id', message: 'give one of deployment_id, graph_id or config' }];
  return body['credentials'] !== undefined && subjects[0] === 'config'
    ? [{ path: 'credentials', message: 'not with config (a config carries its own)' }]
    : [];
}

export const configBodies = {
  plan: configRequestParser(planEnvelope, true),
  apply: configRequestParser(applyEnvelope, false, applyRules),
  verify: configRequestParser(lifecycleEnvelope, false, lifecycleRules),
  destroy: configRequestParser(destroyEnvelope, false, lifecycleRules),
};

export type ConfigBodyName = keyof typeof configBodies;
export type ConfigBody<N extends ConfigBodyName> = ReturnType<(typeof configBodies)[N]>;
