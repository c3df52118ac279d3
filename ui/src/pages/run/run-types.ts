/**
 * What the run page reads beyond the run's own types (src/model/run-types): GET /deploy/status/{id}
 * and GET /deploy/graph/{id} also name the Temporal execution they were read from.
 */
import type { RunGraph as ModelGraph, RunStatus as ModelStatus } from '../../../../src/model/run-types';

/** The execution a status or graph answer was read from. */
interface Execution {
  readonly workflow_id: string;
  readonly run_id: string;
  readonly execution_status: string;
  readonly web_ui_url: string;
}

export type RunStatus = ModelStatus & Execution;
export type RunGraph = ModelGraph & Execution;
