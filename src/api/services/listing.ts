/**
 * History (all runs of one deployment) and the deployment list (latest run of each), from
 * Temporal visibility, narrowed to the caller's tenant.
 */
import type { z } from 'zod';
import { SEARCH_ATTRIBUTES } from '../../workflows/messages';
import { deploymentIdKey } from '../../workflows/search-attributes';
import type { Principal } from '../auth/principal';
import { webUiUrl, type ApiContext } from '../context';
import { NotFoundError, ValidationError } from '../errors/api-errors';
import type { runSummarySchema } from '../schemas/listing';
import { deploymentStatusOf, type Execution } from './run-lookup';
import { listAll, listPage, runsQuery } from './visibility';

export type RunSummary = z.output<typeof runSummarySchema>;

/** How many runs the list scans to find each deployment's latest run. */
export const LIST_SCAN_CAP = 5_000;

const TERMINAL_EXECUTIONS: ReadonlySet<string> = new Set(['TERMINATED', 'TIMED_OUT', 'CANCELLED', 'FAILED', 'CONTINUED_AS_NEW']);
const memoText = (info: Execution, key: string): string | null => {
  const value = info.memo?.[key];
  return typeof value === 'string' ? value : null;
};

/** The run's phase, unless Temporal itself ended the run (terminate, timeout, cancel) before the workflow could say. */
export function runStatusOf(info: Execution): string {
  const phase = deploymentStatusOf(info);
  if (phase !== null && (info.status.name === 'RUNNING' || info.status.name === 'COMPLETED')) return phase;
  return TERMINAL_EXECUTIONS.has(info.status.name) ? info.status.name.toLowerCase().replace('cancelled', 'canceled') : phase ?? 'unknown';
}

export function summarize(ctx: ApiContext, info: Execution): RunSummary {
  return {
    deployment_id: info.typedSearchAttributes.get(deploymentIdKey) ?? '',
    workflow_id: info.workflowId,
    run_id: info.runId,
    status: runStatusOf(info),
    execution_status: info.status.name,
    action: memoText(info, 'action'),
    mode: memoText(info, 'mode'),
    version: memoText(info, 'version'),
    graph_id: memoText(info, 'graph_id'),
    started_at: info.startTime.toISOString(),
    closed_at: info.closeTime?.toISOString() ?? null,
    web_ui_url: webUiUrl(ctx, info.workflowId, info.runId),
  };
}

const byStartDesc = (a: Execution, b: Execution): number => b.startTime.getTime() - a.startTime.getTime();

export async function history(ctx: ApiContext, principal: Principal, deploymentId: string, pageSize: number, pageToken?: string) {
  const page = await listPage(ctx, runsQuery(principal, { [SEARCH_ATTRIBUTES.deploymentId]: deploymentId }), pageSize, pageToken);
  if (page.executions.length === 0 && pageToken === undefined) throw new NotFoundError(`deployment "${deploymentId}"`);
  return { deployment_id: deploymentId, runs: page.executions.sort(byStartDesc).map((info) => summarize(ctx, info)), next_page_token: page.nextPageToken };
}

function offsetOf(pageToken: string | undefined): number {
  if (pageToken === undefined) return 0;
  const offset = Number(Buffer.from(pageToken, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw new ValidationError([{ path: 'query.page_token', message: 'is not a page token of this list' }]);
  return offset;
}

export async function latestPerDeployment(ctx: ApiContext, principal: Principal, options: { status?: string | undefined; pageSize: number; pageToken?: string | undefined }) {
  const offset = offsetOf(options.pageToken);
  const latest = new Map<string, Execution>();
  for (const info of (await listAll(ctx, runsQuery(principal), LIST_SCAN_CAP)).sort(byStartDesc)) {
    const id = info.typedSearchAttributes.get(deploymentIdKey);
    if (id !== undefined && !latest.has(id)) latest.set(id, info);
  }
  const matching = [...latest.values()].filter((info) => options.status === undefined || runStatusOf(info) === options.status);
  const end = offset + options.pageSize;
  return {
    deployments: matching.slice(offset, end).map((info) => summarize(ctx, info)),
    next_page_token: end < matching.length ? Buffer.from(String(end)).toString('base64url') : null,
  };
}
