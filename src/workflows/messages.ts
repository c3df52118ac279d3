/**
 * The deployment workflow's message contract. Operators use the signals from the Temporal Web UI
 * or `temporal workflow signal`; the REST gateway uses the updates of the same names, whose
 * validators reject a request the run cannot take now (the gateway maps that to 409).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LogEntry, RunStatus } from '../model/run-types';
import { scopedId } from '../model/scoped-id';

/** Continue one paused node or approval gate (`node_id`), or every paused node when omitted. */
export interface ContinueArgs {
  readonly node_id?: string | undefined;
}
/** Nodes a decision applies to; omitted means every failed node. */
export interface DecisionArgs {
  readonly node_ids?: readonly string[] | undefined;
}
export interface AbortArgs {
  readonly reason?: string | undefined;
}
export interface PauseBeforeArgs {
  readonly node_id: string;
}
export interface LogsArgs {
  readonly since?: number | undefined;
}

/** What an accepted update did, for the API response. */
export interface DecisionResult {
  readonly accepted: true;
  readonly action: string;
  readonly node_ids: readonly string[];
  /** The same nodes as the config names them (absent from workers older than it). */
  readonly nodes?: readonly NodeName[];
}

/** A node as the config names it: its resource, its region, and the name operators use (`api[eu-west-1]`). */
export interface NodeName {
  readonly node_id: string;
  readonly resource_id: string;
  readonly region: string | null;
  readonly name: string;
}

export const continueSignal = defineSignal<[ContinueArgs?]>('continue');
export const retrySignal = defineSignal<[DecisionArgs?]>('retry');
export const skipSignal = defineSignal<[DecisionArgs?]>('skip');
export const rollbackSignal = defineSignal<[]>('rollback');
export const abortSignal = defineSignal<[AbortArgs?]>('abort');

/** Update arguments are required (pass `{}` for the defaults). */
export const continueUpdate = defineUpdate<DecisionResult, [ContinueArgs]>('continue');
export const retryUpdate = defineUpdate<DecisionResult, [DecisionArgs]>('retry');
export const skipUpdate = defineUpdate<DecisionResult, [DecisionArgs]>('skip');
export const rollbackUpdate = defineUpdate<DecisionResult, []>('rollback');
export const abortUpdate = defineUpdate<DecisionResult, [AbortArgs]>('abort');
/** Add a breakpoint: the pending node pauses before it starts. */
export const pauseBeforeUpdate = defineUpdate<DecisionResult, [PauseBeforeArgs]>('pause_before');

export const statusQuery = defineQuery<RunStatus>('status');
/** Log entries from index `since` on (default 0). */
export const logsQuery = defineQuery<LogEntry[], [LogsArgs?]>('logs');

/** Search attributes the workflow keeps current (registered by the runtime at start). */
export const SEARCH_ATTRIBUTES = {
  deploymentId: 'DeploymentId',
  deploymentStatus: 'DeploymentStatus',
  tenant: 'DeploymentTenant',
  graphId: 'DeploymentGraphId',
} as const;

export const DEPLOYMENT_WORKFLOW = 'deploymentWorkflow';
/**
 * The run lock's workflow id: `deploy-<tenant>.<deployment_id>` (src/model/scoped-id.ts), or
 * `deploy-<deployment_id>` without a tenant. A tenant's runs started before ids carried the tenant
 * keep the short form (legacyRunActive in src/client/start-deployment.ts guards the lock for them).
 */
export const workflowIdFor = (deploymentId: string, tenant: string | null): string =>
  `deploy-${scopedId(deploymentId, tenant)}`;

/** A schedule's trigger: starts the run lock's id (workflowIdFor) as its child, so scheduled runs take the same lock. */
export const SCHEDULED_RUN_WORKFLOW = 'scheduledRunWorkflow';
/** Temporal appends the scheduled time to this id for each action. */
export const triggerIdFor = (scheduleId: string): string => `schedule-${scheduleId}`;
