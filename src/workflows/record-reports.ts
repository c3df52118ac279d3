/**
 * A run's reports to its deployment's record (deployment-record.ts), through the `recordRun`
 * activity: that it started (its first execution only), and how it ended, with, for a real apply,
 * its input and the outputs of its nodes. Both are sent outside any cancellation, so a cancelled
 * run still reports; the record takes each run once, whatever is retried.
 */
import * as wf from '@temporalio/workflow';
import type { RecordActivities } from '../activities/record-run';
import { durationsOf, type AppliedConfig, type RecordedRun, type RunReport } from '../model/deployment-record';
import { isFinished, type DeploymentInput, type RunStatus } from '../model/run-types';

/** Retried until Temporal takes the signal: a run's report is never dropped. */
const reporter = (summary: string): RecordActivities =>
  wf.proxyActivities<RecordActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
    summary,
  });
const startReporter = reporter('report the start to the deployment record');
const endReporter = reporter('report the end to the deployment record');

export class RecordReports {
  constructor(private readonly input: DeploymentInput) {}

  /**
   * Runs the walk between the reports: the start (`startStatus`, null in a continued execution,
   * whose first execution sent it) goes out without holding the walk up; the end follows once the
   * start was taken. A continue-as-new waits for the start report, then hands over unreported.
   */
  async around(startStatus: RunStatus | null, walk: () => Promise<RunStatus>): Promise<RunStatus> {
    const started = startStatus ? this.send(startStatus, undefined) : Promise.resolve();
    let status: RunStatus;
    try {
      status = await walk();
    } catch (err) {
      if (err instanceof wf.ContinueAsNew) await started;
      throw err;
    }
    await started;
    const { input } = this;
    await this.send(
      status,
      input.action === 'apply' && input.settings.mode !== 'DRY_RUN' ? this.applied(status) : undefined,
    );
    return status;
  }

  private applied(status: RunStatus): AppliedConfig {
    const info = wf.workflowInfo();
    const { previous_outputs: _previous, ...input } = this.input;
    const outputs = Object.fromEntries(
      status.nodes.flatMap((node) => (node.outputs ? [[node.node_id, node.outputs]] : [])),
    );
    return { workflow_id: info.workflowId, run_id: info.firstExecutionRunId, input, outputs };
  }

  private send(status: RunStatus, applied: AppliedConfig | undefined): Promise<void> {
    const info = wf.workflowInfo();
    const run: RecordedRun = {
      workflow_id: info.workflowId,
      run_id: info.firstExecutionRunId,
      action: status.action,
      mode: status.mode,
      version: status.version,
      graph_id: status.graph_id,
      status: status.status,
      started_at: status.started_at,
      closed_at: status.completed_at,
      counts: status.counts,
    };
    const report: RunReport = {
      deployment_id: status.deployment_id,
      tenant: this.input.tenant,
      run,
      ...(applied ? { applied, durations: durationsOf(status.nodes) } : {}),
    };
    const activities = applied || isFinished(status.status) ? endReporter : startReporter;
    return wf.CancellationScope.nonCancellable(() => activities.recordRun(report));
  }
}
