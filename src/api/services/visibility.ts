/**
 * Visibility (list) queries over the deployment search attributes, always narrowed to the
 * caller's tenant. Values are validated ids/enums before they get here; quotes are still escaped.
 */
import { createHash } from 'node:crypto';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '../../temporal/sdk-internals';
import { RECORD_WORKFLOW } from '../../model/deployment-record';
import { SAVED_PLAN_WORKFLOW } from '../../model/saved-plan';
import { DEPLOYMENT_WORKFLOW, SEARCH_ATTRIBUTES } from '../../workflows/messages';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ValidationError } from '../errors/api-errors';

const quoted = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** `WorkflowType = "deploymentWorkflow" AND <tenant> AND <clauses…>` */
export const runsQuery = (principal: Principal, clauses: Readonly<Record<string, string>> = {}): string =>
  tenantQuery(principal, DEPLOYMENT_WORKFLOW, clauses);

/**
 * `WorkflowType = "deploymentRecordWorkflow" AND ExecutionStatus = "Running" AND <tenant> AND <clauses…>`:
 * deployment records, each once (a record's earlier executions, closed by continue-as-new, and
 * records moved to their tenant's id are not listed).
 */
export const recordsQuery = (principal: Principal, clauses: Readonly<Record<string, string>> = {}): string =>
  tenantQuery(principal, RECORD_WORKFLOW, { ExecutionStatus: 'Running', ...clauses });

/** `WorkflowType = "savedPlanWorkflow" AND <tenant> AND <clauses…>`: saved plans (src/model/saved-plan.ts). */
export const savedPlansQuery = (principal: Principal, clauses: Readonly<Record<string, string>> = {}): string =>
  tenantQuery(principal, SAVED_PLAN_WORKFLOW, clauses);

function tenantQuery(principal: Principal, workflowType: string, clauses: Readonly<Record<string, string>>): string {
  const all: Record<string, string> = { WorkflowType: workflowType, ...clauses };
  if (principal.tenant !== null) all[SEARCH_ATTRIBUTES.tenant] = principal.tenant;
  return Object.entries(all)
    .map(([key, value]) => `${key} = ${quoted(value)}`)
    .join(' AND ');
}

export interface Page {
  readonly executions: WorkflowExecutionInfo[];
  readonly nextPageToken: string | null;
}

/** Page tokens wrap Temporal's own with the query they belong to; anything else is a 400, not a Temporal error. */
const tokenFor = (query: string, temporalToken: Uint8Array): string =>
  Buffer.from(JSON.stringify({ q: digest(query), t: Buffer.from(temporalToken).toString('base64') })).toString(
    'base64url',
  );

function temporalTokenOf(query: string, pageToken: string): Buffer {
  try {
    const { q, t } = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')) as { q?: unknown; t?: unknown };
    if (q === digest(query) && typeof t === 'string') return Buffer.from(t, 'base64');
  } catch {
    // reported below
  }
  throw new ValidationError([{ path: 'query.page_token', message: 'is not a page token of this list' }]);
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** One page of executions matching `query`. */
export async function listPage(ctx: ApiContext, query: string, pageSize: number, pageToken?: string): Promise<Page> {
  const client = ctx.client();
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: ctx.namespace,
    query,
    pageSize,
    ...(pageToken ? { nextPageToken: temporalTokenOf(query, pageToken) } : {}),
  });
  const converter = client.options.loadedDataConverter;
  const executions = await Promise.all(
    (response.executions ?? []).map((raw) => executionInfoFromRaw(raw, converter, raw, ctx.namespace)),
  );
  return { executions, nextPageToken: response.nextPageToken?.length ? tokenFor(query, response.nextPageToken) : null };
}

/** Every execution matching `query`, up to `cap` (newest first as visibility orders them). */
export async function listAll(ctx: ApiContext, query: string, cap: number): Promise<WorkflowExecutionInfo[]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const info of ctx.client().workflow.list({ query, pageSize: 500 })) {
    found.push(info);
    if (found.length >= cap) break;
  }
  return found;
}
