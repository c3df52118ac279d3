/**
 * Deployments over the engine: deploy is an apply run, undeploy a destroy run, redeploy an apply
 * of the last apply's stored input (optionally under a new version), and a deployment's state
 * comes from its durable record (src/model/deployment-record.ts), which outlives run histories.
 */
import type { z } from 'zod';
import { graphIdOf } from '../../model/build-graph';
import { emptyRecord, type DeploymentRecord, type Tombstone } from '../../model/deployment-record';
import type { DeploymentState } from '../../model/deployment-state';
import type { DeploymentInput } from '../../model/run-types';
import { SEARCH_ATTRIBUTES } from '../../workflows/messages';
import { deploymentIdKey } from '../../workflows/search-attributes';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { memoSummary, readRecord } from './deployment-records';
import { LIST_SCAN_CAP, recordedSummary, type RunSummary } from './listing';
import { storedApply } from './run-input';
import type { scheduleSchema } from '../schemas/schedules';
import { listSchedules } from './schedules';
import { listAll, recordsQuery } from './visibility';

type ScheduleView = z.output<typeof scheduleSchema>;

export interface Deployment {
  readonly deployment_id: string;
  readonly deployment_status: DeploymentState;
  readonly is_deployed: boolean;
  readonly version: string | null;
  /** The apply or destroy run the status comes from; null when the deployment never ran. */
  readonly last_run: RunSummary | null;
  /** How many runs the deployment has had (its record lists the latest ones). */
  readonly runs_total: number;
  /** What a completed destroy removed, and when; null unless the deployment was destroyed. */
  readonly tombstone: Tombstone | null;
}

/** A deployment's state from its record (memo or query: the same fields). */
function describe(ctx: ApiContext, deploymentId: string, record: RecordSummary): Deployment {
  return {
    deployment_id: deploymentId,
    deployment_status: record.state,
    is_deployed: record.state === 'DEPLOYED',
    version: record.version,
    last_run: record.last_change ? recordedSummary(ctx, deploymentId, record.last_change) : null,
    runs_total: record.runs_total,
    tombstone: record.tombstone,
  };
}

type RecordSummary = Pick<DeploymentRecord, 'state' | 'version' | 'last_change' | 'runs_total' | 'tombstone'>;

/** One deployment: its state from the record, and the schedules that act on it. */
export async function deploymentOf(
  ctx: ApiContext,
  principal: Principal,
  deploymentId: string,
): Promise<Deployment & { readonly schedules: ScheduleView[] }> {
  const [record, schedules] = await Promise.all([
    readRecord(ctx, principal, deploymentId),
    listSchedules(ctx, principal),
  ]);
  return {
    ...describe(ctx, deploymentId, record ?? emptyRecord(deploymentId, principal.tenant)),
    schedules: schedules.filter((schedule) => schedule.deployment_id === deploymentId),
  };
}

/** Every deployment with a record (one visibility query: each record keeps its summary in its memo). */
export async function listDeployments(
  ctx: ApiContext,
  principal: Principal,
  status?: DeploymentState,
): Promise<{ deployments: Deployment[]; count: number }> {
  const clauses = status === undefined ? {} : { [SEARCH_ATTRIBUTES.deploymentStatus]: status };
  const records = await listAll(ctx, recordsQuery(principal, clauses), LIST_SCAN_CAP);
  const deployments = records.flatMap((info) => {
    const id = info.typedSearchAttributes.get(deploymentIdKey);
    return id === undefined ? [] : [describe(ctx, id, memoSummary(info.memo ?? {}))];
  });
  return { deployments, count: deployments.length };
}

/** The last apply's stored input, as a new apply; a new `version` gives the same nodes a new graph id. */
export async function redeployInput(
  ctx: ApiContext,
  principal: Principal,
  deploymentId: string,
  version?: string,
): Promise<DeploymentInput> {
  const { input } = await storedApply(
    ctx,
    principal,
    deploymentId,
    `a deployed config of "${deploymentId}" to redeploy (deploy it first)`,
  );
  const { previous_outputs: _previous, ...stored } = input;
  const graph =
    version === undefined || version === stored.graph.version
      ? stored.graph
      : {
          ...stored.graph,
          version,
          graph_id: graphIdOf(stored.graph.deployment_id, version, stored.graph.nodes, stored.graph.edges),
        };
  return {
    ...stored,
    action: 'apply',
    graph,
    settings: { ...stored.settings, mode: 'FULL' },
    tenant: principal.tenant,
  };
}
