/**
 * Saved plans in Temporal (src/model/saved-plan.ts): saving starts the plan's workflow (a newer
 * plan of the same graph replaces it and its lifetime), loading reads the plan from its start
 * event. A plan is the caller's tenant's: another tenant's graph id is unknown to it.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { DeploymentConfig } from '../../model/config-schema';
import type { RunMode } from '../../model/run-types';
import { buildSpecGraph } from '../../model/build-graph';
import {
  SAVED_PLAN_LIFETIME_MS,
  SAVED_PLAN_WORKFLOW,
  graphDifferences,
  planIdFor,
  type SavedPlan,
} from '../../model/saved-plan';
import { registry } from '../../resources/registry';
import { specGraphOf } from '../offload/spec-graphs';
import { deploymentIdKey, deploymentTenantKey } from '../../workflows/search-attributes';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ApiError, ConflictError, NotFoundError } from '../errors/api-errors';
import { startInput } from './start-input';
import { savedPlansQuery } from './visibility';

/** How many saved plans a tenant (or the local operator) may hold at once: each is a workflow in Temporal. */
export const SAVED_PLANS_PER_TENANT = 1_000;

/** 409 when the tenant holds as many saved plans as it may (a plan of a graph already saved replaces it). */
async function checkPlanCap(ctx: ApiContext, principal: Principal, workflowId: string): Promise<void> {
  const others = `${savedPlansQuery(principal, { ExecutionStatus: 'Running' })} AND WorkflowId != "${workflowId}"`;
  const { count } = await ctx.client().workflow.count(others);
  if (count < SAVED_PLANS_PER_TENANT) return;
  throw new ApiError(
    409,
    'limit_reached',
    `${SAVED_PLANS_PER_TENANT} saved plans are kept at most: apply them, or wait for older ones to expire (7 days)`,
    { limit: SAVED_PLANS_PER_TENANT },
  );
}

export async function savePlan(
  ctx: ApiContext,
  principal: Principal,
  config: DeploymentConfig,
  graphId: string,
  mode: RunMode,
): Promise<{ readonly graph_id: string; readonly expires_at: string }> {
  const workflowId = planIdFor(graphId, principal.tenant);
  await checkPlanCap(ctx, principal, workflowId);
  const now = Date.now();
  const plan: SavedPlan = {
    graph_id: graphId,
    deployment_id: config.deployment_id,
    tenant: principal.tenant,
    config,
    mode,
    saved_at: new Date(now).toISOString(),
    expires_at: new Date(now + SAVED_PLAN_LIFETIME_MS).toISOString(),
  };
  await ctx.client().workflow.start(SAVED_PLAN_WORKFLOW, {
    workflowId,
    taskQueue: ctx.taskQueue,
    args: [plan],
    workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [
      { key: deploymentIdKey, value: config.deployment_id },
      ...(principal.tenant === null ? [] : [{ key: deploymentTenantKey, value: principal.tenant }]),
    ],
    staticSummary: `saved plan ${graphId} of ${config.deployment_id} ${config.version} (${mode})`,
  });
  return { graph_id: graphId, expires_at: plan.expires_at };
}

/** The caller's saved plan of `graphId`; 404 when there is none or it has expired. */
export async function loadPlan(ctx: ApiContext, principal: Principal, graphId: string): Promise<SavedPlan> {
  // Never saved (a plan saves with validate_only false), expired (7 days), or another tenant's.
  const missing = new NotFoundError(`saved plan of graph ${graphId}`);
  const workflowId = planIdFor(graphId, principal.tenant);
  const info = await ctx
    .client()
    .workflow.getHandle(workflowId)
    .describe()
    .catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    });
  if (info?.status.name !== 'RUNNING') throw missing;
  return startInput<SavedPlan>(ctx, { workflowId, runId: info.runId });
}

/**
 * What an apply by graph id runs: the saved plan's config, or the config sent with it when it
 * builds exactly the saved graph; 409 naming the differences when it does not.
 */
export async function plannedConfig(
  ctx: ApiContext,
  principal: Principal,
  graphId: string,
  offered: DeploymentConfig | undefined,
): Promise<{ readonly config: DeploymentConfig; readonly mode: RunMode }> {
  const plan = await loadPlan(ctx, principal, graphId);
  const config = offered ?? plan.config;
  // The offered config's graph was built with its body (off the event loop when large): reuse it.
  const graph = specGraphOf(config, principal.tenant);
  if (graph.graph_id === graphId) return { config, mode: plan.mode };
  const differences = graphDifferences(buildSpecGraph(plan.config, registry, principal.tenant), graph);
  throw new ConflictError(
    'plan_mismatch',
    offered
      ? `the config is not the one planned as ${graphId} (${differences.join('; ')}): apply the saved plan, or plan this config`
      : `saved plan ${graphId} no longer builds the same graph (the service changed since): plan again`,
    { graph_id: graph.graph_id, differences },
  );
}
