/**
 * A deployment's durable record: what is deployed (the last apply's input, sealed credentials as
 * sent, and its outputs), the state that follows from its runs, and a bounded list of those runs.
 * Runs report to it when they start and when they end; the record outlives their histories, which
 * Temporal's retention deletes. After a destroy it keeps a tombstone saying what was destroyed and
 * when. Pure: the record workflow and the API's import of older deployments share it.
 */
import { scopedId } from './scoped-id';
import { deploymentStateOf, type DeploymentState } from './deployment-state';
import {
  isFinished,
  type DeploymentInput,
  type NodeState,
  type NodeStatus,
  type RunAction,
  type RunMode,
} from './run-types';

/** The record workflow's type, id and report signal, by name (activities and the API address it without its code). */
export const RECORD_WORKFLOW = 'deploymentRecordWorkflow';
export const RUN_REPORT_SIGNAL = 'run_report';
/** `record-<tenant>.<deployment_id>` (`record-<deployment_id>` without a tenant, and for records made before ids carried it). */
export const recordIdFor = (deploymentId: string, tenant: string | null): string =>
  `record-${scopedId(deploymentId, tenant)}`;

/** How many runs a record lists (newest first); older ones are counted in `runs_total` only. */
export const RUNS_KEPT = 100;

/** One run as the record keeps it. `run_id` is the run's first execution (continue-as-new keeps it). */
export interface RecordedRun {
  readonly workflow_id: string;
  readonly run_id: string;
  readonly action: RunAction;
  readonly mode: RunMode;
  readonly version: string;
  readonly graph_id: string;
  /** The run's phase as of its last report (`running` until it ends). */
  readonly status: string;
  readonly started_at: string;
  readonly closed_at: string | null;
  readonly counts: Partial<Record<NodeStatus, number>> | null;
}

/** How long a type's nodes took in the applies a record has seen: `seconds` summed over `count` nodes. */
export interface TypeDurations {
  readonly count: number;
  readonly seconds: number;
}

/** What a run tells its deployment's record, when it starts and when it ends. */
export interface RunReport {
  readonly deployment_id: string;
  readonly tenant: string | null;
  readonly run: RecordedRun;
  /** From a real apply (not a dry run) that ended: its input and the outputs of its nodes. */
  readonly applied?: AppliedConfig | undefined;
  /** From a real apply that ended: its completed nodes' durations by type (plans estimate from them). */
  readonly durations?: Readonly<Record<string, TypeDurations>> | undefined;
}

export interface AppliedConfig {
  readonly workflow_id: string;
  readonly run_id: string;
  readonly input: DeploymentInput;
  readonly outputs: Readonly<Record<string, Record<string, unknown>>>;
}

export interface Tombstone {
  readonly destroyed_at: string;
  readonly run_id: string;
  readonly version: string;
  readonly graph_id: string;
  /** The node ids the destroyed deployment had. */
  readonly node_ids: readonly string[];
}

export interface DeploymentRecord {
  readonly deployment_id: string;
  readonly tenant: string | null;
  readonly state: DeploymentState;
  readonly version: string | null;
  /** The latest apply or destroy run (not a dry run, not a verify): the state follows from it. */
  readonly last_change: RecordedRun | null;
  /** The latest run of any kind. */
  readonly latest_run: RecordedRun | null;
  /** The last real apply's input and outputs: what redeploy, verify, destroy, move and live plans start from. */
  readonly last_apply: AppliedConfig | null;
  /** Newest first, at most RUNS_KEPT. */
  readonly runs: readonly RecordedRun[];
  readonly runs_total: number;
  /** Set when a destroy completed; cleared by the next apply. */
  readonly tombstone: Tombstone | null;
  /** Node durations by type over the applies that ended (absent in records older than it). */
  readonly durations?: Readonly<Record<string, TypeDurations>> | undefined;
}

export function emptyRecord(deploymentId: string, tenant: string | null): DeploymentRecord {
  return {
    deployment_id: deploymentId,
    tenant,
    state: 'UNDEPLOYED',
    version: null,
    last_change: null,
    latest_run: null,
    last_apply: null,
    runs: [],
    runs_total: 0,
    tombstone: null,
    durations: {},
  };
}

const changesDeployment = (run: RecordedRun): boolean =>
  (run.action === 'apply' || run.action === 'destroy') && run.mode !== 'DRY_RUN';
const newer = (a: RecordedRun | null, b: RecordedRun): boolean =>
  a === null || a.run_id === b.run_id || b.started_at >= a.started_at;

/** The record after a run's report. Reports may repeat or arrive late: the newest start wins. */
export function withReport(record: DeploymentRecord, report: RunReport): DeploymentRecord {
  const { run } = report;
  const known = record.runs.findIndex((r) => r.run_id === run.run_id);
  const runs =
    known >= 0
      ? record.runs.map((r, i) => (i === known ? run : r))
      : [...record.runs, run].sort((a, b) => b.started_at.localeCompare(a.started_at)).slice(0, RUNS_KEPT);
  const lastChange = changesDeployment(run) && newer(record.last_change, run) ? run : record.last_change;
  const destroyed = run.action === 'destroy' && run.status === 'completed' && lastChange === run;
  const applied = appliedAfter(record, report);
  // A run's end may be reported more than once: its durations count the first time only.
  const endedBefore = known >= 0 && isFinished(record.runs[known]?.status ?? '');
  const state = deploymentStateOf(lastChange ? { action: lastChange.action, runStatus: lastChange.status } : null);
  return {
    deployment_id: record.deployment_id,
    tenant: report.tenant ?? record.tenant,
    state,
    version: lastChange?.version ?? record.version,
    last_change: lastChange,
    latest_run: newer(record.latest_run, run) ? run : record.latest_run,
    last_apply: applied,
    runs,
    runs_total: record.runs_total + (known >= 0 ? 0 : 1),
    tombstone: destroyed
      ? tombstoneOf(record, run)
      : lastChange?.action === 'apply' && lastChange.status !== 'running'
        ? null
        : record.tombstone,
    durations: endedBefore || !report.durations ? record.durations : summed(record.durations ?? {}, report.durations),
  };
}

function summed(
  total: Readonly<Record<string, TypeDurations>>,
  more: Readonly<Record<string, TypeDurations>>,
): Record<string, TypeDurations> {
  const sums: Record<string, TypeDurations> = { ...total };
  for (const [type, d] of Object.entries(more)) {
    const before = sums[type] ?? { count: 0, seconds: 0 };
    sums[type] = { count: before.count + d.count, seconds: before.seconds + d.seconds };
  }
  return sums;
}

/** A run's completed nodes' durations by type, for its end report. */
export function durationsOf(nodes: readonly NodeState[]): Record<string, TypeDurations> {
  const sums: Record<string, TypeDurations> = {};
  for (const node of nodes) {
    if (node.status !== 'completed' || node.duration_seconds === null) continue;
    const before = sums[node.type] ?? { count: 0, seconds: 0 };
    sums[node.type] = { count: before.count + 1, seconds: before.seconds + node.duration_seconds };
  }
  return sums;
}

/**
 * What is deployed after an apply ended: all of it when it completed; nothing changed when it
 * rolled back (unless nothing was deployed before: then its config, so a destroy still finds what
 * it left); otherwise its config with the outputs of the nodes either run completed.
 */
function appliedAfter(record: DeploymentRecord, report: RunReport): AppliedConfig | null {
  const previous = record.last_apply;
  if (!report.applied) return previous;
  if (previous === null) return report.applied;
  const previousRun = record.runs.find((r) => r.run_id === previous.run_id) ?? null;
  if (previousRun && previousRun.started_at > report.run.started_at) return previous;
  if (report.run.status === 'completed') return report.applied;
  if (report.run.status === 'rolled_back') return previous;
  return { ...report.applied, outputs: { ...previous.outputs, ...report.applied.outputs } };
}

function tombstoneOf(record: DeploymentRecord, run: RecordedRun): Tombstone {
  return {
    destroyed_at: run.closed_at ?? run.started_at,
    run_id: run.run_id,
    version: run.version,
    graph_id: run.graph_id,
    node_ids: record.last_apply?.input.graph.nodes.map((node) => node.node_id) ?? [],
  };
}
