/**
 * Visibility (list) queries over the deployment search attributes, always narrowed to the
 * caller's tenant. Values are validated ids/enums before they get here; quotes are still escaped.
 */
import { isGrpcServiceError, type WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { DEPLOYMENT_WORKFLOW, SEARCH_ATTRIBUTES } from '../../workflows/messages';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ValidationError } from '../errors/api-errors';

const quoted = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** `WorkflowType = "deploymentWorkflow" AND <tenant> AND <clauses…>` */
export function runsQuery(principal: Principal, clauses: Readonly<Record<string, string>> = {}): string {
  const all: Record<string, string> = { WorkflowType: DEPLOYMENT_WORKFLOW, ...clauses };
  if (principal.tenant !== null) all[SEARCH_ATTRIBUTES.tenant] = principal.tenant;
  return Object.entries(all).map(([key, value]) => `${key} = ${quoted(value)}`).join(' AND ');
}

export interface Page {
  readonly executions: WorkflowExecutionInfo[];
  readonly nextPageToken: string | null;
}

/** One page of executions; the token is Temporal's own, passed through as base64. */
export async function listPage(ctx: ApiContext, query: string, pageSize: number, pageToken?: string): Promise<Page> {
  const client = ctx.client();
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: ctx.namespace,
    query,
    pageSize,
    ...(pageToken ? { nextPageToken: Buffer.from(pageToken, 'base64') } : {}),
  }).catch((err: unknown) => {
    // INVALID_ARGUMENT (3) for a token Temporal did not issue.
    if (pageToken && isGrpcServiceError(err) && err.code === 3) throw new ValidationError([{ path: 'query.page_token', message: 'is not a page token of this list' }]);
    throw err;
  });
  const converter = client.options.loadedDataConverter;
  const executions = await Promise.all((response.executions ?? []).map((raw) => executionInfoFromRaw(raw, converter, raw, ctx.namespace)));
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64') : null;
  return { executions, nextPageToken: token };
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
