/**
 * Seed 002's lifecycle on the deployment engine: deploy is an apply run, undeploy a destroy run,
 * redeploy an apply of the stored input of the last apply (optionally under a new version), and
 * the deployment status is derived from the latest apply/destroy run in Temporal's visibility.
 */
import { graphIdOf } from '../../model/build-graph';
import type { DeploymentInput } from '../../model/run-types';
import { deploymentStateOf, type DeploymentState } from '../../model/deployment-state';
import { SEARCH_ATTRIBUTES } from '../../workflows/messages';
import { deploymentIdKey } from '../../workflows/search-attributes';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { LIST_SCAN_CAP, runStatusOf, summarize, type RunSummary } from './listing';
import type { Execution } from './run-lookup';
import { storedApply } from './run-input';
import { listAll, runsQuery } from './visibility';

export interface Deployment {
  readonly deployment_id: string;
  readonly deployment_status: DeploymentState;
  readonly is_deployed: boolean;
  readonly version: string | null;
  /** The apply or destroy run the status comes from; null when the deployment never ran. */
  readonly last_run: RunSummary | null;
}

/** Runs that change what is deployed: real applies and destroys (not dry runs, not verifies). */
const changesDeployment = (info: Execution): boolean =>
  (info.memo?.['action'] === 'apply' || info.memo?.['action'] === 'destroy') && info.memo['mode'] !== 'DRY_RUN';

const byStartDesc = (a: Execution, b: Execution): number => b.startTime.getTime() - a.startTime.getTime();

function describeDeployment(ctx: ApiContext, deploymentId: string, latest: Execution | null): Deployment {
  const last = latest ? summarize(ctx, latest) : null;
  const status = deploymentStateOf(latest ? { action: last?.action ?? null, runStatus: runStatusOf(latest) } : null);
  return { deployment_id: deploymentId, deployment_status: status, is_deployed: status === 'DEPLOYED', version: last?.version ?? null, last_run: last };
}

export async function deploymentOf(ctx: ApiContext, principal: Principal, deploymentId: string): Promise<Deployment> {
  const runs = await listAll(ctx, runsQuery(principal, { [SEARCH_ATTRIBUTES.deploymentId]: deploymentId }), LIST_SCAN_CAP);
  return describeDeployment(ctx, deploymentId, runs.filter(changesDeployment).sort(byStartDesc)[0] ?? null);
}

export async function listDeployments(ctx: ApiContext, principal: Principal, status?: DeploymentState): Promise<{ deployments: Deployment[]; count: number }> {
  const latest = new Map<string, Execution>();
  for (const info of (await listAll(ctx, runsQuery(principal), LIST_SCAN_CAP)).filter(changesDeployment).sort(byStartDesc)) {
    const id = info.typedSearchAttributes.get(deploymentIdKey);
    if (id !== undefined && !latest.has(id)) latest.set(id, info);
  }
  const deployments = [...latest].map(([id, info]) => describeDeployment(ctx, id, info)).filter((d) => status === undefined || d.deployment_status === status);
  return { deployments, count: deployments.length };
}

/** The last apply's stored input, as a new apply; a new `version` gives the same nodes a new graph id. */
export async function redeployInput(ctx: ApiContext, principal: Principal, deploymentId: string, version?: string): Promise<DeploymentInput> {
  const { input } = await storedApply(ctx, principal, deploymentId, `a deployed config of "${deploymentId}" to redeploy (deploy it first)`);
  const { previous_outputs: _previous, ...stored } = input;
  const graph = version === undefined || version === stored.graph.version
    ? stored.graph
    : { ...stored.graph, version, graph_id: graphIdOf(stored.graph.deployment_id, version, stored.graph.nodes, stored.graph.edges) };
  return { ...stored, action: 'apply', graph, settings: { ...stored.settings, mode: 'FULL' }, tenant: principal.tenant };
}
