/**
 * Finds a run from what a client names: a deployment id (its latest run), a deployment id and a
 * run id, a bare run id, or a graph id (the latest run of that graph, seed 001's
 * `/deploy/status/{graph_id}`; a deployment of that name wins). A run of another tenant is "not found": its existence never leaks.
 */
import { WorkflowNotFoundError, type WorkflowExecutionInfo } from '@temporalio/client';
import { SEARCH_ATTRIBUTES, workflowIdFor } from '../../workflows/messages';
import { deploymentIdKey, deploymentStatusKey, deploymentTenantKey } from '../../workflows/search-attributes';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { NotFoundError } from '../errors/api-errors';
import { listPage, runsQuery } from './visibility';

/** An execution as describe and list both return it. */
export type Execution = Omit<WorkflowExecutionInfo, 'raw'>;

export interface RunRef {
  readonly workflowId: string;
  readonly runId: string;
  readonly deploymentId: string;
  readonly info: Execution;
}

const DEPLOYMENT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const RUN_ID = /^[0-9a-f-]{36}$/i;
const GRAPH_ID = /^[0-9a-f]{16}$/;

export const tenantOf = (info: Execution): string | null => info.typedSearchAttributes.get(deploymentTenantKey) ?? null;
export const deploymentStatusOf = (info: Execution): string | null =>
  info.typedSearchAttributes.get(deploymentStatusKey) ?? null;

const TERMINAL_EXECUTIONS: ReadonlySet<string> = new Set([
  'TERMINATED',
  'TIMED_OUT',
  'CANCELLED',
  'FAILED',
  'CONTINUED_AS_NEW',
]);

/** The run's phase, unless Temporal itself ended the run (terminate, timeout, cancel) before the workflow could say. */
export function runStatusOf(info: Execution): string {
  const phase = deploymentStatusOf(info);
  if (phase !== null && (info.status.name === 'RUNNING' || info.status.name === 'COMPLETED')) return phase;
  return TERMINAL_EXECUTIONS.has(info.status.name)
    ? info.status.name.toLowerCase().replace('cancelled', 'canceled')
    : (phase ?? 'unknown');
}

const visibleTo = (principal: Principal, info: Execution): boolean =>
  principal.tenant === null || tenantOf(info) === principal.tenant;

async function describe(ctx: ApiContext, workflowId: string, runId?: string): Promise<Execution | null> {
  try {
    return await ctx.client().workflow.getHandle(workflowId, runId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

const newest = (infos: readonly Execution[]): Execution | null =>
  infos.reduce<Execution | null>(
    (best, info) => (best === null || info.startTime > best.startTime ? info : best),
    null,
  );

async function listed(
  ctx: ApiContext,
  principal: Principal,
  clauses: Record<string, string>,
): Promise<Execution | null> {
  return newest((await listPage(ctx, runsQuery(principal, clauses), 20)).executions);
}

async function locate(
  ctx: ApiContext,
  principal: Principal,
  id: string,
  runId: string | undefined,
): Promise<Execution | null> {
  const isDeployment = DEPLOYMENT_ID.test(id);
  if (runId !== undefined) {
    if (!isDeployment) return null;
    return (
      (await describe(ctx, workflowIdFor(id, principal.tenant), runId)) ??
      listed(ctx, principal, { [SEARCH_ATTRIBUTES.deploymentId]: id, RunId: runId })
    );
  }
  if (isDeployment) {
    // The lock's own workflow id answers at once (API and scheduled runs alike); older runs under other ids (started by
    // schedules before they took the lock, or a tenant's before ids carried the tenant) come from visibility.
    const [direct, fromList] = await Promise.all([
      describe(ctx, workflowIdFor(id, principal.tenant)),
      listed(ctx, principal, { [SEARCH_ATTRIBUTES.deploymentId]: id }),
    ]);
    const found = newest(
      [direct, fromList].filter((info): info is Execution => info !== null && visibleTo(principal, info)),
    );
    if (found) return found;
  }
  if (RUN_ID.test(id)) return listed(ctx, principal, { RunId: id });
  return GRAPH_ID.test(id) ? latestOfGraph(ctx, principal, id) : null;
}

const latestOfGraph = (ctx: ApiContext, principal: Principal, graphId: string): Promise<Execution | null> =>
  listed(ctx, principal, { [SEARCH_ATTRIBUTES.graphId]: graphId });

/** The latest run of a graph (seed 001 names runs by graph id), as the caller may see it. */
export async function findRunOfGraph(ctx: ApiContext, principal: Principal, graphId: string): Promise<RunRef> {
  return refOf(principal, await latestOfGraph(ctx, principal, graphId), graphId);
}

export async function findRun(ctx: ApiContext, principal: Principal, id: string, runId?: string): Promise<RunRef> {
  return refOf(principal, await locate(ctx, principal, id, runId), id);
}

function refOf(principal: Principal, info: Execution | null, id: string): RunRef {
  const deploymentId = info?.typedSearchAttributes.get(deploymentIdKey);
  if (!info || !deploymentId || !visibleTo(principal, info)) throw new NotFoundError(`deployment or run "${id}"`);
  return { workflowId: info.workflowId, runId: info.runId, deploymentId, info };
}
