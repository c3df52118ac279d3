/**
 * What a run starts from: a validated config turned into the workflow input, or the input of the
 * deployment's last apply as its record keeps it (of a region move, the graph it left behind)
 * together with that apply's outputs, which verify and destroy runs need.
 */
import { settledGraph } from '../../model/move-graph';
import { resolveSettings, type DeploymentConfig, type SettingsInput } from '../../model/config-schema';
import {
  isFinished,
  type DeploymentInput,
  type RunAction,
  type RunMode,
  type SealedCredentials,
} from '../../model/run-types';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ConflictError, NotFoundError } from '../errors/api-errors';
import { specGraphOf } from '../offload/spec-graphs';
import { nodeTimeouts, nodeTimeoutSet } from './node-timeouts';
import { findRunOfGraph } from './run-lookup';
import type { AppliedConfig, DeploymentRecord } from '../../model/deployment-record';
import { readRecord } from './deployment-records';
import { startInput } from './start-input';

/** Per-run changes to the config's settings (POST /deploy/apply `mode` and `settings`). */
export interface RunOverrides {
  readonly mode?: RunMode | undefined;
  readonly settings?: SettingsInput | undefined;
}

export function inputFromConfig(
  config: DeploymentConfig,
  action: RunAction,
  principal: Principal,
  overrides: RunOverrides = {},
): DeploymentInput {
  const resolved = resolveSettings(config.settings, overrides.settings);
  const graph = specGraphOf(config, principal.tenant);
  const timeouts = nodeTimeouts(graph, resolved, nodeTimeoutSet(config.settings, overrides.settings));
  const settings = timeouts === undefined ? resolved : { ...resolved, node_timeouts_ms: timeouts };
  return {
    action,
    graph,
    settings: overrides.mode === undefined ? settings : { ...settings, mode: overrides.mode },
    // zod's optional fields are `T | undefined`, SealedCredentials' plain `T?` (exactOptionalPropertyTypes): same data.
    credentials: (config.credentials ?? null) as SealedCredentials | null,
    tenant: principal.tenant,
  };
}

/** What the deployment's last apply left, from its record: the input to start from and the outputs. */
export interface StoredApply {
  readonly input: DeploymentInput;
  readonly outputs: Readonly<Record<string, Record<string, unknown>>>;
  readonly runId: string;
}

/** The last apply of a deployment, or null when it never applied. A move's apply leaves the graph without its deletes. */
export async function lastApply(
  ctx: ApiContext,
  principal: Principal,
  deploymentId: string,
): Promise<StoredApply | null> {
  return lastApplyIn(ctx, await readRecord(ctx, principal, deploymentId));
}

/** The last apply a deployment's record (null: none) tells of. */
export async function lastApplyIn(ctx: ApiContext, record: DeploymentRecord | null): Promise<StoredApply | null> {
  const applied = record ? (record.last_apply ?? (await firstApplyUnderWay(ctx, record))) : null;
  if (!applied) return null;
  const { input } = applied;
  const settled = input.move ? { ...input, graph: settledGraph(input.graph, input.move), move: undefined } : input;
  return { input: settled, outputs: applied.outputs, runId: applied.run_id };
}

/** Before any apply ended, the one under way (a first deploy paused at a gate): its input, from its history, which it still has. */
async function firstApplyUnderWay(ctx: ApiContext, record: DeploymentRecord): Promise<AppliedConfig | null> {
  const run = record.runs.find((r) => r.action === 'apply' && r.mode !== 'DRY_RUN' && !isFinished(r.status));
  if (!run) return null;
  return {
    workflow_id: run.workflow_id,
    run_id: run.run_id,
    input: await startInput(ctx, { workflowId: run.workflow_id, runId: run.run_id }),
    outputs: {},
  };
}

/** The last apply of a deployment; 404 naming `missing` when it never applied. */
export async function storedApply(
  ctx: ApiContext,
  principal: Principal,
  deploymentId: string,
  missing: string,
): Promise<StoredApply> {
  const applied = await lastApply(ctx, principal, deploymentId);
  if (!applied) throw new NotFoundError(missing);
  return applied;
}

/** Refuses a graph id that is not the last apply's: what the client reviewed is not what is deployed. */
export function requireDeployedGraph(
  deploymentId: string,
  deployed: DeploymentInput,
  graphId: string | undefined,
): void {
  if (graphId !== undefined && graphId !== deployed.graph.graph_id) {
    throw new ConflictError(
      'wrong_state',
      `the last apply of ${deploymentId} has graph ${deployed.graph.graph_id}, not ${graphId}: plan again`,
    );
  }
}

/** What names a verify or destroy run's subject: a config, a deployment id, or a graph id (seed 001). */
export interface LifecycleRequest {
  readonly deployment_id?: string | undefined;
  readonly graph_id?: string | undefined;
  readonly config?: DeploymentConfig | undefined;
  /** Sealed credentials for this run only, instead of those stored with the last apply. */
  readonly credentials?: DeploymentConfig['credentials'] | undefined;
}

/**
 * The input of a verify or destroy run: of `config` when given, else the stored input of the last
 * apply of the deployment (named, or whose latest run has `graph_id`, which must be the last
 * apply's graph); either way with that apply's outputs.
 */
export async function lifecycleInput(
  ctx: ApiContext,
  principal: Principal,
  action: 'verify' | 'destroy',
  request: LifecycleRequest,
): Promise<DeploymentInput> {
  const deploymentId =
    request.config?.deployment_id ??
    request.deployment_id ??
    (await findRunOfGraph(ctx, principal, request.graph_id ?? '')).deploymentId;
  const applied = await lastApply(ctx, principal, deploymentId);
  if (!request.config && !applied)
    throw new NotFoundError(`an apply of deployment "${deploymentId}" to ${action} (send a config instead)`);
  if (applied) requireDeployedGraph(deploymentId, applied.input, request.graph_id);
  const base = request.config
    ? inputFromConfig(request.config, action, principal)
    : {
        ...(applied as StoredApply).input,
        action,
        tenant: principal.tenant,
        ...(request.credentials ? { credentials: request.credentials as SealedCredentials } : {}),
      };
  return { ...base, previous_outputs: applied?.outputs ?? {} };
}

/** The outputs of the deployment's last apply, or {} before its first. */
export async function lastApplyOutputs(
  ctx: ApiContext,
  principal: Principal,
  deploymentId: string,
): Promise<Readonly<Record<string, Record<string, unknown>>>> {
  return (await lastApply(ctx, principal, deploymentId))?.outputs ?? {};
}

/** The input of an apply run of `config`: a dry run plans like a live plan, with references from the last apply's outputs. */
export async function applyInput(
  ctx: ApiContext,
  principal: Principal,
  config: DeploymentConfig,
  overrides: RunOverrides,
): Promise<DeploymentInput> {
  const input = inputFromConfig(config, 'apply', principal, overrides);
  if (input.settings.mode !== 'DRY_RUN') return input;
  return { ...input, previous_outputs: await lastApplyOutputs(ctx, principal, input.graph.deployment_id) };
}
