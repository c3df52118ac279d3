/**
 * Seed 000's workflows as deployments: each operation becomes a `github:secret:repo` node
 * (delete: operation "delete"; exists, get and list: a node that only reads, `read`), planned by
 * the live planner and executed as an engine run, so there is no second path to GitHub. A read's
 * output is its result's data. stop_on_error chains the nodes in request order (a failed node
 * blocks the rest, and a read sees what the operations before it did); without it they are
 * independent (and may run at once). Either way on_failure is `continue` (independent operations
 * go on), and when only a decision is left the run is aborted: an HTTP call cannot wait for an
 * operator, and operations blocked by a failure stay not run.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { SECRET_ABSENT } from '../../resources/github/secret-operations';
import { SECRET_READS, type SecretRead } from '../../resources/github/secret-reads';
import { registry } from '../../resources/registry';
import type { DeploymentConfig } from '../../model/config-schema';
import { isFinished, type NodeState, type RunStatus } from '../../model/run-types';
import { validateConfig } from '../../model/validate-config';
import { abortUpdate, statusQuery } from '../../workflows/messages';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ValidationError } from '../errors/api-errors';
import type { PlanResponse } from '../schemas/plan';
import type { WorkflowExecuteResponse, WorkflowPlanResponse, WorkflowRequest } from '../schemas/secret-workflows';
import type { LivePlanner } from './live-plan';
import { planDeployment } from './plan';
import { inputFromConfig } from './run-input';
import { startRun } from './start-run';

const SECRET_TYPE = 'github:secret:repo';

type Operation = WorkflowRequest['workflow']['operations'][number];
type PlannedOperation = WorkflowPlanResponse['planned_operations'][number];

const isRead = (action: Operation['action']): action is SecretRead =>
  (SECRET_READS as readonly string[]).includes(action);

/** One deployment per repository: `gh-secrets-<owner>-<repo>-<hash>` (a–z, 0–9, -; at most 63). */
export function workflowDeploymentId(owner: string, repo: string): string {
  const full = `${owner}/${repo}`.toLowerCase();
  const slug = full
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return `gh-secrets-${slug}-${createHash('sha256').update(full).digest('hex').slice(0, 8)}`;
}

const resourceIdOf = (index: number, op: Operation): string =>
  `op-${index}-${(op.secret_name ?? op.action).toLowerCase()}`.slice(0, 63);

function resourceOf(op: Operation, owner: string, repo: string): Record<string, unknown> {
  const read = isRead(op.action);
  return {
    type: SECRET_TYPE,
    ...(read ? {} : { operation: op.action }),
    properties: {
      owner,
      repo,
      ...(op.secret_name === undefined ? {} : { secret_name: op.secret_name }),
      ...(op.secret_value === undefined ? {} : { encrypted_value: op.secret_value }),
      ...(read ? { read: op.action } : {}),
    },
  };
}

/** The request as a deployment config, checked by the spec validator like any other. */
export function workflowConfig(request: WorkflowRequest): DeploymentConfig {
  const { owner, repo } = request.workflow.target;
  const ops = request.workflow.operations;
  const resources = Object.fromEntries(
    ops.map((op, index) => [
      resourceIdOf(index, op),
      {
        ...resourceOf(op, owner, repo),
        depends_on: request.stop_on_error && index > 0 ? [resourceIdOf(index - 1, ops[index - 1] as Operation)] : [],
      },
    ]),
  );
  const result = validateConfig(
    {
      deployment_id: workflowDeploymentId(owner, repo),
      targets: [{ provider: 'github' }],
      credentials: { github: { encrypted_pat: request.credentials.encrypted_pat } },
      settings: { on_failure: 'continue', max_parallel: request.stop_on_error ? 1 : 10 },
      resources,
    },
    registry,
  );
  if (!result.ok)
    throw new ValidationError(
      result.errors.map((e) => ({ path: e.path, message: e.message, resource_id: e.resource_id ?? undefined })),
    );
  return result.config;
}

const seconds = (since: number): number => Math.round(performance.now() - since) / 1_000;

type PlanNode = PlanResponse['nodes'][number];

/** Whether the secret is there now (list: null). A read's plan warns SECRET_ABSENT when it is not. */
function currentExists(op: Operation, node: PlanNode | undefined): boolean | null {
  if (op.action === 'list') return null;
  if (isRead(op.action)) return !(node?.warnings ?? []).includes(SECRET_ABSENT);
  const action = node?.action;
  return action === 'update' || action === 'delete' || (action === 'no-op' && op.action === 'create');
}

function plannedOperation(index: number, op: Operation, node: PlanNode | undefined): PlannedOperation {
  // A read changes nothing, whatever the node's own operation says when its state could not be read.
  const action = isRead(op.action) ? 'no-op' : node?.action;
  const error =
    node?.live_error ?? (node?.live ? null : { type: 'unavailable', message: 'the current state was not read' });
  return {
    index,
    action: op.action,
    secret_name: op.secret_name ?? null,
    will_create: action === 'create',
    will_update: action === 'update',
    will_delete: error === null && action === 'delete',
    is_noop: action === 'no-op',
    current_exists: error ? null : currentExists(op, node),
    warnings: node?.warnings ?? [],
    error,
  };
}

/** What the plan warns of an operation on a missing secret (exists: nothing, absence is its answer). */
const WHEN_ABSENT: Partial<Record<Operation['action'], string>> = {
  delete: 'delete will have no effect',
  get: 'get will fail unless an earlier operation creates it',
};

function planWarning(op: PlannedOperation): string[] {
  const prefix = `Operation ${op.index}`;
  if (op.error) return [`${prefix}: ${op.error.type}: ${op.error.message}`];
  if (op.current_exists === false && op.action !== 'create') {
    const effect = WHEN_ABSENT[op.action];
    return effect ? [`${prefix}: Secret '${op.secret_name}' does not exist, ${effect}`] : [];
  }
  return op.warnings.map((warning) => `${prefix}: ${warning}`);
}

/** The plan of the request's operations, read with its sealed values opened for the caller's `tenant`. */
export async function planWorkflow(
  request: WorkflowRequest,
  planner: LivePlanner,
  log: Logger,
  tenant: string | null,
): Promise<WorkflowPlanResponse> {
  const began = performance.now();
  const config = workflowConfig(request);
  const { plan } = await planDeployment(config, 'FULL', tenant, { planner, log, previousOutputs: {} });
  const byResource = new Map(plan.nodes.map((node) => [node.resource_id, node]));
  const ops = request.workflow.operations;
  const planned = ops.map((op, index) => plannedOperation(index, op, byResource.get(resourceIdOf(index, op))));
  const byAction: Record<string, number> = {};
  for (const op of ops) byAction[op.action] = (byAction[op.action] ?? 0) + 1;
  return {
    success: true,
    valid: planned.every((op) => op.error === null),
    deployment_id: config.deployment_id,
    target_owner: request.workflow.target.owner,
    target_repo: request.workflow.target.repo,
    total_operations: ops.length,
    operations_by_action: byAction,
    planned_operations: planned,
    warnings: planned.flatMap(planWarning),
    duration: seconds(began),
  };
}

function operationResult(
  index: number,
  op: Operation,
  node: NodeState | undefined,
): WorkflowExecuteResponse['results'][number] {
  return {
    index,
    action: op.action,
    secret_name: op.secret_name ?? null,
    success: node?.status === 'completed',
    status: node?.status ?? 'pending',
    error: node?.error ?? null,
    error_type: node?.error_type ?? null,
    error_name: node?.error_name ?? null,
    data: node?.outputs ?? null,
  };
}

const POLL_MS = 200;

/**
 * The run's final status when it ends within `waitMs`, else its current one. A run that waits for
 * a decision has failed operations and nothing left that may run: it is aborted (no rollback, the
 * operations not run stay so), which is what stop_on_error (and its absence) asks for.
 */
async function awaitRun(ctx: ApiContext, workflowId: string, runId: string, waitMs: number): Promise<RunStatus> {
  const handle = ctx.client().workflow.getHandle(workflowId, runId);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const run = await handle.query(statusQuery);
    if (isFinished(run.status) || Date.now() >= deadline) return run;
    if (run.waiting_for?.kind === 'decision') {
      await handle
        .executeUpdate(abortUpdate, { args: [{ reason: 'an operation of the workflow failed' }] })
        .catch(() => undefined);
    } else {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

export async function executeWorkflow(
  ctx: ApiContext,
  principal: Principal,
  request: WorkflowRequest,
): Promise<{ finished: boolean; body: WorkflowExecuteResponse }> {
  const began = performance.now();
  const config = workflowConfig(request);
  const started = await startRun(ctx, principal, inputFromConfig(config, 'apply', principal));
  const run = await awaitRun(ctx, started.workflow_id, started.run_id, request.wait_seconds * 1_000);
  const byResource = new Map(run.nodes.map((node) => [node.resource_id, node]));
  const results = request.workflow.operations.map((op, index) =>
    operationResult(index, op, byResource.get(resourceIdOf(index, op))),
  );
  const succeeded = results.filter((r) => r.success).length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const finished = isFinished(run.status);
  return {
    finished,
    body: {
      success: finished && succeeded === results.length,
      finished,
      target_owner: request.workflow.target.owner,
      target_repo: request.workflow.target.repo,
      total_operations: results.length,
      operations_succeeded: succeeded,
      operations_failed: failed,
      operations_not_run: results.length - succeeded - failed,
      results,
      duration: seconds(began),
      stop_on_error: request.stop_on_error,
      deployment_id: started.deployment_id,
      workflow_id: started.workflow_id,
      run_id: started.run_id,
      run_status: run.status,
      status_url: started.status_url,
    },
  };
}
