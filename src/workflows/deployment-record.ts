/**
 * The deployment record workflow: one long-lived execution per deployment (`record-<deployment_id>`)
 * that holds its DeploymentRecord (src/model/deployment-record.ts). Runs report to it through the
 * `recordRun` activity (signal-with-start, so the first report creates it); the API reads it with
 * the `record` query and lists records through visibility, whose memo and search attributes it keeps
 * current. It is never closed: an idle open workflow costs nothing, and retention deletes only
 * closed histories, so neither the record nor a destroyed deployment's tombstone is ever lost. It
 * continues as new whenever its own history grows past RECORD_HISTORY_EVENTS, carrying the record.
 */
import * as wf from '@temporalio/workflow';
import { emptyRecord, withReport, type DeploymentRecord } from '../model/deployment-record';
import { recordQuery, runReportSignal, type RecordStart } from './record-messages';
import { deploymentIdKey, deploymentStatusKey, deploymentTenantKey } from './search-attributes';

/** Continue as new past this many events of the record's own history. */
export const RECORD_HISTORY_EVENTS = 1_000;

/** What the deployments list shows without querying each record. */
export function recordMemo(record: DeploymentRecord): Record<string, unknown> {
  return {
    deployment_id: record.deployment_id,
    state: record.state,
    version: record.version,
    runs_total: record.runs_total,
    last_change: record.last_change,
    latest_run: record.latest_run,
    tombstone: record.tombstone,
  };
}

function publish(record: DeploymentRecord): void {
  wf.upsertMemo(recordMemo(record));
  wf.upsertSearchAttributes([
    { key: deploymentIdKey, value: record.deployment_id },
    { key: deploymentStatusKey, value: record.state },
    ...(record.tenant === null ? [] : [{ key: deploymentTenantKey, value: record.tenant }]),
  ]);
}

export async function deploymentRecordWorkflow(start: RecordStart): Promise<never> {
  let record = start.record ?? emptyRecord(start.deployment_id, start.tenant);
  wf.setHandler(recordQuery, () => record);
  wf.setHandler(runReportSignal, (report) => {
    record = withReport(record, report);
    publish(record);
  });
  publish(record);
  await wf.condition(
    () => wf.workflowInfo().continueAsNewSuggested || wf.workflowInfo().historyLength > RECORD_HISTORY_EVENTS,
  );
  await wf.condition(wf.allHandlersFinished);
  return wf.continueAsNew<typeof deploymentRecordWorkflow>({
    deployment_id: start.deployment_id,
    tenant: record.tenant,
    record,
  });
}
