/** The deployment record workflow's messages: its start argument, the runs' report signal and the read query. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { RUN_REPORT_SIGNAL, type DeploymentRecord, type RunReport } from '../model/deployment-record';

export interface RecordStart {
  readonly deployment_id: string;
  readonly tenant: string | null;
  /** The record carried over by continue-as-new, or imported from older runs' histories. */
  readonly record?: DeploymentRecord | undefined;
}

/** A run started or ended (reports may repeat: the record takes each run once). */
export const runReportSignal = defineSignal<[RunReport]>(RUN_REPORT_SIGNAL);
export const recordQuery = defineQuery<DeploymentRecord>('record');
