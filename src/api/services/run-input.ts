/**
 * What a run starts from: a validated config turned into the workflow input, or the stored input
 * of the deployment's last apply (its first history event: Temporal is the store; of a region
 * move, the graph it left behind) together with that apply's outputs, which verify and destroy
 * runs need.
 */
import { decodeFromPayloadsAtIndex } from '../../temporal/sdk-internals';
import { settledGraph } from '../../model/move-graph';
import { registry } from '../../resources/registry';
import { buildSpecGraph } from '../../model/build-graph';
import { resolveSettings, type DeploymentConfig, type SettingsInput } from '../../model/config-schema';
import type { DeploymentInput, RunAction, RunMode, SealedCredentials } from '../../model/run-types';
import { SEARCH_ATTRIBUTES } from '../../workflows/messages';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { NotFoundError } from '../errors/api-errors';
import { readStatus } from './run-state';
import type { Execution, RunRef } from './run-lookup';
import { deploymentIdKey } from '../../workflows/search-attributes';
import { listAll, runsQuery } from './visibility';

/** Per-run changes to the config's settings (POST /deploy/apply `mode` and `settings`). */
export interface RunOverrides {
  readonly mode?: RunMode | undefined;
  readonly settings?: SettingsInput | undefined;
}

export function inputFromConfig(config: DeploymentConfig, action: RunAction, principal: Principal, overrides: RunOverrides = {}): DeploymentInput {
  const settings = resolveSettings(config.settings, overrides.settings);
  return {
    action,
    graph: buildSpecGraph(config, registry),
    settings: overrides.mode === undefined ? settings : { ...settings, mode: overrides.mode },
    // zod's optional fields are `T | undefined`, SealedCredentials' plain `T?` (exactOptionalPropertyTypes): same data.
    credentials: (config.credentials ?? null) as SealedCredentials | null,
    tenant: principal.tenant,
  };
}

export async function storedInput(ctx: ApiContext, ref: RunRef): Promise<DeploymentInput> {
  const client = ctx.client();
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: ctx.namespace,
    execution: { workflowId: ref.workflowId, runId: ref.runId },
    maximumPageSize: 1,
  });
  const started = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  const input = await decodeFromPayloadsAtIndex<DeploymentInput>(client.options.loadedDataConverter, 0, started?.input?.payloads);
  // A move's run holds the old region's deletes: what it leaves behind is the graph without them.
  return input.move ? { ...input, graph: settledGraph(input.graph, input.move), move: undefined } : input;
}

const isRealApply = (info: Execution): boolean => info.memo?.['action'] === 'apply' && info.memo['mode'] !== 'DRY_RUN';

/** The deployment's most recent apply run (not a dry run), or null. */
export async function lastApply(ctx: ApiContext, principal: Principal, deploymentId: string): Promise<RunRef | null> {
  const runs = await listAll(ctx, runsQuery(principal, { [SEARCH_ATTRIBUTES.deploymentId]: deploymentId }), 1_000);
  const info = runs.filter(isRealApply).sort((a, b) => b.startTime.getTime() - a.startTime.getTime())[0];
  const id = info?.typedSearchAttributes.get(deploymentIdKey);
  return info && id ? { workflowId: info.workflowId, runId: info.runId, deploymentId: id, info } : null;
}

/** The last apply of a deployment and its stored input; 404 naming `missing` when it never applied. */
export async function storedApply(ctx: ApiContext, principal: Principal, deploymentId: string, missing: string): Promise<{ ref: RunRef; input: DeploymentInput }> {
  const ref = await lastApply(ctx, principal, deploymentId);
  if (!ref) throw new NotFoundError(missing);
  return { ref, input: await storedInput(ctx, ref) };
}

/** Outputs of every node the run completed, by node id. */
export async function outputsOf(ctx: ApiContext, ref: RunRef): Promise<Record<string, Record<string, unknown>>> {
  const status = await readStatus(ctx, ref);
  return Object.fromEntries(status.nodes.flatMap((node) => (node.outputs ? [[node.node_id, node.outputs]] : [])));
}

/**
 * The input of a verify or destroy run: of `config` when given, else the stored input of the last
 * apply; either way with that apply's outputs.
 */
export async function lifecycleInput(
  ctx: ApiContext, principal: Principal, action: 'verify' | 'destroy', request: { deployment_id?: string | undefined; config?: DeploymentConfig | undefined },
): Promise<DeploymentInput> {
  const deploymentId = request.config?.deployment_id ?? request.deployment_id ?? '';
  const applied = await lastApply(ctx, principal, deploymentId);
  if (!request.config && !applied) throw new NotFoundError(`an apply of deployment "${deploymentId}" to ${action} (send a config instead)`);
  const base = request.config ? inputFromConfig(request.config, action, principal) : { ...(await storedInput(ctx, applied as RunRef)), action, tenant: principal.tenant };
  return { ...base, previous_outputs: applied ? await outputsOf(ctx, applied) : {} };
}

/** The outputs of the deployment's last apply, or {} before its first. */
export async function lastApplyOutputs(ctx: ApiContext, principal: Principal, deploymentId: string): Promise<Record<string, Record<string, unknown>>> {
  const applied = await lastApply(ctx, principal, deploymentId);
  return applied ? outputsOf(ctx, applied) : {};
}

/** How long a live plan waits for the last apply's outputs before it plans without them. */
const PREVIOUS_OUTPUTS_DEADLINE_MS = 3_000;

/**
 * The outputs of the deployment's last apply for a live plan's references, or {} with a warning
 * saying why they could not be read (the plan goes on: it must work while Temporal is down).
 */
export async function previousOutputsForPlan(
  ctx: ApiContext, principal: Principal, deploymentId: string,
): Promise<{ outputs: Record<string, Record<string, unknown>>; warning: string | null }> {
  try {
    return await ctx.client().withDeadline(Date.now() + PREVIOUS_OUTPUTS_DEADLINE_MS, async () =>
      ({ outputs: await lastApplyOutputs(ctx, principal, deploymentId), warning: null }));
  } catch (err) {
    return { outputs: {}, warning: `the outputs of the last apply could not be read (${(err as Error).message}): references are planned without them` };
  }
}
