/**
 * `recordRun`: a run's report to its deployment's record (src/workflows/deployment-record.ts),
 * sent with signal-with-start so the first report creates the record. An activity because a
 * workflow cannot signal-with-start; retried like any activity until Temporal takes the signal.
 */
import { Context } from '@temporalio/activity';
import { RECORD_WORKFLOW, RUN_REPORT_SIGNAL, recordIdFor, type RunReport } from '../model/deployment-record';

export function createRecordActivities() {
  return {
    async recordRun(report: RunReport): Promise<void> {
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(RECORD_WORKFLOW, {
        workflowId: recordIdFor(report.deployment_id, report.tenant),
        taskQueue: info.taskQueue,
        args: [{ deployment_id: report.deployment_id, tenant: report.tenant }],
        signal: RUN_REPORT_SIGNAL,
        signalArgs: [report],
      });
    },
  };
}

export type RecordActivities = ReturnType<typeof createRecordActivities>;
