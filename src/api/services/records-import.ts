/**
 * Records for deployments whose runs predate them: each run that visibility still lists becomes
 * the report it would have sent, oldest first, and the latest real apply's report carries its
 * input and outputs (read from its history). Sending them is idempotent: a record takes each run
 * once. `importAllRecords` does it at start for every deployment that has runs and no record.
 */
import type { DeploymentRecord, RecordedRun, RunReport } from '../../model/deployment-record';
import { RECORD_WORKFLOW, RUN_REPORT_SIGNAL, recordIdFor } from '../../model/deployment-record';
import type { RunAction, RunMode } from '../../model/run-types';
import { scopedId } from '../../model/scoped-id';
import { SEARCH_ATTRIBUTES } from '../../workflows/messages';
import { deploymentIdKey } from '../../workflows/search-attributes';
import { LOCAL_OPERATOR } from '../auth/principal';
import type { ApiContext } from '../context';
import { runStatusOf, tenantOf, type Execution, type RunRef } from './run-lookup';
import { readStatus } from './run-state';
import { startInput } from './start-input';
import { listAll, runsQuery } from './visibility';

/** How many runs of one deployment an import reads at most (newest first). */
const IMPORT_CAP = 1_000;

const memoText = (info: Execution, key: string): string => {
  const value = info.memo?.[key];
  return typeof value === 'string' ? value : '';
};

function recordedRun(info: Execution): RecordedRun {
  return {
    workflow_id: info.workflowId,
    run_id: info.runId,
    action: memoText(info, 'action') as RunAction,
    mode: memoText(info, 'mode') as RunMode,
    version: memoText(info, 'version'),
    graph_id: memoText(info, 'graph_id'),
    status: runStatusOf(info),
    started_at: info.startTime.toISOString(),
    closed_at: info.closeTime?.toISOString() ?? null,
    counts: null,
  };
}

/** Outputs of every node the run completed, by node id. */
async function outputsOf(ctx: ApiContext, ref: RunRef): Promise<Record<string, Record<string, unknown>>> {
  const status = await readStatus(ctx, ref);
  return Object.fromEntries(status.nodes.flatMap((node) => (node.outputs ? [[node.node_id, node.outputs]] : [])));
}

const isRealApply = (info: Execution): boolean => info.memo?.['action'] === 'apply' && info.memo['mode'] !== 'DRY_RUN';

/** Sends reports to the deployment's record, creating it if need be (from `carried`, a record's state, when given). */
export async function report(
  ctx: ApiContext,
  deploymentId: string,
  tenant: string | null,
  reports: readonly RunReport[],
  carried?: DeploymentRecord,
): Promise<void> {
  for (const one of reports) {
    await ctx.client().workflow.signalWithStart(RECORD_WORKFLOW, {
      workflowId: recordIdFor(deploymentId, tenant),
      taskQueue: ctx.taskQueue,
      args: [{ deployment_id: deploymentId, tenant, record: carried }],
      signal: RUN_REPORT_SIGNAL,
      signalArgs: [one],
    });
  }
}

/** The reports a tenant's deployment's surviving runs would have sent, oldest first. */
export async function importedReports(
  ctx: ApiContext,
  deploymentId: string,
  tenant: string | null,
): Promise<RunReport[]> {
  const runs = (
    await listAll(
      ctx,
      runsQuery({ tenant, role: 'read' }, { [SEARCH_ATTRIBUTES.deploymentId]: deploymentId }),
      IMPORT_CAP,
    )
  )
    .filter((info) => info.status.name !== 'CONTINUED_AS_NEW' && tenantOf(info) === tenant)
    .sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const lastApply = runs.filter(isRealApply).at(-1);
  return Promise.all(
    runs.map(async (info): Promise<RunReport> => {
      const base = { deployment_id: deploymentId, tenant, run: recordedRun(info) };
      if (info !== lastApply) return base;
      const ref = { workflowId: info.workflowId, runId: info.runId, deploymentId, info };
      return {
        ...base,
        applied: {
          workflow_id: info.workflowId,
          run_id: info.runId,
          input: await startInput(ctx, ref),
          outputs: await outputsOf(ctx, ref),
        },
      };
    }),
  );
}

interface TenantDeployment {
  readonly deploymentId: string;
  readonly tenant: string | null;
}

/** Each tenant's deployments among these executions, by their scoped id (`<tenant>.<deployment_id>`). */
function deploymentsOf(infos: readonly Execution[]): Map<string, TenantDeployment> {
  const found = new Map<string, TenantDeployment>();
  for (const info of infos) {
    const deploymentId = info.typedSearchAttributes.get(deploymentIdKey);
    if (deploymentId === undefined) continue;
    const tenant = tenantOf(info);
    found.set(scopedId(deploymentId, tenant), { deploymentId, tenant });
  }
  return found;
}

/** Imports a record for every tenant's deployment that has runs and none; returns their scoped ids. */
export async function importAllRecords(ctx: ApiContext, records: readonly Execution[]): Promise<string[]> {
  const withRuns = deploymentsOf(await listAll(ctx, runsQuery(LOCAL_OPERATOR), Number.MAX_SAFE_INTEGER));
  const withRecords = deploymentsOf(records);
  const missing = [...withRuns].filter(([id]) => !withRecords.has(id));
  for (const [, { deploymentId, tenant }] of missing) {
    await report(ctx, deploymentId, tenant, await importedReports(ctx, deploymentId, tenant));
  }
  return missing.map(([id]) => id);
}
