/**
 * Deployments for tests: configs go through the real validator and graph builder, runs start
 * through the real `startDeployment`, and state is read back through the `status` query.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { withUndoReads } from '../src/api/services/undo-reads';
import { startDeployment } from '../src/client/start-deployment';
import { registry } from '../src/resources/registry';
import { buildSpecGraph } from '../src/model/build-graph';
import { resolveSettings } from '../src/model/config-schema';
import type { DeploymentInput, NodeState, RunAction, RunStatus } from '../src/model/run-types';
import { validateConfig } from '../src/model/validate-config';
import { statusQuery } from '../src/workflows/messages';
import { uniqueId } from './temporal';

export type Resources = Record<string, Record<string, unknown>>;

/** Fast retries so failure tests do not wait on production backoff. */
export const FAST_RETRY = { max_attempts: 1, initial_interval: '100ms', max_interval: '200ms', backoff: 2 };

export function config(
  resources: Resources,
  settings: Record<string, unknown> = {},
  deploymentId = uniqueId('dep'),
): Record<string, unknown> {
  return {
    deployment_id: deploymentId,
    version: 'v1',
    resources,
    settings: { retry: FAST_RETRY, heartbeat_timeout: '5s', ...settings },
  };
}

export const delay = (
  properties: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({ type: 'core:delay', properties, ...extra });

export function deploymentInput(
  cfg: Record<string, unknown>,
  options: { action?: RunAction; tenant?: string } = {},
): DeploymentInput {
  const result = validateConfig(cfg, registry);
  if (!result.ok) throw new Error(`invalid test config: ${JSON.stringify(result.errors)}`);
  // As the API starts it: an apply's updates read their undo first (src/api/services/undo-reads.ts).
  return withUndoReads({
    action: options.action ?? 'apply',
    graph: buildSpecGraph(result.config, registry, options.tenant ?? null),
    settings: resolveSettings(result.config.settings),
    credentials: null,
    tenant: options.tenant ?? null,
  });
}

export async function start(
  client: Client,
  taskQueue: string,
  cfg: Record<string, unknown>,
  options: { action?: RunAction } = {},
): Promise<WorkflowHandle> {
  const input = deploymentInput(cfg, options);
  const { workflowId, runId } = await startDeployment(client, { input, taskQueue });
  return client.workflow.getHandle(workflowId, runId);
}

/** Polls the status query until `predicate` holds (or throws with the last status seen). */
export async function waitFor(
  handle: WorkflowHandle,
  predicate: (status: RunStatus) => boolean,
  timeoutMs = 60_000,
): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: RunStatus | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(statusQuery);
    if (predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `timed out waiting; last status: ${JSON.stringify(last && { status: last.status, counts: last.counts, waiting_for: last.waiting_for })}`,
  );
}

export const result = (handle: WorkflowHandle): Promise<RunStatus> => handle.result() as Promise<RunStatus>;

export function node(status: RunStatus, resourceId: string, region: string | null = null): NodeState {
  const found = status.nodes.find((n) => n.resource_id === resourceId && n.region === region);
  if (!found) throw new Error(`no node ${resourceId} in status`);
  return found;
}

export const statusesByResource = (status: RunStatus): Record<string, string> =>
  Object.fromEntries(status.nodes.map((n) => [n.resource_id, n.status]));
