/**
 * What the offload thread does (thread.ts runs it; pool.ts posts the jobs). Answers are strings
 * of JSON where they are large: a string crosses threads as one copy, an object graph of
 * thousands of nodes would be cloned piece by piece on the event loop.
 *
 * - `json`: is the body valid JSON (body-parser's reading: UTF-8, empty meaning {})?
 * - `body`: a config body parsed by its route's parser (schemas/config-bodies.ts) for a tenant:
 *   its 400 issues; or for a plan that needs nothing but the config (validate_only, not live) the
 *   whole answer but its estimated_time, which needs the deployment's history (the event loop reads
 *   it and estimates from the profile) with the config's spec graph; else the parsed body and
 *   the config's spec graph.
 * - `compare`: such a plan compared with the deployment's last apply, which the event loop read.
 * - `compile`: a step package's sources checked, type-checked and compiled (package-compile.ts).
 */
import { buildSpecGraph } from '../../model/build-graph';
import type { EstimateProfile } from '../../model/estimates';
import { registry } from '../../resources/registry';
import { ValidationError, type FieldIssue } from '../errors/api-errors';
import { configBodies, type ConfigBody, type ConfigBodyName } from '../schemas/config-bodies';
import type { SpecGraph } from '../../model/graph-types';
import type { PlanResponse } from '../schemas/plan';
import { planAnswer, planDeployment, planModeOf, readsLive } from '../services/plan';
import { comparedPlan, type AppliedBasis } from '../services/plan-against-applied';
import { compilePackage, type CompileAnswer } from '../services/package-compile';
import { specGraphOf } from './spec-graphs';
import { parseJsonText } from './raw-body';

export interface BodyJob {
  readonly name: ConfigBodyName;
  readonly raw: Uint8Array;
  readonly tenant: string | null;
}

export type BodyAnswer =
  | { readonly kind: 'invalid'; readonly issues: readonly FieldIssue[] }
  | {
      readonly kind: 'reply';
      readonly json: string;
      readonly deploymentId: string;
      readonly profile: EstimateProfile;
      /** The config's spec graph, to compare the plan with the last apply (`compare`). */
      readonly graph: string;
    }
  | { readonly kind: 'parsed'; readonly body: string; readonly graph: string | null };

/** A plan made here (its JSON), its spec graph and the last apply (JSON) to compare it with. */
export interface CompareJob {
  readonly plan: string;
  readonly graph: string;
  readonly applied: string;
}

export interface Jobs {
  readonly json: { readonly input: Uint8Array; readonly answer: boolean };
  readonly body: { readonly input: BodyJob; readonly answer: BodyAnswer };
  readonly compare: { readonly input: CompareJob; readonly answer: string };
  readonly compile: {
    readonly input: { readonly name: string; readonly files: Readonly<Record<string, string>> };
    readonly answer: CompileAnswer;
  };
}

export type JobKind = keyof Jobs;

export interface JobMessage<K extends JobKind = JobKind> {
  readonly kind: K;
  readonly input: Jobs[K]['input'];
}

function validJson(raw: Uint8Array): boolean {
  try {
    parseJsonText(raw);
    return true;
  } catch {
    return false;
  }
}

const parsed = (body: ConfigBody<ConfigBodyName>, tenant: string | null): BodyAnswer => ({
  kind: 'parsed',
  body: JSON.stringify(body),
  graph: body.config ? JSON.stringify(buildSpecGraph(body.config, registry, tenant)) : null,
});

async function parseBody({ name, raw, tenant }: BodyJob): Promise<BodyAnswer> {
  try {
    const input = parseJsonText(raw);
    if (name !== 'plan') return parsed(configBodies[name](input), tenant);
    const body = configBodies.plan(input);
    if (!body.validate_only || readsLive(body)) return parsed(body, tenant);
    const { plan, profile } = await planDeployment(body.config, planModeOf(body), tenant, null);
    const json = JSON.stringify({ ...planAnswer(plan, null, null), estimated_time: undefined });
    const graph = JSON.stringify(specGraphOf(body.config, tenant));
    return { kind: 'reply', json, deploymentId: plan.deployment_id, profile, graph };
  } catch (err) {
    if (err instanceof ValidationError) return { kind: 'invalid', issues: err.issues };
    throw err;
  }
}

const compare = ({ plan, graph, applied }: CompareJob): string =>
  JSON.stringify(
    comparedPlan(JSON.parse(plan) as PlanResponse, JSON.parse(graph) as SpecGraph, JSON.parse(applied) as AppliedBasis),
  );

const run: { readonly [K in JobKind]: (input: Jobs[K]['input']) => Jobs[K]['answer'] | Promise<Jobs[K]['answer']> } = {
  json: validJson,
  body: parseBody,
  compare,
  compile: ({ name, files }) => compilePackage(name, files),
};

export const runJob = async <K extends JobKind>(message: JobMessage<K>): Promise<Jobs[K]['answer']> =>
  run[message.kind](message.input);
