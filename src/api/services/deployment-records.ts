/**
 * Deployment records as the API reads them (src/workflows/deployment-record.ts): one query to the
 * deployment's record workflow, narrowed to the caller's tenant. A run that Temporal ended itself
 * (terminate, timeout, cancel) never reported its end: a read finds it still `running`, asks
 * Temporal, and reports the end on its behalf. A deployment whose runs predate records gets its
 * record on first read, imported from the run histories that still exist (records-import.ts).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  emptyRecord,
  recordIdFor,
  withReport,
  type DeploymentRecord,
  type RecordedRun,
  type RunReport,
  type Tombstone,
} from '../../model/deployment-record';
import { isFinished } from '../../model/run-types';
import { recordQuery } from '../../workflows/record-messages';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { deploymentStatusOf, runStatusOf } from './run-lookup';
import { importedReports, report } from './records-import';
import { askWorker } from './run-state';

const visibleTo = (principal: Principal, record: DeploymentRecord): boolean =>
  principal.tenant === null || record.tenant === principal.tenant;

async function queried(ctx: ApiContext, deploymentId: string, tenant: string | null): Promise<DeploymentRecord | null> {
  try {
    const handle = ctx.client().workflow.getHandle(recordIdFor(deploymentId, tenant));
    return await askWorker(ctx, () => handle.query(recordQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** How long a read waits for a run that has finished its walk to deliver its end report. */
const END_REPORT_WAIT_MS = 10_000;

/**
 * The record with every run it lists as active settled: a run whose walk has finished is given
 * the moment it needs to report its end (read-your-writes: a client that saw the run complete
 * then reads the deployment sees it deployed); a run Temporal ended itself (terminate, timeout,
 * cancel), or one that predates records, never reports, so its end is reported here from
 * Temporal's description of it.
 */
async function settled(ctx: ApiContext, record: DeploymentRecord): Promise<DeploymentRecord> {
  const active = record.runs.filter((run) => !isFinished(run.status));
  if (active.length === 0) return record;
  const executions = await Promise.all(
    active.map(async (run) => {
      const handle = ctx.client().workflow.getHandle(run.workflow_id, run.run_id);
      const info = await handle.describe().catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      });
      if (info?.status.name !== 'RUNNING' || !isFinished(deploymentStatusOf(info) ?? '')) return { run, info };
      await ctx
        .client()
        .withDeadline(Date.now() + END_REPORT_WAIT_MS, () => handle.result())
        .catch(() => undefined);
      return { run, info: await handle.describe() };
    }),
  );
  const now = (await queried(ctx, record.deployment_id, record.tenant)) ?? record;
  const ends = executions.flatMap(({ run, info }): RunReport[] => {
    if (isFinished(now.runs.find((r) => r.run_id === run.run_id)?.status ?? 'unknown')) return [];
    if (info?.status.name === 'RUNNING' || info?.status.name === 'CONTINUED_AS_NEW') return [];
    const end = info
      ? { status: runStatusOf(info), closed_at: info.closeTime?.toISOString() ?? null }
      : { status: 'unknown', closed_at: null };
    return [{ deployment_id: now.deployment_id, tenant: now.tenant, run: { ...run, ...end } }];
  });
  if (ends.length === 0) return now;
  await report(ctx, now.deployment_id, now.tenant, ends);
  return ends.reduce(withReport, now);
}

/** A record made from the run histories that still exist, or null when there are none. */
async function imported(
  ctx: ApiContext,
  deploymentId: string,
  tenant: string | null,
): Promise<DeploymentRecord | null> {
  const reports = await importedReports(ctx, deploymentId, tenant);
  if (reports.length === 0) return null;
  await report(ctx, deploymentId, tenant, reports);
  return (await queried(ctx, deploymentId, tenant)) ?? reports.reduce(withReport, emptyRecord(deploymentId, tenant));
}

/** The deployment's record as the caller may see it, or null (never ran, or another tenant's). */
export async function readRecord(
  ctx: ApiContext,
  principal: Principal,
  deploymentId: string,
): Promise<DeploymentRecord | null> {
  const found =
    (await queried(ctx, deploymentId, principal.tenant)) ?? (await imported(ctx, deploymentId, principal.tenant));
  return found && visibleTo(principal, found) ? settled(ctx, found) : null;
}

/** The summary a record keeps in its memo (recordMemo in the record workflow), for lists. */
export function memoSummary(
  memo: Record<string, unknown>,
): Pick<DeploymentRecord, 'state' | 'version' | 'last_change' | 'latest_run' | 'runs_total' | 'tombstone'> {
  return {
    state: (memo['state'] as DeploymentRecord['state'] | undefined) ?? 'UNDEPLOYED',
    version: (memo['version'] as string | null | undefined) ?? null,
    last_change: (memo['last_change'] as RecordedRun | null | undefined) ?? null,
    latest_run: (memo['latest_run'] as RecordedRun | null | undefined) ?? null,
    runs_total: (memo['runs_total'] as number | undefined) ?? 0,
    tombstone: (memo['tombstone'] as Tombstone | null | undefined) ?? null,
  };
}
