/**
 * History (the runs of one deployment) and the deployment list (latest run of each), from the
 * deployments' records, narrowed to the caller's tenant.
 */
import type { z } from 'zod';
import { SEARCH_ATTRIBUTES } from '../../workflows/messages';
import { deploymentIdKey } from '../../workflows/search-attributes';
import type { Principal } from '../auth/principal';
import { webUiUrl, type ApiContext } from '../context';
import { NotFoundError, ValidationError } from '../errors/api-errors';
import type { runSummarySchema } from '../schemas/listing';
import type { RecordedRun } from '../../model/deployment-record';
import { isFinished } from '../../model/run-types';
import { memoSummary, readRecord } from './deployment-records';
import { listAll, recordsQuery, runsQuery } from './visibility';

export type RunSummary = z.output<typeof runSummarySchema>;

/** How many runs the list scans to find each deployment's latest run. */
export const LIST_SCAN_CAP = 5_000;

/** The execution status Temporal would show for a run in this phase (as the record has it). */
function executionStatusOf(status: string): string {
  if (
    !isFinished(status) &&
    status !== 'terminated' &&
    status !== 'timed_out' &&
    status !== 'canceled' &&
    status !== 'unknown'
  )
    return 'RUNNING';
  return status === 'terminated' || status === 'timed_out'
    ? status.toUpperCase()
    : status === 'canceled'
      ? 'CANCELLED'
      : 'COMPLETED';
}

/** A run as its deployment's record lists it. */
export function recordedSummary(ctx: ApiContext, deploymentId: string, run: RecordedRun): RunSummary {
  return {
    deployment_id: deploymentId,
    workflow_id: run.workflow_id,
    run_id: run.run_id,
    status: run.status,
    execution_status: executionStatusOf(run.status),
    action: run.action,
    mode: run.mode,
    version: run.version,
    graph_id: run.graph_id,
    started_at: run.started_at,
    closed_at: run.closed_at,
    web_ui_url: webUiUrl(ctx, run.workflow_id, run.run_id),
  };
}

/** Run ids of this deployment whose histories Temporal still has (retention deletes the others). */
async function runsWithHistory(ctx: ApiContext, principal: Principal, deploymentId: string): Promise<Set<string>> {
  const infos = await listAll(
    ctx,
    runsQuery(principal, { [SEARCH_ATTRIBUTES.deploymentId]: deploymentId }),
    LIST_SCAN_CAP,
  );
  return new Set(infos.map((info) => info.runId));
}

/** A deployment's runs, newest first, from its record: runs whose histories expired are still listed, marked so. */
export async function history(
  ctx: ApiContext,
  principal: Principal,
  deploymentId: string,
  pageSize: number,
  pageToken?: string,
) {
  const offset = offsetOf(pageToken);
  const record = await readRecord(ctx, principal, deploymentId);
  if (record === null || record.runs.length === 0) throw new NotFoundError(`deployment "${deploymentId}"`);
  const kept = await runsWithHistory(ctx, principal, deploymentId);
  const end = offset + pageSize;
  return {
    deployment_id: deploymentId,
    runs: record.runs
      .slice(offset, end)
      .map((run) => ({ ...recordedSummary(ctx, deploymentId, run), history_expired: !kept.has(run.run_id) })),
    runs_total: record.runs_total,
    next_page_token: nextToken(end, record.runs.length),
  };
}

const nextToken = (end: number, length: number): string | null =>
  end < length ? Buffer.from(String(end)).toString('base64url') : null;

function offsetOf(pageToken: string | undefined): number {
  if (pageToken === undefined) return 0;
  const offset = Number(Buffer.from(pageToken, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0)
    throw new ValidationError([{ path: 'query.page_token', message: 'is not a page token of this list' }]);
  return offset;
}

/** The latest run of each deployment, from the records' memos (one visibility query). */
export async function latestPerDeployment(
  ctx: ApiContext,
  principal: Principal,
  options: { status?: string | undefined; pageSize: number; pageToken?: string | undefined },
) {
  const offset = offsetOf(options.pageToken);
  const latest = (await listAll(ctx, recordsQuery(principal), LIST_SCAN_CAP)).flatMap((info) => {
    const id = info.typedSearchAttributes.get(deploymentIdKey);
    const run = memoSummary(info.memo ?? {}).latest_run;
    return id === undefined || run === null ? [] : [recordedSummary(ctx, id, run)];
  });
  const matching = latest
    .filter((run) => options.status === undefined || run.status === options.status)
    .sort((a, b) => b.started_at.localeCompare(a.started_at));
  const end = offset + options.pageSize;
  return { deployments: matching.slice(offset, end), next_page_token: nextToken(end, matching.length) };
}
