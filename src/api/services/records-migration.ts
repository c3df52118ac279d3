/**
 * Records made before record ids carried the tenant: a tenant's deployment's record was
 * `record-<deployment_id>`, an id any tenant's runs of that deployment id reported to. At start,
 * each such record moves to its tenant's own id (`record-<tenant>.<deployment_id>`): the new record
 * starts from the old one's state and takes again every run the old one lists (a record takes each
 * run once, so runs that already reported to the new id change nothing), then the old one is
 * terminated. What the old record kept beyond the runs' retention is not lost.
 */
import { recordIdFor, type RunReport } from '../../model/deployment-record';
import { recordQuery } from '../../workflows/record-messages';
import { deploymentIdKey } from '../../workflows/search-attributes';
import { LOCAL_OPERATOR } from '../auth/principal';
import type { ApiContext } from '../context';
import { importAllRecords, report } from './records-import';
import { tenantOf, type Execution } from './run-lookup';
import { askWorker } from './run-state';
import { listAll, recordsQuery } from './visibility';

const isLegacy = (info: Execution): boolean => {
  const deploymentId = info.typedSearchAttributes.get(deploymentIdKey);
  return deploymentId !== undefined && tenantOf(info) !== null && info.workflowId === recordIdFor(deploymentId, null);
};

async function move(ctx: ApiContext, info: Execution): Promise<string> {
  const old = ctx.client().workflow.getHandle(info.workflowId);
  const record = await askWorker(ctx, () => old.query(recordQuery));
  const { deployment_id: deploymentId, tenant, last_apply: applied } = record;
  const reports = [...record.runs].reverse().map(
    (run): RunReport => ({
      deployment_id: deploymentId,
      tenant,
      run,
      ...(applied?.run_id === run.run_id ? { applied } : {}),
    }),
  );
  await report(ctx, deploymentId, tenant, reports, record);
  const moved = recordIdFor(deploymentId, tenant);
  await old.terminate(`moved to ${moved} (record ids carry the tenant)`);
  return moved;
}

export interface RecordsAtStart {
  readonly moved: string[];
  /** Old record ids that could not be moved now (each is tried again at the next start), with why. */
  readonly failed: { readonly workflow_id: string; readonly error: string }[];
  /** Deployments (scoped ids) given a record from their run histories (records-import.ts). */
  readonly imported: string[];
}

/**
 * At start, from one listing of the records: moves every running tenant's record that has the old
 * id (one failure not holding up the others), then imports a record for every deployment with runs
 * and none. A moved record counts as there: its tenant attribute names the new id.
 */
export async function recordsAtStart(ctx: ApiContext): Promise<RecordsAtStart> {
  const records = await listAll(ctx, recordsQuery(LOCAL_OPERATOR), Number.MAX_SAFE_INTEGER);
  const migration = { moved: [] as string[], failed: [] as RecordsAtStart['failed'] };
  for (const info of records.filter(isLegacy)) {
    await move(ctx, info).then(
      (id) => migration.moved.push(id),
      (err: unknown) =>
        migration.failed.push({
          workflow_id: info.workflowId,
          error: err instanceof Error ? err.message : String(err),
        }),
    );
  }
  return { ...migration, imported: await importAllRecords(ctx, records) };
}
